// Channels: list with filters, create and edit with the form the channel type describes, test, enable and
// disable, delete, fetch models and refresh the balance where the type supports it.
import { get, post, put, del, query, all } from '../api.js';
import { h, fmt, show, loading, table, status, errorSlot, act, actionButton, loader, dialog, confirmDialog, Form, list }
  from '../ui.js';

export default async function channels(main) {
  const types = await all('channel-types');
  const typeById = new Map(types.map((t) => [t.id, t]));
  const q = h('input', { type: 'search', id: 'channel-search', placeholder: 'Search name or model',
    'aria-label': 'Search channels' });
  const type = h('select', { id: 'channel-type-filter', 'aria-label': 'Type' }, h('option', { value: '', text: 'All types' }),
    types.map((t) => h('option', { value: t.id, text: t.name || t.id })));
  const state = h('select', { id: 'channel-status-filter', 'aria-label': 'Status' },
    ['', 'enabled', 'disabled', 'auto_disabled'].map((s) => h('option', { value: s, text: s || 'Any status' })));
  const listBox = h('div', { id: 'channel-list' });
  const error = errorSlot('channels');
  const reload = loader(listBox, error,
    () => all('channels' + query({ q: q.value.trim(), type: type.value, status: state.value })),
    (rows) => channelTable(rows, typeById, reload));
  let timer;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(reload, 250); });
  type.addEventListener('change', reload);
  state.addEventListener('change', reload);
  show(main, h('h1', { text: 'Channels' }),
    h('div', { class: 'toolbar' }, q, type, state,
      h('button', { type: 'button', id: 'new-channel', text: 'New channel',
        onclick: async () => { if (await editChannel(null, types)) reload(); } })),
    error, listBox);
  await reload();
}

function channelTable(rows, typeById, reload) {
  return table([
    { label: 'Name', cell: (c) => h('span', {}, h('strong', { text: c.name }), ' ', h('span', { class: 'hint', text: '#' + c.id })) },
    { label: 'Type', cell: (c) => [c.type, c.type_installed ? null : h('span', { class: 'flag', text: ' (not installed)' })] },
    { label: 'Status', cell: (c) => [status(c.status), c.status_reason ? h('p', { class: 'hint', text: c.status_reason }) : null] },
    { label: 'Priority', cell: (c) => fmt.int(c.priority), num: true },
    { label: 'Weight', cell: (c) => fmt.int(c.weight), num: true },
    { label: 'Models', cell: (c) => h('span', { class: 'mono', text: (c.models || []).join(', ') }) },
    { label: 'Response', cell: (c) => fmt.ms(c.response_time_ms), num: true },
    { label: 'Balance', cell: (c) => balance(c), num: true },
    { label: 'Used', cell: (c) => fmt.money(c.used_quota), num: true },
    { label: 'Actions', cell: (c) => actions(c, typeById.get(c.type), reload) },
  ], rows, { id: 'channels-table', empty: 'No channels match. Create one to start relaying.' });
}

function balance(c) {
  if (c.balance === null || c.balance === undefined) return '—';
  return h('span', { title: c.balance_updated_at ? 'updated ' + fmt.time(c.balance_updated_at) : null,
    text: `${c.balance} ${c.balance_currency || ''}`.trim() });
}

function actions(c, type, reload) {
  const slot = errorSlot('channel-' + c.id);
  const ops = new Set(type ? type.operations : []);
  const button = (text, cls, run) => actionButton(text, cls, slot, run);
  return h('div', {},
    h('div', { class: 'actions' },
      button('Test', 'secondary', () => testChannel(c)),
      button('Edit', 'secondary', async () => { if (await editChannel(c, null)) reload(); }),
      c.status === 'enabled'
        ? button('Disable', 'secondary', async () => { await post(`channels/${c.id}/disable`); reload(); })
        : button('Enable', 'secondary', async () => { await post(`channels/${c.id}/enable`); reload(); }),
      ops.has('balance') ? button('Balance', 'secondary', async () => { await get(`channels/${c.id}/balance`); reload(); }) : null,
      button('Delete', 'danger', async () => {
        if (await confirmDialog(`Delete the channel "${c.name}"? Its configuration is lost.`)) {
          await del(`channels/${c.id}`);
          reload();
        }
      })),
    slot);
}

