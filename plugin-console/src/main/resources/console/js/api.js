// The admin API client: JSON over fetch with the login cookie, the CSRF header on every change, and errors
// in the API's shape ({"error": {"message", "type", "code", "param"}}) turned into ApiError.

/** An answer that was not a success; `param` names the field at fault when the API says. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || (status ? `the gateway answered ${status}` : 'the gateway cannot be reached'));
    this.status = status;
    this.code = e.code || '';
    this.param = e.param || null;
  }
}

let unauthorized = () => {};

/** @param handler called when a request answers 401 (the session ended) */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)sb_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

/**
 * @param {string} method HTTP method
 * @param {string} path below /api/, e.g. "channels?page=1"
 * @param {object|FormData} [body] JSON body, or a multipart form
 * @returns {Promise<any>} the parsed answer, null for 204
 */
export async function api(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  let res;
  try {
    res = await fetch('/api/' + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { error: { message: 'the gateway cannot be reached (' + e.message + ')' } });
  }
  const text = res.status === 204 ? '' : await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !quiet401) unauthorized();
    throw new ApiError(res.status, json);
  }
  return json;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

/** @returns {string} a query string of the defined, non-empty values */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** Reads every page of a list (the API caps per_page). */
export async function all(path, perPage = 200) {
  const out = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const r = await get(`${path}${sep}page=${page}&per_page=${perPage}`);
    out.push(...r.data);
    if (out.length >= r.total || r.data.length === 0) return out;
  }
}
