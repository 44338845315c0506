// Prices: the model price table (USD per 1M tokens, per request, per image), editable; models seen in traffic
// without a price are flagged first.
import { put, del, all } from '../api.js';
import { h, fmt, show, loading, table, errorSlot, actionButton, dialog, confirmDialog, Form, toMicro, fromMicro } from '../ui.js';

const FIELDS = [
  ['input_per_mtok', 'Input / 1M tokens'], ['output_per_mtok', 'Output / 1M tokens'],
  ['cached_input_per_mtok', 'Cached input / 1M'], ['per_request', 'Per request'], ['per_image', 'Per image'],
];
const path = (model) => 'prices/' + model.split('/').map(encodeURIComponent).join('/');

export default async function prices(main) {
  const q = h('input', { type: 'search', id: 'price-search', placeholder: 'Filter models', 'aria-label': 'Filter models' });
  const unpricedBox = h('div', { id: 'unpriced' });
  const box = h('div', { id: 'price-list' });
  const error = errorSlot('prices');
  let rows = [];
  const render = () => show(box, priceTable(rows.filter((p) => p.model.toLowerCase().includes(q.value.trim().toLowerCase())), reload));
  const reload = async () => {
    show(box, loading());
    try {
      const [priced, unpriced] = await Promise.all([all('prices'), all('prices/unpriced')]);
      rows = priced;
      show(unpricedBox, unpriced.length ? h('section', { class: 'panel' },
        h('h2', { class: 'flag', text: `Unpriced models (${unpriced.length})` }),
        h('p', { class: 'hint', text: 'These were requested but have no price: they are served at cost 0 (or refused, with pricing.unpriced = reject).' }),
        table([
          { label: 'Model', cell: (u) => h('span', { class: 'flag', text: u.model }) },
          { label: 'Requests', cell: (u) => fmt.int(u.requests), num: true },
          { label: 'Last seen', cell: (u) => fmt.time(u.last_seen_at) },
          { label: '', cell: (u) => h('button', { type: 'button', class: 'small', 'data-action': 'set-price', text: 'Set price',
            onclick: async () => { if (await editPrice({ model: u.model }, true)) reload(); } }) },
        ], unpriced, { id: 'unpriced-table' })) : null);
      render();
    } catch (e) {
      show(box);
      error.set(e);
    }
  };
  q.addEventListener('input', render);
  show(main, h('h1', { text: 'Prices' }),
    h('p', { class: 'hint', text: 'US dollars. Group multipliers apply on top (see Users).' }),
    unpricedBox,
    h('div', { class: 'toolbar' }, q, h('button', { type: 'button', id: 'new-price', text: 'New price',
      onclick: async () => { if (await editPrice(null, true)) reload(); } })),
    error, box);
  await reload();
}

function priceTable(rows, reload) {
  return table([
    { label: 'Model', cell: (p) => h('span', { class: 'mono', text: p.model }) },
    ...FIELDS.map(([k, label]) => ({ label, cell: (p) => (p[k] ? fmt.money(p[k]) : '—'), num: true })),
    { label: 'Actions', cell: (p) => {
      const slot = errorSlot('price-' + p.model);
      const remove = actionButton('Delete', 'danger', slot, async () => {
        if (await confirmDialog(`Remove the price of ${p.model}? It is then served unpriced.`)) {
          await del(path(p.model));
          reload();
        }
      });
      return h('div', {}, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'small secondary', 'data-action': 'edit', text: 'Edit',
          onclick: async () => { if (await editPrice(p, false)) reload(); } }), remove), slot);
    } },
  ], rows, { id: 'prices-table', empty: 'No prices match.' });
}

async function editPrice(p, isNew) {
  return dialog(isNew ? 'Set a price' : `Price of ${p.model}`, (close) => {
    const form = new Form();
    const model = h('input', { value: p?.model || '', disabled: !isNew || !!p?.model });
    const inputs = FIELDS.map(([k, label]) => [k, label, h('input', { type: 'number', step: 'any', min: 0, value: p ? fromMicro(p[k]) : '' })]);
    const save = h('button', { type: 'submit', id: 'save-price', text: 'Save' });
    const el = h('form', { id: 'price-form' }, form.field('model', 'Model', model),
      h('div', { class: 'field-row' }, inputs.map(([k, label, input]) => form.field(k, label + ' (USD)', input))),
      form.general,
      h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'secondary', onclick: () => close(false), text: 'Cancel' }), save));
    el.addEventListener('submit', (e) => {
      e.preventDefault();
      form.submit(save, async () => {
        const body = {};
        for (const [k, , input] of inputs) {
          const v = toMicro(input.value);
          if (Number.isNaN(v)) throw Object.assign(new Error('enter a number of US dollars'), { param: k });
          body[k] = v ?? 0;
        }
        if (!model.value.trim()) throw Object.assign(new Error('name the model'), { param: 'model' });
        await put(path(model.value.trim()), body);
        close(true);
      });
    });
    return el;
  });
}
