// Settings: the run-time settings the admin API keeps in the store, saved all at once.
import { get, put } from '../api.js';
import { h, show, Form } from '../ui.js';

const HELP = {
  'pricing.unpriced': ['A model without a price is…', ['serve', 'reject']],
  'quota.default_max_tokens': ['Completion tokens assumed for the quota estimate when a request sets no max_tokens'],
  'logs.retention_days': ['Days log entries are kept (decimals allowed)'],
  'users.default_quota': ['Quota of a new user that names none (micro-units: 1 USD = 1,000,000)'],
};

export default async function settings(main) {
  const values = await get('settings');
  const form = new Form();
  const inputs = new Map();
  const fields = Object.entries(values).map(([key, value]) => {
    const [help, choices] = HELP[key] || [''];
    const input = choices
      ? h('select', {}, choices.map((c) => h('option', { value: c, text: c, selected: String(value) === c })))
      : h('input', { value: value === null ? '' : String(value) });
    inputs.set(key, { input, kind: typeof value });
    return form.field(key, key, input, help);
  });
  const saved = h('p', { id: 'settings-saved', class: 'ok', role: 'status' });
  const save = h('button', { type: 'submit', id: 'save-settings', text: 'Save settings' });
  const el = h('form', { class: 'panel', id: 'settings-form' }, fields, form.general, h('div', { class: 'buttons' }, save), saved);
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    saved.textContent = '';
    form.submit(save, async () => {
      const body = {};
      for (const [key, { input, kind }] of inputs) {
        body[key] = kind === 'number' && input.value.trim() !== '' && !Number.isNaN(Number(input.value)) ? Number(input.value) : input.value;
      }
      await put('settings', body);
      saved.textContent = 'Saved.';
    });
  });
  show(main, h('h1', { text: 'Settings' }),
    h('p', { class: 'hint', text: 'Settings kept in the store; they apply at once. Start-up settings live in conf/switchboard.properties.' }), el);
}
