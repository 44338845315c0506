// Users and groups (admins): list, create, edit quota, role and group, disable; group price multipliers.
import { post, put, all, query } from '../api.js';
import { h, fmt, show, loading, table, status, errorSlot, actionButton, dialog, Form, toMicro, fromMicro } from '../ui.js';

export default async function users(main, session) {
  const usersBox = h('div', { id: 'user-list' });
  const groupsBox = h('div', { id: 'group-list' });
  const error = errorSlot('users');
  const q = h('input', { type: 'search', id: 'user-search', placeholder: 'Search user names', 'aria-label': 'Search users' });
  const reload = async () => {
    show(usersBox, loading());
    show(groupsBox, loading());
    try {
      const [rows, groups] = await Promise.all([all('users' + query({ q: q.value.trim() })), all('groups')]);
      show(usersBox, userTable(rows, session, reload));
      show(groupsBox, groupTable(groups, reload));
    } catch (e) {
      error.set(e);
    }
  };
  let timer;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(reload, 250); });
  show(main, h('h1', { text: 'Users' }),
    h('div', { class: 'toolbar' }, q, h('button', { type: 'button', id: 'new-user', text: 'New user',
      onclick: async () => { if (await editUser(null, session)) reload(); } })),
    error, usersBox,
    h('h2', { text: 'Groups' }),
    h('p', { class: 'hint', text: 'A group multiplies the prices its users and tokens pay (1 = list price).' }),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'secondary', id: 'new-group', text: 'New group',
      onclick: async () => { if (await editGroup(null)) reload(); } })),
    groupsBox);
  await reload();
}

function userTable(rows, session, reload) {
  return table([
    { label: 'User', cell: (u) => h('span', {}, h('strong', { text: u.username }), ' ', h('span', { class: 'hint', text: '#' + u.id })) },
    { label: 'Role', cell: (u) => u.role },
    { label: 'Status', cell: (u) => status(u.status) },
    { label: 'Group', cell: (u) => u.group },
    { label: 'Quota', cell: (u) => fmt.quota(u.quota, u.unlimited_quota), num: true },
    { label: 'Used', cell: (u) => fmt.money(u.used_quota), num: true },
    { label: 'Requests', cell: (u) => fmt.int(u.request_count), num: true },
    { label: 'Actions', cell: (u) => {
      const slot = errorSlot('user-' + u.id);
      const toggle = actionButton(u.status === 'enabled' ? 'Disable' : 'Enable', 'secondary', slot, async () => {
        await put('users/' + u.id, { status: u.status === 'enabled' ? 'disabled' : 'enabled' });
        reload();
      });
      return h('div', {}, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'small secondary', 'data-action': 'edit', text: 'Edit',
          onclick: async () => { if (await editUser(u, session)) reload(); } }),
        u.id === 1 ? null : toggle), slot);
    } },
  ], rows, { id: 'users-table', empty: 'No users match.' });
}

async function editUser(u, session) {
  return dialog(u ? `Edit "${u.username}"` : 'New user', (close) => {
    const form = new Form();
    const username = h('input', { value: u?.username || '', disabled: !!u, autocomplete: 'off' });
    const password = h('input', { type: 'password', autocomplete: 'new-password', placeholder: u ? 'unchanged' : '' });
    const roles = session.isRoot ? ['user', 'admin', 'root'] : ['user'];
    const role = h('select', {}, [...new Set([...(u ? [u.role] : []), ...roles])].map((r) => h('option', { value: r, text: r, selected: u?.role === r })));
    const group = h('input', { value: u?.group || 'default' });
    const unlimited = h('input', { type: 'checkbox', checked: !!u?.unlimited_quota });
    const quota = h('input', { type: 'number', step: 'any', min: 0, value: u ? fromMicro(u.quota) : '' , placeholder: 'the default quota' });
    const save = h('button', { type: 'submit', id: 'save-user', text: u ? 'Save' : 'Create' });
    const el = h('form', { id: 'user-form' },
      form.field('username', 'User name', username),
      form.field('password', 'Password', password),
      h('div', { class: 'field-row' }, form.field('role', 'Role', role), form.field('group', 'Group', group)),
      form.field('unlimited_quota', 'Unlimited quota', unlimited),
      form.field('quota', 'Quota left (USD)', quota),
      form.general,
      h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'secondary', onclick: () => close(false), text: 'Cancel' }), save));
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      form.submit(save, async () => {
        const body = { role: role.value, group: group.value.trim(), unlimited_quota: unlimited.checked };
        const q = toMicro(quota.value);
        if (q !== null) body.quota = q;
        if (password.value) body.password = password.value;
        if (u) await put('users/' + u.id, body);
        else await post('users', { ...body, username: username.value.trim() });
        close(true);
      });
    });
    return el;
  });
}

function groupTable(groups, reload) {
  return table([
    { label: 'Group', cell: (g) => g.name },
    { label: 'Multiplier', cell: (g) => String(g.multiplier), num: true },
    { label: 'Actions', cell: (g) => h('button', { type: 'button', class: 'small secondary', 'data-action': 'edit', text: 'Edit',
      onclick: async () => { if (await editGroup(g)) reload(); } }) },
  ], groups, { id: 'groups-table', empty: 'No group has a multiplier yet; every group pays list prices.' });
}

async function editGroup(g) {
  return dialog(g ? `Group "${g.name}"` : 'New group', (close) => {
    const form = new Form();
    const name = h('input', { value: g?.name || '', disabled: !!g });
    const multiplier = h('input', { type: 'number', step: 'any', min: 0, value: g?.multiplier ?? 1 });
    const save = h('button', { type: 'submit', id: 'save-group', text: 'Save' });
    const el = h('form', {}, form.field('name', 'Name', name), form.field('multiplier', 'Multiplier', multiplier),
      form.general,
      h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'secondary', onclick: () => close(false), text: 'Cancel' }), save));
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      form.submit(save, async () => {
        await put('groups/' + encodeURIComponent(name.value.trim()), { multiplier: Number(multiplier.value) });
        close(true);
      });
    });
    return el;
  });
}
