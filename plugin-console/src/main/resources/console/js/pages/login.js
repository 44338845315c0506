// Login: user name and password; the API's answer (wrong password, disabled user, too many attempts) is shown
// under the button.
import { post } from '../api.js';
import { h, errorSlot } from '../ui.js';

export function loginPage(onLoggedIn, notice) {
  const error = errorSlot('login');
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username' });
  const password = h('input', { id: 'password', name: 'password', type: 'password',
    autocomplete: 'current-password' });
  const button = h('button', { type: 'submit', id: 'login', text: 'Log in' });
  const form = h('form', { class: 'login', 'aria-label': 'Log in' },
    h('h1', { text: 'Switchboard' }),
    notice ? h('p', { class: 'hint', id: 'login-notice', text: notice }) : null,
    h('label', { for: 'username', text: 'User name' }), username,
    h('label', { for: 'password', text: 'Password' }), password,
    button, error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.set(null);
    button.disabled = true;
    try {
      await post('auth/login', { username: username.value.trim(), password: password.value });
      onLoggedIn();
    } catch (err) {
      error.set(err);
      password.select();
    } finally {
      button.disabled = false;
    }
  });
  setTimeout(() => username.focus(), 0);
  return form;
}
