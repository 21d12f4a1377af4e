// @ts-check
/*
 * 照片标注 on the device: arrows, circles and text drawn over a photo in the full-screen viewer, kept as a separate
 * layer in the photo's draft record (`PhotoMeta.markup`) — the photo's bytes, and so its hash, are never changed.
 * The layer goes to the server (PUT /api/inspections/:id/photos/:evidenceId/markup) once the photo is uploaded.
 * Coordinates are fractions (0…1) of the photo's width and height; the server checks them (evidence/markup.ts).
 */
import { request, describeError } from './network.js';
import { S, env } from './state.js';
import { persist } from './sync.js';

/** @typedef {import('./types.js').Markup} Markup */
/** @typedef {import('./types.js').MarkupShape} MarkupShape */
/** @typedef {import('./types.js').PhotoMeta} PhotoMeta */

const NS = 'http://www.w3.org/2000/svg';
export const MAX_SHAPES = 30;
export const MAX_TEXT = 60;

/** @param {number} v */
const clamp = (v) => Math.min(1, Math.max(0, Math.round(v * 1000) / 1000));

/**
 * A drag from (x1, y1) to (x2, y2) in fractions of the photo: the shape it draws with `tool`, or null when too small
 * to be meant (a tap). Circles are centred where the drag began; their radius is a fraction of the width.
 * @param {'arrow' | 'circle'} tool @param {number} x1 @param {number} y1 @param {number} x2 @param {number} y2 @param {number} aspect w / h
 * @returns {MarkupShape | null}
 */
export function shapeFromDrag(tool, x1, y1, x2, y2, aspect) {
  const dx = x2 - x1;
  const dy = (y2 - y1) / (aspect || 1);
  const len = Math.sqrt(dx * dx + dy * dy);
  if (len < 0.03) return null;
  if (tool === 'circle') return { t: 'circle', x: clamp(x1), y: clamp(y1), r: Math.min(0.75, Math.max(0.01, Math.round(len * 1000) / 1000)) };
  return { t: 'arrow', x1: clamp(x1), y1: clamp(y1), x2: clamp(x2), y2: clamp(y2) };
}

/** @param {string} tag @param {Record<string, string | number>} attrs @returns {SVGElement} */
function svgEl(tag, attrs) {
  const n = /** @type {SVGElement} */ (document.createElementNS(NS, tag));
  Object.keys(attrs).forEach((k) => n.setAttribute(k, String(attrs[k])));
  return n;
}

/**
 * Draws a layer into an <svg> laid over the photo (the same drawing as the officer's review page).
 * @param {SVGSVGElement} svg @param {Markup | null | undefined} m @param {number} w @param {number} h
 */
export function drawMarkup(svg, m, w, h) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
  svg.setAttribute('preserveAspectRatio', 'none');
  const shapes = (m && m.shapes) || [];
  const font = Math.round(Math.max(w, h) * 0.045);
  shapes.forEach((s) => {
    if (s.t === 'arrow') {
      const g = svgEl('g', { class: 'mk-shape' });
      g.appendChild(svgEl('line', { x1: s.x1 * w, y1: s.y1 * h, x2: s.x2 * w, y2: s.y2 * h }));
      g.appendChild(svgEl('polyline', { points: arrowHead(s, w, h).map((p) => p[0] + ',' + p[1]).join(' ') }));
      svg.appendChild(g);
    } else if (s.t === 'circle') {
      const g = svgEl('g', { class: 'mk-shape' });
      g.appendChild(svgEl('ellipse', { cx: s.x * w, cy: s.y * h, rx: s.r * w, ry: s.r * w }));
      svg.appendChild(g);
    } else {
      const t = svgEl('text', { class: 'mk-text', x: s.x * w, y: s.y * h, 'font-size': font });
      t.textContent = s.s;
      svg.appendChild(t);
    }
  });
}

/** The arrow's head in pixels (as evidence/markup.ts `arrowHead`). @param {{ x1: number, y1: number, x2: number, y2: number }} a @param {number} w @param {number} h @returns {[number, number][]} */
export function arrowHead(a, w, h) {
  const x1 = a.x1 * w, y1 = a.y1 * h, x2 = a.x2 * w, y2 = a.y2 * h;
  const len = Math.max(1, Math.hypot(x2 - x1, y2 - y1));
  const size = Math.min(len * 0.4, Math.max(w, h) * 0.04);
  const ang = Math.atan2(y2 - y1, x2 - x1);
  /** @param {number} d @returns {[number, number]} */
  const side = (d) => [Math.round((x2 - size * Math.cos(ang + d)) * 10) / 10, Math.round((y2 - size * Math.sin(ang + d)) * 10) / 10];
  return [side(Math.PI / 7), [Math.round(x2 * 10) / 10, Math.round(y2 * 10) / 10], side(-Math.PI / 7)];
}

