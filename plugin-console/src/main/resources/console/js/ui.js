// Small DOM helpers, formatting in the browser's locale and zone, tables that become cards on phones, dialogs.

/**
 * Creates an element. attrs: `class`, `text`, `on<event>` listeners, `value`/`checked`/`disabled` properties,
 * anything else as an attribute (null and false skip it). Children: nodes, strings, arrays, null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

const numbers = new Intl.NumberFormat();
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: 2,
  maximumFractionDigits: 6 });

export const fmt = {
  int: (n) => (n === null || n === undefined ? '—' : numbers.format(n)),
  /** Money is integer micro-units of a US dollar. */
  money: (micro) => (micro === null || micro === undefined ? '—' : money.format(micro / 1e6)),
  quota: (micro, unlimited) => (unlimited ? 'unlimited' : fmt.money(micro)),
  /** Unix seconds in the browser's zone. */
  time: (s) => (s ? new Date(s * 1000).toLocaleString() : '—'),
  ms: (n) => (n === null || n === undefined || n < 0 ? '—' : numbers.format(n) + ' ms'),
  pct: (x) => (Number.isFinite(x) ? (x * 100).toFixed(1) + ' %' : '—'),
};

/** USD text from an input to micro-units, or null when blank. */
export function toMicro(text) {
  const t = String(text ?? '').trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? Math.round(n * 1e6) : NaN;
}

/** Micro-units to the plain USD number an input shows. */
export const fromMicro = (micro) => (micro === null || micro === undefined ? '' : String(micro / 1e6));

/** Unix seconds from a datetime-local input (the browser's zone), or null. */
export function toUnix(value) {
  return value ? Math.floor(new Date(value).getTime() / 1000) : null;
}

/** Unix seconds to a datetime-local input's value in the browser's zone. */
export function toLocalInput(s) {
  if (!s) return '';
  const d = new Date(s * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export const list = (text) => String(text || '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

export function status(value) {
  return h('span', { class: 'status ' + value, text: value });
}

/**
 * A table; on phones each row is a card labelled by column.
 * @param columns [{label, cell: row => node|string, num}]
 * @param rows the rows
 * @param opts {empty: text when there are none, onRow: click handler, id}
 */
export function table(columns, rows, opts = {}) {
  if (!rows.length) return h('p', { class: 'empty', text: opts.empty || 'Nothing here yet.' });
  return h('table', { class: 'data', id: opts.id },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : null, text: c.label })))),
    h('tbody', {}, rows.map((r) => h('tr', {
      class: opts.onRow ? 'clickable' : null, 'data-id': r.id ?? r.key ?? r.model ?? r.symbolic_name,
      onclick: opts.onRow ? (e) => { if (!e.target.closest('button, a, input')) opts.onRow(r); } : null,
    }, columns.map((c) => h('td', { class: c.num ? 'num' : null, 'data-label': c.label }, h('div', {}, c.cell(r))))))));
}

/** Replaces a container's content. */
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
  return container;
}

export const loading = (what = 'Loading…') => h('p', { class: 'loading', role: 'status', text: what });

/** An error element next to what caused it; `set(err)` fills it, `set(null)` clears it. */
export function errorSlot(name) {
  const el = h('p', { class: 'error', role: 'alert', 'data-error-for': name || null });
  el.set = (err) => { el.textContent = err ? (err.message || String(err)) : ''; };
  return el;
}

/**
 * Runs an action for a button: disables it while running, shows the API's error in the slot.
 * @returns the action's result, or undefined when it failed
 */
export async function act(button, slot, action) {
  slot?.set(null);
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (e) {
    if (slot) slot.set(e);
    else alert(e.message);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A small button whose action's error lands in the slot. */
export function actionButton(text, cls, slot, run) {
  const b = h('button', { type: 'button', class: 'small ' + cls, 'data-action': text.toLowerCase(), text });
  b.addEventListener('click', () => act(b, slot, run));
  return b;
}

/**
 * @returns a function that shows a loading state in the box, then what `render` makes of `fetch()`'s result, or
 *     the error in the slot
 */
export function loader(box, slot, fetch, render) {
  return async () => {
    show(box, loading());
    slot.set(null);
    try {
      show(box, render(await fetch()));
    } catch (e) {
      show(box);
      slot.set(e);
    }
  };
}

/**
 * A modal dialog. `build(close)` returns its content. Resolves with what close() was given.
 */
export function dialog(title, build) {
  return new Promise((resolve) => {
    const d = h('dialog', { 'aria-label': title });
    const close = (value) => { d.close(); d.remove(); resolve(value); };
    d.addEventListener('cancel', (e) => { e.preventDefault(); close(undefined); });
    d.append(h('h2', { text: title }), build(close));
    document.body.append(d);
    d.showModal();
  });
}

/** Asks before something that cannot be undone. */
export function confirmDialog(message, action = 'Delete') {
  return dialog('Please confirm', (close) => h('div', {},
    h('p', { text: message }),
    h('div', { class: 'buttons' },
      h('button', { class: 'secondary', type: 'button', onclick: () => close(false), text: 'Cancel' }),
      h('button', { class: 'danger', type: 'button', 'data-confirm': 'yes', onclick: () => close(true),
        text: action }))));
}

/**
 * A form whose fields carry their own error slots: the API's `param` puts its message under that field,
 * anything else goes under the buttons.
 */
export class Form {
  constructor() {
    this.slots = new Map();
    this.general = errorSlot('form');
  }

  /** A labelled field; `input` is an element, `hint` optional text. */
  field(name, label, input, hint) {
    input.name = input.name || name;
    input.id = input.id || 'f-' + name;
    const slot = errorSlot(name);
    this.slots.set(name, slot);
    return h('div', { class: 'field' }, input.type === 'checkbox'
      ? h('label', { class: 'inline', for: input.id }, input, label)
      : [h('label', { for: input.id, text: label }), input],
      hint ? h('p', { class: 'hint', text: hint }) : null, slot);
  }

  clear() {
    this.general.set(null);
    this.slots.forEach((s) => s.set(null));
  }

  /** Shows an error under its field when the API named one this form has. */
  fail(err) {
    const parts = err && err.param ? String(err.param).split(/[.[\]]/).filter(Boolean) : [];
    const slot = [err?.param, parts[parts.length - 1], parts[0]].map((p) => p && this.slots.get(p)).find(Boolean);
    (slot || this.general).set(err);
  }

  /** Runs a submit: errors land next to their fields. */
  async submit(button, action) {
    this.clear();
    if (button) button.disabled = true;
    try {
      return await action();
    } catch (e) {
      this.fail(e);
      return undefined;
    } finally {
      if (button) button.disabled = false;
    }
  }
}

/** Copies text; falls back to selecting it where the clipboard API is unavailable. */
export async function copy(text, node) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (node) {
      const r = document.createRange();
      r.selectNodeContents(node);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return document.execCommand('copy');
    }
    return false;
  }
}
