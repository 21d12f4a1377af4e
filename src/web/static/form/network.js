// @ts-check
/*
 * Requests to the API. `request` never rejects: every outcome (answer, refusal, no network) is a value, so the
 * sync loop decides what to retry. What the answers say about the connection and the session is reported to
 * `onNetwork` (set by the page).
 */

/**
 * @typedef {object} Reply
 * @property {boolean} ok 2xx
 * @property {number} status 0 without an answer; 401 also when the session expired into the login page
 * @property {any} data the parsed JSON body, or null
 * @property {boolean} networkError
 * @property {boolean} fromCache served by the service worker's copy (header X-Yian-Cache: hit)
 */

/**
 * @typedef {object} Session
 * @property {string} csrf sent on every non-GET
 * @property {(reachedNetwork: boolean, reply: Reply) => void} onReply
 */

/** @type {Session} */
const session = { csrf: '', onReply: () => {} };

/** @param {Partial<Session>} s */
export function configure(s) { Object.assign(session, s); }

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body] JSON, or FormData for uploads
 * @param {{ timeout?: number }} [opts]
 * @returns {Promise<Reply>}
 */
export function request(method, url, body, opts) {
  const o = opts || {};
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  /** @type {BodyInit | undefined} */
  let payload;
  if (typeof FormData !== 'undefined' && body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  if (method !== 'GET') headers['X-CSRF-Token'] = session.csrf;
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctrl ? setTimeout(() => ctrl.abort(), o.timeout || 30000) : undefined;
  /** @type {RequestInit} */
  const init = { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' };
  if (ctrl) init.signal = ctrl.signal;
  return fetch(url, init).then((res) => res.text().then((txt) => {
    clearTimeout(timer);
    let data = null;
    try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
    const fromCache = res.headers.get('X-Yian-Cache') === 'hit';
    let status = res.status;
    if (res.redirected && /\/login(\?|$)/.test(res.url || '')) status = 401; // session expired → login page
    /** @type {Reply} */
    const reply = { ok: status >= 200 && status < 300, status, data, networkError: false, fromCache };
    session.onReply(!fromCache, reply);
    return reply;
  }), () => {
    clearTimeout(timer);
    /** @type {Reply} */
    const reply = { ok: false, status: 0, data: null, networkError: true, fromCache: false };
    session.onReply(false, reply);
    return reply;
  });
}

/** One line for the inspector about a failed request. @param {Reply | null | undefined} r */
export function describeError(r) {
  if (!r) return '未知错误';
  if (r.networkError) return '网络不可用';
  if (r.status === 401) return '登录已过期';
  if (r.data && r.data.message) return String(r.data.message);
  return '服务器错误（' + r.status + '）';
}

/** An upload answer that stops the whole queue until later (network, session, rate, server) rather than refusing one photo. @param {Reply} r */
export function stopsQueue(r) {
  return r.networkError || r.status === 401 || r.status === 403 || r.status === 408 || r.status === 429 || r.status >= 500;
}
