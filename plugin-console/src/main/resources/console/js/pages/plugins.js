// Plugins: installed bundles, their state and channel types; root uploads a jar (written to plugins/ and
// hot-deployed) or removes one.
import { api, del, all } from '../api.js';
import { h, show, table, status, errorSlot, act, actionButton, loader, confirmDialog } from '../ui.js';

export default async function plugins(main, session) {
  const box = h('div', { id: 'plugin-list' });
  const error = errorSlot('plugins');
  const reload = loader(box, error, () => all('plugins'), (rows) => pluginTable(rows, session, reload));
  show(main, h('h1', { text: 'Plugins' }),
    session.isRoot ? uploadForm(reload) : h('p', { class: 'hint', text: 'Only root installs or removes plugins: a plugin runs code inside the gateway.' }),
    error, box);
  await reload();
}

function uploadForm(reload) {
  const file = h('input', { type: 'file', id: 'plugin-file', accept: '.jar,application/java-archive', 'aria-label': 'Plugin jar' });
  const button = h('button', { type: 'submit', id: 'upload-plugin', text: 'Upload and install' });
  const slot = errorSlot('upload');
  const result = h('p', { id: 'upload-result', role: 'status' });
  const form = h('form', { class: 'panel', id: 'plugin-upload' },
    h('h2', { text: 'Install or update a plugin' }),
    h('p', { class: 'hint', text: 'The jar is written to plugins/ and started within seconds; a newer version of an installed plugin replaces it.' }),
    h('div', { class: 'toolbar' }, file, button), slot, result);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    result.textContent = '';
    if (!file.files.length) {
      slot.set(new Error('choose a plugin jar first'));
      return;
    }
    act(button, slot, async () => {
      const body = new FormData();
      body.append('file', file.files[0]);
      const p = await api('POST', 'plugins', body);
      if (p.error) {
        slot.set(new Error(`${p.symbolic_name} ${p.version} is installed but not running: ${p.error}`));
      } else {
        result.textContent = `${p.symbolic_name} ${p.version} is ${p.state}`
          + (p.channel_types && p.channel_types.length ? `; channel types: ${p.channel_types.join(', ')}` : '') + '.';
      }
      file.value = '';
      reload();
    });
  });
  return form;
}

function pluginTable(rows, session, reload) {
  return table([
    { label: 'Plugin', cell: (p) => h('span', { class: 'mono', text: p.symbolic_name }) },
    { label: 'Version', cell: (p) => p.version },
    { label: 'State', cell: (p) => [status(p.state), p.error ? h('p', { class: 'error', text: p.error }) : null] },
    { label: 'Channel types', cell: (p) => [
      p.channel_types && p.channel_types.length ? p.channel_types.join(', ') : '—',
      // A type another plugin also claims and serves (higher service.ranking): this one waits behind it.
      ...(p.shadowed || []).map((s) => h('p', { class: 'hint shadowed',
        text: `${s.channel_type}: shadowed by ${s.by.symbolic_name} ${s.by.version}` })),
    ] },
    { label: 'File', cell: (p) => p.file || '—' },
    session.isRoot ? { label: 'Actions', cell: (p) => {
      const slot = errorSlot('plugin-' + p.symbolic_name);
      const b = actionButton('Remove', 'danger', slot, async () => {
        const warn = p.symbolic_name.endsWith('.console') ? ' The console itself stops being served.' : '';
        if (await confirmDialog(`Remove ${p.symbolic_name}? Its channel types stop serving (their channels are kept).${warn}`, 'Remove')) {
          await del('plugins/' + encodeURIComponent(p.symbolic_name));
          reload();
        }
      });
      return h('div', {}, b, slot);
    } } : null,
  ].filter(Boolean), rows, { id: 'plugins-table', empty: 'No plugins are installed.' });
}
