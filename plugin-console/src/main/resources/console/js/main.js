// The console shell: who is logged in, the navigation their role allows, and hash routes (#/channels) so the
// same files work at / and at /console/.
import { get, post, onUnauthorized } from './api.js';
import { h, show, loading, errorSlot } from './ui.js';
import { loginPage } from './pages/login.js';

const PAGES = [
  { path: 'dashboard', label: 'Dashboard', load: () => import('./pages/dashboard.js') },
  { path: 'channels', label: 'Channels', admin: true, load: () => import('./pages/channels.js') },
  { path: 'tokens', label: 'Tokens', load: () => import('./pages/tokens.js') },
  { path: 'users', label: 'Users', admin: true, load: () => import('./pages/users.js') },
  { path: 'logs', label: 'Logs', load: () => import('./pages/logs.js') },
  { path: 'prices', label: 'Prices', admin: true, load: () => import('./pages/prices.js') },
  { path: 'plugins', label: 'Plugins', admin: true, load: () => import('./pages/plugins.js') },
  { path: 'settings', label: 'Settings', admin: true, load: () => import('./pages/settings.js') },
];

const app = document.getElementById('app');
let session = null;

function allowed(page) {
  return !page.admin || session.isAdmin;
}

async function start(notice) {
  show(app, loading());
  try {
    const me = await get('auth/me', { quiet401: true });
    session = { user: me, isAdmin: me.role === 'admin' || me.role === 'root', isRoot: me.role === 'root' };
    route();
  } catch (e) {
    session = null;
    show(app, loginPage(() => start(), e.status === 401 ? notice : e.message));
  }
}

function layout(current) {
  const logoutError = errorSlot('logout');
  const nav = h('nav', { 'aria-label': 'Pages' }, PAGES.filter(allowed).map((p) =>
    h('a', { href: '#/' + p.path, class: p === current ? 'active' : null, 'data-page': p.path, text: p.label })));
  const header = h('header', { class: 'top' },
    h('span', { class: 'brand', text: 'Switchboard' }),
    nav,
    h('span', { class: 'who' },
      h('span', { id: 'who', text: `${session.user.username} (${session.user.role})` }),
      h('button', { type: 'button', id: 'logout', class: 'small', onclick: logout, text: 'Log out' }),
      logoutError));
  const main = h('main', { id: 'page', 'data-page': current.path });
  show(app, header, main);
  return main;
}

async function logout() {
  try {
    await post('auth/logout');
  } catch {
    // The session may already be gone; the login page follows either way.
  }
  session = null;
  location.hash = '#/dashboard';
  show(app, loginPage(() => start(), 'You are logged out.'));
}

async function route() {
  if (!session) return;
  const name = (location.hash.replace(/^#\/?/, '').split(/[/?]/)[0]) || 'dashboard';
  const page = PAGES.find((p) => p.path === name && allowed(p)) || PAGES[0];
  const main = layout(page);
  document.title = `${page.label} · Switchboard`;
  show(main, loading());
  try {
    const module = await page.load();
    await module.default(main, session);
  } catch (e) {
    if (e.status !== 401) show(main, h('p', { class: 'error', role: 'alert', text: e.message }));
  }
}

onUnauthorized(() => {
  if (session) {
    session = null;
    show(app, loginPage(() => start(), 'Your session ended; please log in again.'));
  }
});
window.addEventListener('hashchange', route);
start();
