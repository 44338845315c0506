// Logs: the request log, filtered and paged, newest first; a row opens the request's upstream attempts.
import { get, query } from '../api.js';
import { h, fmt, show, loading, table, errorSlot, dialog, toUnix } from '../ui.js';

const PER_PAGE = 25;

export default async function logs(main, session) {
  const f = {
    from: h('input', { type: 'datetime-local', id: 'log-from', 'aria-label': 'From' }),
    to: h('input', { type: 'datetime-local', id: 'log-to', 'aria-label': 'To' }),
    model: h('input', { type: 'search', id: 'log-model', placeholder: 'Model', 'aria-label': 'Model' }),
    status: h('select', { id: 'log-status', 'aria-label': 'Status' }, h('option', { value: '', text: 'Any status' }),
      h('option', { value: 'success', text: 'Successes' }), h('option', { value: 'error', text: 'Errors' })),
    token_id: h('input', { type: 'number', id: 'log-token', placeholder: 'Token id', 'aria-label': 'Token id', min: 1 }),
    channel_id: session.isAdmin ? h('input', { type: 'number', id: 'log-channel', placeholder: 'Channel id', 'aria-label': 'Channel id', min: 1 }) : null,
    user_id: session.isAdmin ? h('input', { type: 'number', id: 'log-user', placeholder: 'User id', 'aria-label': 'User id', min: 1 }) : null,
    type: session.isAdmin ? h('select', { id: 'log-type', 'aria-label': 'Type' }, h('option', { value: 'relay', text: 'Requests' }),
      h('option', { value: 'admin', text: 'Admin actions' }), h('option', { value: '', text: 'Both' })) : null,
  };
  const box = h('div', { id: 'log-list' });
  const error = errorSlot('logs');
  let page = 1;
  const load = async () => {
    show(box, loading());
    error.set(null);
    try {
      const params = { page, per_page: PER_PAGE, from: toUnix(f.from.value), to: toUnix(f.to.value),
        model: f.model.value.trim(), status: f.status.value, token_id: f.token_id.value,
        channel_id: f.channel_id?.value, user_id: f.user_id?.value, type: session.isAdmin ? f.type.value : 'relay' };
      const r = await get('logs' + query(params));
      const pages = Math.max(1, Math.ceil(r.total / PER_PAGE));
      show(box, logTable(r.data), h('div', { class: 'pager' },
        h('button', { type: 'button', class: 'small secondary', id: 'prev-page', disabled: page <= 1, text: 'Previous',
          onclick: () => { page--; load(); } }),
        h('span', { id: 'page-info', text: `Page ${page} of ${pages} · ${fmt.int(r.total)} entries` }),
        h('button', { type: 'button', class: 'small secondary', id: 'next-page', disabled: page >= pages, text: 'Next',
          onclick: () => { page++; load(); } })));
    } catch (e) {
      show(box);
      error.set(e);
    }
  };
  const apply = () => { page = 1; load(); };
  Object.values(f).filter(Boolean).forEach((el) => el.addEventListener('change', apply));
  show(main, h('h1', { text: session.isAdmin ? 'Logs' : 'My logs' }),
    h('div', { class: 'toolbar' }, Object.values(f).filter(Boolean),
      h('button', { type: 'button', class: 'secondary', id: 'refresh-logs', text: 'Refresh', onclick: load })),
    error, box);
  await load();
}

function logTable(rows) {
  return table([
    { label: 'Time', cell: (e) => fmt.time(e.created_at) },
    { label: 'Model', cell: (e) => (e.type === 'admin' ? h('em', { text: e.action }) : e.model) },
    { label: 'Token', cell: (e) => (e.token_name ? `${e.token_name} (#${e.token_id})` : '—') },
    { label: 'Channel', cell: (e) => (e.channel_id ? '#' + e.channel_id : '—') },
    { label: 'Status', cell: (e) => h('span', { class: e.status >= 400 ? 'error' : 'ok', text: String(e.status) }) },
    { label: 'Prompt', cell: (e) => fmt.int(e.prompt_tokens), num: true },
    { label: 'Completion', cell: (e) => fmt.int(e.completion_tokens), num: true },
    { label: 'Cost', cell: (e) => fmt.money(e.cost), num: true },
    { label: 'Total', cell: (e) => fmt.ms(e.total_ms), num: true },
  ], rows, { id: 'logs-table', empty: 'No log entries match.', onRow: detail });
}

function detail(e) {
  const field = (label, value) => [h('dt', { text: label }), h('dd', { text: value ?? '—' })];
  dialog(`Request ${e.request_id || '#' + e.id}`, (close) => h('div', { id: 'log-detail' },
    h('dl', {},
      field('Time', fmt.time(e.created_at)), field('User', '#' + e.user_id),
      field('Token', e.token_name ? `${e.token_name} (#${e.token_id})` : null),
      field('Model', e.model), field('Upstream model', e.upstream_model), field('Stream', e.is_stream ? 'yes' : 'no'),
      field('Status', e.status), field('Error', e.error),
      field('Tokens', e.type === 'relay' ? `${fmt.int(e.prompt_tokens)} prompt + ${fmt.int(e.completion_tokens)} completion` : null),
      field('Cost', fmt.money(e.cost)), field('First byte', fmt.ms(e.first_byte_ms)), field('Total', fmt.ms(e.total_ms)),
      field('Client', e.client_ip), field('Request id', e.request_id)),
    h('h2', { text: 'Attempts' }),
    table([
      { label: '#', cell: (a) => String(a.n) },
      { label: 'Channel', cell: (a) => '#' + a.channel_id },
      { label: 'Status', cell: (a) => (a.status > 0 ? String(a.status) : '—') },
      { label: 'Time', cell: (a) => fmt.ms(a.ms), num: true },
      { label: 'Reason', cell: (a) => a.reason || '' },
    ], (e.attempts || []).map((a, i) => ({ ...a, n: i + 1 })), { id: 'attempts-table', empty: 'No upstream was called.' }),
    h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: () => close(), text: 'Close' }))));
}
