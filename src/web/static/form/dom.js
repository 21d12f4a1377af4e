// @ts-check
/* Small DOM helpers. Text is always set as text: nothing from the server or the draft is parsed as HTML. */

/**
 * el('p', { class: 'x', text: '…' }, [children]). `null`/`false` attributes and children are skipped.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined> | null} [attrs]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs, children) {
  const n = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach((k) => {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') n.textContent = String(v);
      else if (k === 'class') n.className = String(v);
      else if (v === true) n.setAttribute(k, '');
      else n.setAttribute(k, String(v));
    });
  }
  (children || []).forEach((c) => {
    if (c === null || c === undefined || c === false) return;
    n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  });
  return n;
}

/** A descendant that must be there (the form built it). @param {ParentNode} parent @param {string} selector @returns {HTMLElement} */
export function must(parent, selector) {
  const n = parent.querySelector(selector);
  if (!(n instanceof HTMLElement)) throw new Error(selector + ' not found');
  return n;
}

/** The `data-role` part of an item section. @param {ParentNode} sec @param {string} role @returns {HTMLElement} */
export function part(sec, role) { return must(sec, '[data-role="' + role + '"]'); }

/** The element an event came from, as an Element (or null for text nodes and the like). @param {Event} e */
export function targetOf(e) {
  const t = e.target;
  return t instanceof Element ? t : null;
}

/** @param {import('./types.js').Text} t */
export function zh(t) {
  if (t == null) return '';
  if (typeof t === 'string') return t;
  return t.zh || t.en || '';
}

/** Local HH:MM of an ISO time ('' when unparsable). @param {string | null | undefined} iso */
export function hhmm(iso) {
  const d = new Date(iso || '');
  if (isNaN(d.getTime())) return '';
  /** @param {number} n */
  const p = (n) => (n < 10 ? '0' : '') + n;
  return p(d.getHours()) + ':' + p(d.getMinutes());
}

/** A v4 UUID, also in an insecure context (plain-HTTP LAN installs) where randomUUID is missing. */
export function uuid() {
  try {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  } catch (e) { /* insecure context: fall through */ }
  const b = new Uint8Array(16);
  if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.prototype.map.call(b, (/** @type {number} */ x) => (x + 0x100).toString(16).slice(1)).join('');
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}

export function noop() {}
