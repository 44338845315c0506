// Tokens: the caller's own (all of them for admins), created with the key shown once, edited, enabled or
// disabled, deleted.
import { post, put, del, all } from '../api.js';
import { h, fmt, show, table, status, errorSlot, actionButton, loader, dialog, confirmDialog, Form, list, toMicro, fromMicro,
  toUnix, toLocalInput, copy } from '../ui.js';

export default async function tokens(main, session) {
  const listBox = h('div', { id: 'token-list' });
  const error = errorSlot('tokens');
  const reload = loader(listBox, error, () => all('tokens'), (rows) => tokenTable(rows, session, reload));
  const created = h('div', { id: 'token-created' });
  show(main, h('h1', { text: session.isAdmin ? 'Tokens' : 'My tokens' }),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'new-token', text: 'New token',
      onclick: async () => {
        const t = await editToken(null, session);
        if (t) {
          showKeyOnce(created, t);
          reload();
        }
      } })),
    created, error, listBox);
  await reload();
}

function showKeyOnce(box, t) {
  const code = h('code', { id: 'new-token-key', text: t.key });
  const note = h('span', { class: 'hint', role: 'status' });
  show(box, h('div', { class: 'once panel' },
    h('strong', { text: `Key of "${t.name}" (shown only now):` }), code,
    h('button', { type: 'button', class: 'small', id: 'copy-key', text: 'Copy',
      onclick: async () => { note.textContent = (await copy(t.key, code)) ? 'Copied.' : 'Select and copy it by hand.'; } }),
    note,
    h('button', { type: 'button', class: 'small secondary', text: 'Done', onclick: () => show(box) })));
}

function tokenTable(rows, session, reload) {
  return table([
    { label: 'Name', cell: (t) => h('span', {}, h('strong', { text: t.name }), ' ', h('span', { class: 'hint', text: '#' + t.id })) },
    { label: 'Key', cell: (t) => h('code', { text: t.key_masked }) },
    { label: 'Status', cell: (t) => status(t.status) },
    session.isAdmin ? { label: 'User', cell: (t) => '#' + t.user_id } : null,
    { label: 'Remaining', cell: (t) => fmt.quota(t.remain_quota, t.unlimited_quota), num: true },
    { label: 'Used', cell: (t) => fmt.money(t.used_quota), num: true },
    { label: 'Models', cell: (t) => (t.models && t.models.length ? t.models.join(', ') : 'all') },
    { label: 'Expires', cell: (t) => (t.expires_at ? fmt.time(t.expires_at) : 'never') },
    { label: 'Actions', cell: (t) => actions(t, session, reload) },
  ].filter(Boolean), rows, { id: 'tokens-table', empty: 'No tokens yet. Create one for your clients.' });
}

function actions(t, session, reload) {
  const slot = errorSlot('token-' + t.id);
  const button = (text, cls, run) => actionButton(text, cls, slot, run);
  return h('div', {}, h('div', { class: 'actions' },
    button('Edit', 'secondary', async () => { if (await editToken(t, session)) reload(); }),
    t.status === 'disabled'
      ? button('Enable', 'secondary', async () => { await put('tokens/' + t.id, { status: 'enabled' }); reload(); })
      : button('Disable', 'secondary', async () => { await put('tokens/' + t.id, { status: 'disabled' }); reload(); }),
    button('Delete', 'danger', async () => {
      if (await confirmDialog(`Delete the token "${t.name}"? Clients using it stop working.`)) {
        await del('tokens/' + t.id);
        reload();
      }
    })), slot);
}

async function editToken(t, session) {
  return dialog(t ? `Edit "${t.name}"` : 'New token', (close) => {
    const form = new Form();
    const name = h('input', { value: t?.name || '' });
    const unlimited = h('input', { type: 'checkbox', checked: t ? t.unlimited_quota : true });
    const remain = h('input', { type: 'number', step: 'any', min: 0, value: t ? fromMicro(t.remain_quota) : '' });
    const expires = h('input', { type: 'datetime-local', value: toLocalInput(t?.expires_at) });
    const models = h('input', { value: (t?.models || []).join(', '), placeholder: 'all models' });
    const subnets = h('input', { value: (t?.subnets || []).join(', '), placeholder: 'any address, e.g. 10.0.0.0/8' });
    const group = h('input', { value: t?.group || '', placeholder: "the owner's group" });
    const owner = h('input', { type: 'number', min: 1, step: 1, placeholder: 'yourself' });
    const rpm = h('input', { type: 'number', min: 0, step: 1, value: t?.rpm ?? '' });
    const tpm = h('input', { type: 'number', min: 0, step: 1, value: t?.tpm ?? '' });
    const conc = h('input', { type: 'number', min: 0, step: 1, value: t?.max_concurrency ?? '' });
    const sync = () => { remain.disabled = unlimited.checked; };
    unlimited.addEventListener('change', sync);
    sync();
    const save = h('button', { type: 'submit', id: 'save-token', text: t ? 'Save' : 'Create' });
    const el = h('form', { id: 'token-form' },
      form.field('name', 'Name', name),
      form.field('unlimited_quota', 'Unlimited quota (the owner\'s own quota still applies)', unlimited),
      form.field('remain_quota', 'Remaining quota (USD)', remain),
      form.field('expires_at', 'Expires', expires, 'Empty: never. In your browser\'s time zone.'),
      form.field('models', 'Allowed models', models, 'Comma separated; empty allows all.'),
      form.field('subnets', 'Allowed client addresses', subnets),
      session.isAdmin && !t ? form.field('user_id', 'Owner (user id)', owner, 'Empty: the token is yours.') : null,
      session.isAdmin ? form.field('group', 'Group', group) : null,
      h('div', { class: 'field-row' }, form.field('rpm', 'Requests per minute', rpm), form.field('tpm', 'Tokens per minute', tpm)),
      form.field('max_concurrency', 'Requests at once', conc, 'Empty or 0: the gateway\'s default.'),
      form.general,
      h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'secondary', onclick: () => close(null), text: 'Cancel' }), save));
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      form.submit(save, async () => {
        const num = (input) => (input.value === '' ? null : Number(input.value));
        const body = { name: name.value.trim(), unlimited_quota: unlimited.checked, expires_at: toUnix(expires.value),
          models: list(models.value), subnets: list(subnets.value), rpm: num(rpm), tpm: num(tpm),
          max_concurrency: num(conc) };
        if (!unlimited.checked) body.remain_quota = toMicro(remain.value) ?? 0;
        if (session.isAdmin && group.value.trim()) body.group = group.value.trim();
        if (session.isAdmin && !t && owner.value) body.user_id = Number(owner.value);
        const saved = t ? await put('tokens/' + t.id, body) : await post('tokens', body);
        close(saved);
      });
    });
    return el;
  });
}