async function testChannel(c) {
  await dialog(`Test "${c.name}"`, (close) => {
    const model = h('select', { id: 'test-model' }, (c.models || []).filter((m) => !m.includes('*'))
      .map((m) => h('option', { value: m, text: m })));
    const result = h('div', { id: 'test-result', role: 'status' });
    const run = h('button', { type: 'button', id: 'run-test', text: 'Run test' });
    const slot = errorSlot('test');
    run.addEventListener('click', () => act(run, slot, async () => {
      show(result, loading('Calling the upstream…'));
      const r = await post(`channels/${c.id}/test` + query({ model: model.value }));
      show(result, r.success
        ? h('p', { class: 'ok' }, `OK in ${fmt.ms(r.latency_ms)}: `, h('q', { text: r.message }))
        : h('p', { class: 'error' }, `Failed after ${fmt.ms(r.latency_ms)}${r.status ? ' (HTTP ' + r.status + ')' : ''}: ${r.message}`));
    }));
    return h('div', {}, h('label', { for: 'test-model', text: 'Model' }), model,
      h('p', { class: 'hint', text: 'Sends a small real request ("Say hi.") through this channel.' }),
      result, slot,
      h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'secondary', onclick: () => close(), text: 'Close' }), run));
  });
}

/** The create or edit form; its type's metadata decides the key hint, options and default models. */
async function editChannel(channel, types) {
  const allTypes = types || await all('channel-types');
  const c = channel ? await get('channels/' + channel.id) : null;
  return dialog(c ? `Edit "${c.name}"` : 'New channel', (close) => {
    const form = new Form();
    const name = h('input', { value: c?.name || '' });
    const type = h('select', {}, allTypes.map((t) => h('option', { value: t.id, text: `${t.name || t.id} (${t.id})`,
      selected: c ? c.type === t.id : false })));
    if (c && !allTypes.some((t) => t.id === c.type)) type.append(h('option', { value: c.type, selected: true, text: c.type + ' (not installed)' }));
    const key = h('input', { type: 'password', autocomplete: 'off', placeholder: c ? `unchanged (${c.key_masked})` : '' });
    const baseUrl = h('input', { type: 'url', value: c?.base_url || '' });
    const models = h('textarea', { value: (c?.models || []).join(', ') });
    const mapping = h('textarea', { value: c && Object.keys(c.model_mapping || {}).length ? JSON.stringify(c.model_mapping, null, 1) : '', placeholder: '{"gpt-4o": "my-deployment"}' });
    const groups = h('input', { value: (c?.groups || ['default']).join(', ') });
    const priority = h('input', { type: 'number', step: 1, value: c?.priority ?? 0 });
    const weight = h('input', { type: 'number', step: 1, min: 0, value: c?.weight ?? 1 });
    const proxy = h('input', { value: c?.proxy || '', placeholder: 'http://proxy:3128' });
    const typeBox = h('div', { id: 'type-fields' });
    const keyHint = h('p', { class: 'hint', id: 'key-hint' });
    const modelsSlot = errorSlot('fetch-models');
    const fillDefaults = h('button', { type: 'button', class: 'small secondary', id: 'fill-default-models', text: 'Fill default models' });
    const fetchModels = h('button', { type: 'button', class: 'small secondary', id: 'fetch-models', text: 'Fetch from upstream' });
    let configInputs = [];
    const current = () => allTypes.find((t) => t.id === type.value);
    const renderType = () => {
      const t = current();
      keyHint.textContent = t && t.key_hint ? 'Key format: ' + t.key_hint : '';
      baseUrl.placeholder = t && t.default_base_url ? t.default_base_url : '';
      fillDefaults.hidden = !(t && t.default_models && t.default_models.length);
      fetchModels.hidden = !(c && t && t.operations.includes('models'));
      configInputs = (t ? t.config_fields : []).map((f) => configInput(f, c?.config?.[f.name]));
      show(typeBox, configInputs.map((ci) => form.field(ci.field.name, ci.field.label || ci.field.name, ci.input, ci.field.description)));
    };
    type.addEventListener('change', renderType);
    fillDefaults.addEventListener('click', () => {
      const merged = [...new Set([...list(models.value), ...current().default_models])];
      models.value = merged.join(', ');
    });
    fetchModels.addEventListener('click', () => act(fetchModels, modelsSlot, async () => {
      const r = await post(`channels/${c.id}/fetch-models`);
      models.value = [...new Set([...list(models.value), ...r.data])].join(', ');
    }));
    renderType();
    const save = h('button', { type: 'submit', id: 'save-channel', text: c ? 'Save' : 'Create' });
    const el = h('form', { id: 'channel-form' },
      h('div', { class: 'field-row' }, form.field('name', 'Name', name), form.field('type', 'Type', type)),
      form.field('key', 'Key', key), keyHint,
      form.field('base_url', 'Base URL', baseUrl, 'Leave empty for the type\'s default.'),
      form.field('models', 'Models', models, 'Comma or line separated; "prefix-*" serves every name with that prefix.'),
      h('div', { class: 'actions' }, fillDefaults, fetchModels), modelsSlot,
      form.field('model_mapping', 'Model mapping (JSON)', mapping),
      h('div', { class: 'field-row' }, form.field('priority', 'Priority', priority, 'Highest first.'),
        form.field('weight', 'Weight', weight)),
      form.field('groups', 'Groups', groups),
      typeBox,
      form.field('proxy', 'Outbound proxy', proxy),
      form.general,
      h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'secondary', onclick: () => close(false), text: 'Cancel' }), save));
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      form.submit(save, async () => {
        const body = { name: name.value.trim(), type: type.value, base_url: baseUrl.value.trim() || null,
          models: list(models.value), groups: list(groups.value), priority: Number(priority.value),
          weight: Number(weight.value), proxy: proxy.value.trim() || null };
        if (key.value) body.key = key.value;
        try {
          body.model_mapping = mapping.value.trim() ? JSON.parse(mapping.value) : {};
        } catch {
          throw Object.assign(new Error('model mapping must be a JSON object, e.g. {"a": "b"}'), { param: 'model_mapping' });
        }
        const config = {};
        for (const ci of configInputs) {
          const v = ci.read();
          if (v !== undefined) config[ci.field.name] = v;
        }
        body.config = config;
        if (c) await put('channels/' + c.id, body);
        else await post('channels', body);
        close(true);
      });
    });
    return el;
  });
}

function configInput(field, value) {
  const v = value ?? field.default ?? '';
  let input;
  let read;
  switch (field.kind) {
    case 'choice':
      input = h('select', {}, (field.required ? [] : [h('option', { value: '', text: '(default)' })])
        .concat((field.choices || []).map((ch) => h('option', { value: ch, text: ch, selected: String(v) === ch }))));
      read = () => input.value || undefined;
      break;
    case 'boolean':
      input = h('input', { type: 'checkbox', checked: v === true || v === 'true' });
      read = () => input.checked;
      break;
    case 'object':
      input = h('textarea', { value: v && typeof v === 'object' ? JSON.stringify(v, null, 1) : '' });
      read = () => {
        if (!input.value.trim()) return undefined;
        try {
          return JSON.parse(input.value);
        } catch {
          throw Object.assign(new Error(`${field.name} must be a JSON object`), { param: field.name });
        }
      };
      break;
    default:
      input = h('input', { value: v });
      read = () => input.value.trim() || undefined;
  }
  input.id = 'config-' + field.name;
  return { field, input, read };
}