/** "箭头 1、文字 1" @param {Markup | null | undefined} m */
export function markupSummary(m) {
  const shapes = (m && m.shapes) || [];
  /** @param {string} t */
  const n = (t) => shapes.filter((s) => s.t === t).length;
  return [['arrow', '箭头'], ['circle', '圆圈'], ['text', '文字']].filter((p) => n(p[0]) > 0).map((p) => p[1] + ' ' + n(p[0])).join('、');
}

/** @param {PhotoMeta} meta */
export function hasMarkup(meta) { return !!(meta.markup && meta.markup.shapes && meta.markup.shapes.length); }

/** The layer changed on the device and the server does not have it yet. @param {PhotoMeta} meta */
export function markupPending(meta) { return (meta.markupRev || 0) !== (meta.markupSent || 0); }

/**
 * Keeps a new layer in the photo's draft record (saved on the device at once) and sends it when it can.
 * @param {PhotoMeta} meta @param {Markup | null} markup
 */
export function keepMarkup(meta, markup) {
  meta.markup = markup && markup.shapes.length ? markup : null;
  meta.markupRev = (meta.markupRev || 0) + 1;
}

/** Refusals by photo key (4xx: the layer stays on the device, the viewer says why). @type {Record<string, string>} */
export const markupErrors = {};

/** @typedef {import('./types.js').Draft} Draft */

/** Photos of a draft (already uploaded) whose layer the server does not have. @param {Draft} d @returns {PhotoMeta[]} */
export function pendingLayers(d) {
  /** @type {PhotoMeta[]} */
  const list = [];
  Object.keys(d.answers).forEach((code) => (d.answers[code].photos || []).forEach((p) => {
    if (p.evidenceId && markupPending(p)) list.push(p);
  }));
  return list;
}

/**
 * The outbox senders (form page submit, task list): sends every pending layer of `d`, one at a time, before POST
 * /submit. A 4xx refusal is kept in `errors` and returned (the submit goes ahead: the layer is optional and stays
 * on the device); a network / session / server failure is counted in `waiting` (the caller submits later).
 * Used by `syncMarkups` too. No page state: the task list calls it with a draft read from local storage.
 * @param {Draft} d @param {string} api /api/inspections/<id> @param {() => void} save keeps the draft after each sent layer
 * @param {Record<string, string>} [errors] refusals by photo key (skipped, reported as refused)
 * @returns {Promise<{ waiting: number, refused: string }>}
 */
export function sendPendingLayers(d, api, save, errors) {
  const errs = errors || {};
  let waiting = 0;
  /** @type {string[]} */
  const refused = [];
  return pendingLayers(d).reduce((/** @type {Promise<void>} */ prev, p) => prev.then(() => {
    if (errs[p.key]) { refused.push(errs[p.key]); return; }
    const rev = p.markupRev || 0;
    return request('PUT', api + '/photos/' + encodeURIComponent(p.evidenceId || '') + '/markup', { markup: p.markup || null }, { timeout: 30000 })
      .then((r) => {
        if (r.ok) { p.markupSent = rev; delete errs[p.key]; save(); return; }
        if (!r.networkError && r.status >= 400 && r.status < 500 && r.status !== 401 && r.status !== 408 && r.status !== 429) {
          errs[p.key] = describeError(r);
          refused.push(errs[p.key]);
        } else waiting++;
      });
  }), Promise.resolve()).then(() => ({ waiting, refused: refused.filter((x, i) => refused.indexOf(x) === i).join('；') }));
}
/** @type {Promise<void> | null} */
let sending = null;

/** Sends every layer the server lacks, for photos already uploaded; one at a time; offline: later. @returns {Promise<void>} */
export function syncMarkups() {
  if (sending) return sending.then(() => (hasPendingMarkup() ? syncMarkups() : undefined));
  if (!S.draft || !navigator.onLine || !hasPendingMarkup()) return Promise.resolve();
  // the same sender as the outbox's, with this page's draft and its refusals (a refused layer is not sent again)
  sending = sendPendingLayers(S.draft, env.api, () => { if (!S.done) persist(); }, markupErrors)
    .then(() => { sending = null; }, () => { sending = null; });
  return sending;
}

function hasPendingMarkup() {
  const d = S.draft;
  if (!d) return false;
  return Object.keys(d.answers).some((c) => (d.answers[c].photos || []).some((p) => p.evidenceId && markupPending(p) && !markupErrors[p.key]));
}
