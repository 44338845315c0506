// Dashboard: totals, a chart per hour (requests, tokens, cost or error rate) and the top models, channels and
// tokens over a chosen range. A user's statistics are their own (the API limits them).
import { get, query, all } from '../api.js';
import { h, fmt, show, loading, table, errorSlot } from '../ui.js';
import uPlot from '../../vendor/uplot/uPlot.esm.js';

const RANGES = { '24h': 24 * 3600, '7d': 7 * 86400, '30d': 30 * 86400 };
const METRICS = {
  requests: { label: 'Requests', value: (b) => b.requests, format: fmt.int },
  tokens: { label: 'Tokens', value: (b) => b.prompt_tokens + b.completion_tokens, format: fmt.int },
  cost: { label: 'Cost', value: (b) => b.cost / 1e6, format: (v) => fmt.money(Math.round(v * 1e6)) },
  error_rate: { label: 'Error rate', value: (b) => (b.requests ? b.errors / b.requests : 0), format: fmt.pct },
};

export default async function dashboard(main, session) {
  const range = h('select', { id: 'range', 'aria-label': 'Time range' },
    h('option', { value: '24h', text: 'Last 24 hours' }), h('option', { value: '7d', text: 'Last 7 days' }),
    h('option', { value: '30d', text: 'Last 30 days' }));
  const metric = h('select', { id: 'metric', 'aria-label': 'Chart' },
    Object.entries(METRICS).map(([k, m]) => h('option', { value: k, text: m.label })));
  const body = h('div', { id: 'dashboard' });
  const error = errorSlot('dashboard');
  show(main, h('h1', { text: session.isAdmin ? 'Dashboard' : 'My dashboard' }),
    h('div', { class: 'toolbar' }, range, metric), error, body);
  let data = null;
  const load = async () => {
    show(body, loading());
    error.set(null);
    try {
      data = await fetchAll(session, RANGES[range.value]);
      render(body, data, metric.value, session);
    } catch (e) {
      show(body);
      error.set(e);
    }
  };
  range.addEventListener('change', load);
  metric.addEventListener('change', () => data && render(body, data, metric.value, session));
  await load();
}

async function fetchAll(session, span) {
  const to = Math.floor(Date.now() / 1000);
  const from = to - span;
  const q = (group) => get('stats' + query({ group_by: group, from, to })).then((r) => r.data);
  const [hours, models, tokens, channels, tokenList, channelList] = await Promise.all([
    q('hour'), q('model'), q('token'), session.isAdmin ? q('channel') : [],
    all('tokens'), session.isAdmin ? all('channels') : []]);
  return { from, to, hours, models, tokens, channels, tokenList, channelList };
}

function render(body, d, metricName, session) {
  const sum = (k) => d.hours.reduce((s, b) => s + b[k], 0);
  const requests = sum('requests');
  const errors = sum('errors');
  const tokens = sum('prompt_tokens') + sum('completion_tokens');
  const cards = h('div', { class: 'cards' },
    card('Requests', fmt.int(requests), 'total-requests'),
    card('Tokens', fmt.int(tokens), 'total-tokens'),
    card('Cost', fmt.money(sum('cost')), 'total-cost'),
    card('Error rate', requests ? fmt.pct(errors / requests) : '—', 'error-rate'));
  const series = hourly(d);
  const m = METRICS[metricName];
  const chartBox = h('div', { class: 'chart', id: 'chart', role: 'img', 'aria-label': m.label + ' per hour' });
  const names = (list, id, label) => new Map(list.map((x) => [String(x.id), `${x[label]} (#${x[id]})`]));
  const tokenNames = names(d.tokenList, 'id', 'name');
  const channelNames = names(d.channelList, 'id', 'name');
  show(body, cards,
    h('section', { class: 'panel' }, h('h2', { text: m.label + ' per hour' }),
      requests ? chartBox : h('p', { class: 'empty', text: 'No requests in this range yet.' }),
      h('details', {}, h('summary', { text: 'Data' }), table([
        { label: 'Hour', cell: (r) => new Date(r.t * 1000).toLocaleString() },
        { label: m.label, cell: (r) => m.format(m.value(r)), num: true },
      ], series.filter((r) => r.requests), { id: 'chart-data', empty: 'No requests in this range.' }))),
    h('div', { class: 'grid2' },
      top('Top models', d.models, (k) => k, 'top-models'),
      session.isAdmin ? top('Top channels', d.channels, (k) => channelNames.get(k) || '#' + k, 'top-channels') : null,
      top('Top tokens', d.tokens, (k) => tokenNames.get(k) || '#' + k, 'top-tokens')));
  if (requests) drawChart(chartBox, series, m);
}

function card(label, value, id) {
  return h('div', { class: 'card' }, h('div', { class: 'label', text: label }),
    h('div', { class: 'value', id, text: value }));
}

/** Every hour of the range, zero where nothing was logged, so the chart's time axis is true. */
function hourly(d) {
  const byHour = new Map(d.hours.map((b) => [Number(b.key), b]));
  const out = [];
  for (let t = d.from - (d.from % 3600); t <= d.to; t += 3600) {
    out.push({ t, ...(byHour.get(t) || { requests: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, cost: 0 }) });
  }
  return out;
}

function top(title, rows, name, id) {
  const sorted = [...rows].sort((a, b) => b.requests - a.requests).slice(0, 5);
  return h('section', { class: 'panel' }, h('h2', { text: title }), table([
    { label: 'Name', cell: (r) => name(r.key) },
    { label: 'Requests', cell: (r) => fmt.int(r.requests), num: true },
    { label: 'Tokens', cell: (r) => fmt.int(r.prompt_tokens + r.completion_tokens), num: true },
    { label: 'Cost', cell: (r) => fmt.money(r.cost), num: true },
  ], sorted, { id, empty: 'No requests in this range.' }));
}

function drawChart(box, series, m) {
  const width = () => Math.max(240, box.clientWidth || box.parentElement.clientWidth - 24);
  const plot = new uPlot({
    width: width(), height: 240,
    series: [{}, { label: m.label, stroke: '#1f5f99', fill: 'rgba(31,95,153,.12)', value: (u, v) => (v === null ? '—' : m.format(v)) }],
    axes: [{}, { values: (u, vals) => vals.map((v) => m.format(v)), size: 70 }],
    scales: { x: { time: true } },
    legend: { show: true },
  }, [series.map((r) => r.t), series.map((r) => m.value(r))], box);
  const resize = () => plot.setSize({ width: width(), height: 240 });
  window.addEventListener('resize', resize);
  const gone = new MutationObserver(() => {
    if (!box.isConnected) {
      window.removeEventListener('resize', resize);
      plot.destroy();
      gone.disconnect();
    }
  });
  gone.observe(document.body, { childList: true, subtree: true });
}
