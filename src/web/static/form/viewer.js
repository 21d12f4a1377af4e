// @ts-check
/*
 * 全屏照片查看: tap a thumbnail → the item's photos full screen; swipe (touch), the arrow keys or the buttons go
 * between them; 关闭 or Escape closes. Shows when and where the photo was taken, and its markup layer (markup.js),
 * which 标注 edits: arrow, circle, text drawn over the photo, saved beside it — the photo itself is never changed.
 * A modal dialog: the rest of the page is inert while it is open, focus stays inside, and returns to the thumbnail.
 */
import { el } from './dom.js';
import { icon } from './icons.js';
import { MAX_SHAPES, MAX_TEXT, drawMarkup, hasMarkup, keepMarkup, markupErrors, markupPending, markupSummary, shapeFromDrag, syncMarkups } from './markup.js';
import { renderThumbs } from './render.js';
import { S, draft } from './state.js';
import { changed } from './sync.js';

/** @typedef {import('./types.js').PhotoMeta} PhotoMeta */
/** @typedef {import('./types.js').MarkupShape} MarkupShape */

const SWIPE_PX = 50;

/**
 * @typedef {object} ViewerState
 * @property {string} code
 * @property {number} index
 * @property {boolean} marking
 * @property {'arrow' | 'circle' | 'text'} tool
 * @property {MarkupShape[]} shapes the layer being edited
 * @property {{ x: number, y: number } | null} drag
 * @property {MarkupShape | null} preview
 * @property {HTMLElement | null} opener
 * @property {Element[]} inerted
 */
/** @type {ViewerState} */
const V = { code: '', index: 0, marking: false, tool: 'arrow', shapes: [], drag: null, preview: null, opener: null, inerted: [] };

/** @type {Record<string, any> | null} */
let dom = null;

/** @param {string} cls @param {string} labelText @param {Element} ic @param {string} [text] */
function iconButton(cls, labelText, ic, text) {
  return el('button', { type: 'button', class: 'pv-btn ' + cls, 'aria-label': labelText }, [ic, text ? el('span', { class: 'pv-btn-text', text }) : null]);
}

function build() {
  const title = el('h2', { id: 'pv-title', class: 'pv-title' });
  const close = iconButton('pv-close', '关闭照片查看', icon('close'));
  const img = el('img', { class: 'pv-img', alt: '' });
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
  svg.setAttribute('class', 'pv-overlay');
  svg.setAttribute('aria-hidden', 'true');
  const frame = el('div', { class: 'pv-frame' }, [img]);
  frame.appendChild(svg);
  const stage = el('div', { class: 'pv-stage', 'data-role': 'pv-stage' }, [frame]);
  const meta = el('p', { class: 'pv-meta', 'aria-live': 'polite' });
  const prev = iconButton('pv-prev', '上一张照片', icon('prev'), '上一张');
  const next = iconButton('pv-next', '下一张照片', icon('next'), '下一张');
  const mark = iconButton('pv-mark', '标注这张照片（原图不变）', icon('pen'), '标注');
  const nav = el('div', { class: 'pv-nav' }, [prev, mark, next]);
  const tArrow = iconButton('pv-tool', '箭头', icon('arrow'), '箭头');
  const tCircle = iconButton('pv-tool', '圆圈', icon('circle'), '圆圈');
  const tText = iconButton('pv-tool', '文字', icon('text'), '文字');
  tArrow.setAttribute('data-tool', 'arrow'); tCircle.setAttribute('data-tool', 'circle'); tText.setAttribute('data-tool', 'text');
  const textInput = el('input', { id: 'pv-text', class: 'pv-text', type: 'text', maxlength: MAX_TEXT, placeholder: '输入文字后点照片放置', autocomplete: 'off' });
  const textRow = el('div', { class: 'pv-text-row', hidden: true }, [el('label', { for: 'pv-text', class: 'visually-hidden', text: '标注文字' }), textInput]);
  const undo = iconButton('pv-undo', '撤销上一个标注', icon('undo'), '撤销');
  const cancel = el('button', { type: 'button', class: 'pv-btn pv-cancel', text: '取消' });
  const save = el('button', { type: 'button', class: 'pv-btn pv-save primary', text: '保存标注' });
  const tools = el('div', { class: 'pv-tools', hidden: true, role: 'group', 'aria-label': '标注工具' }, [
    el('div', { class: 'pv-toolrow' }, [tArrow, tCircle, tText, undo]), textRow, el('div', { class: 'pv-toolrow' }, [cancel, save]),
  ]);
  const hint = el('p', { class: 'pv-hint', 'aria-live': 'polite' });
  const root = el('div', { class: 'pv', id: 'photo-viewer', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'pv-title', hidden: true }, [
    el('div', { class: 'pv-top' }, [title, close]), stage, meta, hint, nav, tools,
  ]);
  document.body.appendChild(root);
  dom = { root, title, close, img, svg, frame, stage, meta, prev, next, mark, nav, tools, tArrow, tCircle, tText, textRow, textInput, undo, cancel, save, hint };

  close.addEventListener('click', closeViewer);
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  mark.addEventListener('click', startMarking);
  [tArrow, tCircle, tText].forEach((b) => b.addEventListener('click', () => setTool(/** @type {any} */ (b.getAttribute('data-tool')))));
  undo.addEventListener('click', () => { V.shapes.pop(); redraw(); });
  cancel.addEventListener('click', () => stopMarking(false));
  save.addEventListener('click', () => stopMarking(true));
  img.addEventListener('load', redraw);
  root.addEventListener('keydown', onKey);
  bindSwipe(stage);
  bindDrawing(svg);
}

/** @returns {PhotoMeta[]} */
function photos() {
  const a = draft().answers[V.code];
  return ((a && a.photos) || []).filter((p) => !p.missing && (S.photoUrls[p.key] || p.url));
}

/** Opens the viewer on one photo of an item. @param {string} code @param {string} key */
export function openViewer(code, key) {
  if (!dom) build();
  const d = /** @type {Record<string, any>} */ (dom);
  V.code = code;
  V.index = Math.max(0, photos().findIndex((p) => p.key === key));
  V.marking = false;
  V.opener = /** @type {HTMLElement | null} */ (document.activeElement);
  V.inerted = Array.prototype.filter.call(document.body.children, (n) => n !== d.root && !n.hasAttribute('inert'));
  V.inerted.forEach((n) => n.setAttribute('inert', ''));
  document.documentElement.classList.add('pv-open');
  d.root.hidden = false;
  show();
  d.close.focus();
}

export function closeViewer() {
  if (!dom || dom.root.hidden) return;
  if (V.marking) stopMarking(false);
  dom.root.hidden = true;
  V.inerted.forEach((n) => n.removeAttribute('inert'));
  V.inerted = [];
  document.documentElement.classList.remove('pv-open');
  renderThumbs(V.code);
  const p = photos()[V.index];
  const back = p && /** @type {HTMLElement | null} */ (document.querySelector('[data-view="' + p.key + '"]'));
  if (back) back.focus();
  else if (V.opener && V.opener.isConnected) V.opener.focus();
}

/** @param {number} dir */
function step(dir) {
  const list = photos();
  if (V.marking || list.length < 2) return;
  V.index = (V.index + dir + list.length) % list.length;
  show();
}

/** @param {string | undefined} iso */
function when(iso) {
  const d = new Date(iso || '');
  if (isNaN(d.getTime())) return '';
  try {
    return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  } catch (e) { return d.toISOString(); }
}

function show() {
  const d = /** @type {Record<string, any>} */ (dom);
  const list = photos();
  const p = list[V.index];
  if (!p) { closeViewer(); return; }
  d.title.textContent = V.code + ' 照片 ' + (V.index + 1) + ' / ' + list.length;
  d.img.alt = V.code + ' 照片 ' + (V.index + 1) + (hasMarkup(p) ? '（含标注：' + markupSummary(p.markup) + '）' : '');
  if (d.img.getAttribute('src') !== (S.photoUrls[p.key] || p.url)) d.img.setAttribute('src', S.photoUrls[p.key] || p.url || '');
  const where = p.lat != null && p.lng != null ? 'GPS ' + p.lat.toFixed(5) + ', ' + p.lng.toFixed(5) + '（本机定位）'
    : p.exif ? 'GPS ' + p.exif.lat.toFixed(5) + ', ' + p.exif.lng.toFixed(5) + '（照片自带）' : '未取得定位';
  const state = p.evidenceId ? '已上传' : '待上传';
  const mk = hasMarkup(p) ? ' · 标注：' + markupSummary(p.markup) + (markupErrors[p.key] ? '（未保存到服务器：' + markupErrors[p.key] + '）' : markupPending(p) ? '（待同步）' : '') : '';
  d.meta.textContent = '拍摄 ' + when(p.takenAt) + ' · ' + where + ' · ' + state + mk;
  d.prev.disabled = list.length < 2;
  d.next.disabled = list.length < 2;
  d.hint.textContent = list.length > 1 ? '左右滑动查看其他照片' : '';
  V.shapes = p.markup ? p.markup.shapes.slice() : [];
  redraw();
}

function redraw() {
  if (!dom) return;
  const p = photos()[V.index];
  const w = dom.img.naturalWidth || (p && p.markup && p.markup.w) || 1000;
  const h = dom.img.naturalHeight || (p && p.markup && p.markup.h) || 750;
  const shapes = V.marking ? V.shapes.concat(V.preview ? [V.preview] : []) : (p && p.markup ? p.markup.shapes : []);
  drawMarkup(dom.svg, { v: 1, w, h, shapes }, w, h);
  if (V.marking) dom.undo.disabled = V.shapes.length === 0;
}

// ---------------------------------------------------------------- markup

function startMarking() {
  const d = /** @type {Record<string, any>} */ (dom);
  V.marking = true;
  V.preview = null;
  d.root.classList.add('marking');
  d.nav.hidden = true;
  d.tools.hidden = false;
  setTool(V.tool);
  redraw();
  d.tArrow.focus();
}

/** @param {'arrow' | 'circle' | 'text'} tool */
function setTool(tool) {
  const d = /** @type {Record<string, any>} */ (dom);
  V.tool = tool;
  [d.tArrow, d.tCircle, d.tText].forEach((b) => b.setAttribute('aria-pressed', String(b.getAttribute('data-tool') === tool)));
  d.textRow.hidden = tool !== 'text';
  d.hint.textContent = tool === 'text' ? '输入文字，再点照片上要放置的位置。' : tool === 'circle' ? '在照片上从圆心拖动画圆。' : '在照片上从起点拖到要指出的位置。';
  if (tool === 'text') d.textInput.focus();
}

/** @param {boolean} keep */
function stopMarking(keep) {
  const d = /** @type {Record<string, any>} */ (dom);
  const p = photos()[V.index];
  if (keep && p) {
    const w = d.img.naturalWidth || 1000;
    const h = d.img.naturalHeight || 750;
    keepMarkup(p, { v: 1, w, h, shapes: V.shapes.slice(0, MAX_SHAPES) });
    delete markupErrors[p.key];
    changed();
    syncMarkups().then(() => { if (!d.root.hidden && !V.marking) show(); renderThumbs(V.code); });
  }
  V.marking = false;
  V.drag = null;
  V.preview = null;
  d.root.classList.remove('marking');
  d.tools.hidden = true;
  d.nav.hidden = false;
  show();
  if (keep) d.hint.textContent = '标注已保存在本机' + (p && p.evidenceId ? '，正在同步到服务器。' : '，照片上传后同步。') + '原图不变。';
  d.mark.focus();
}

/** A pointer position in fractions of the photo. @param {PointerEvent} e */
function fracOf(e) {
  const r = /** @type {Record<string, any>} */ (dom).svg.getBoundingClientRect();
  return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / (r.width || 1))), y: Math.min(1, Math.max(0, (e.clientY - r.top) / (r.height || 1))) };
}

function aspect() {
  const img = /** @type {Record<string, any>} */ (dom).img;
  return (img.naturalWidth || 4) / (img.naturalHeight || 3);
}

/** @param {SVGSVGElement} svg */
function bindDrawing(svg) {
  svg.addEventListener('pointerdown', (e) => {
    if (!V.marking) return;
    e.preventDefault();
    const f = fracOf(e);
    if (V.tool === 'text') {
      const s = String(/** @type {Record<string, any>} */ (dom).textInput.value || '').trim().slice(0, MAX_TEXT);
      if (!s) { /** @type {Record<string, any>} */ (dom).hint.textContent = '请先输入标注文字。'; return; }
      if (V.shapes.length < MAX_SHAPES) V.shapes.push({ t: 'text', x: Math.round(f.x * 1000) / 1000, y: Math.round(f.y * 1000) / 1000, s });
      /** @type {Record<string, any>} */ (dom).textInput.value = '';
      redraw();
      return;
    }
    V.drag = f;
    try { svg.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ }
  });
  svg.addEventListener('pointermove', (e) => {
    if (!V.marking || !V.drag || V.tool === 'text') return;
    const f = fracOf(e);
    V.preview = shapeFromDrag(V.tool, V.drag.x, V.drag.y, f.x, f.y, aspect());
    redraw();
  });
  const end = (/** @type {PointerEvent} */ e) => {
    if (!V.marking || !V.drag || V.tool === 'text') return;
    const f = fracOf(e);
    const s = shapeFromDrag(V.tool, V.drag.x, V.drag.y, f.x, f.y, aspect());
    V.drag = null;
    V.preview = null;
    if (s && V.shapes.length < MAX_SHAPES) V.shapes.push(s);
    if (V.shapes.length >= MAX_SHAPES) /** @type {Record<string, any>} */ (dom).hint.textContent = '一张照片最多 ' + MAX_SHAPES + ' 个标注。';
    redraw();
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', () => { V.drag = null; V.preview = null; redraw(); });
}

// ---------------------------------------------------------------- swipe, keys, focus

/** @param {HTMLElement} stage */
function bindSwipe(stage) {
  /** @type {{ x: number, y: number } | null} */
  let start = null;
  stage.addEventListener('touchstart', (e) => {
    if (V.marking || e.touches.length !== 1) { start = null; return; }
    start = { x: e.touches[0].clientX, y: e.touches[0].clientY };
  }, { passive: true });
  stage.addEventListener('touchend', (e) => {
    if (!start || V.marking) return;
    const t = e.changedTouches[0];
    const dx = t.clientX - start.x;
    const dy = t.clientY - start.y;
    start = null;
    if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(dy) * 1.5) step(dx < 0 ? 1 : -1);
  });
}

/** @param {KeyboardEvent} e */
function onKey(e) {
  const d = /** @type {Record<string, any>} */ (dom);
  if (e.key === 'Escape') { e.preventDefault(); if (V.marking) stopMarking(false); else closeViewer(); return; }
  const typing = e.target === d.textInput;
  if (!V.marking && !typing && e.key === 'ArrowLeft') { e.preventDefault(); step(-1); return; }
  if (!V.marking && !typing && e.key === 'ArrowRight') { e.preventDefault(); step(1); return; }
  if (typing && e.key === 'Enter') { e.preventDefault(); return; }
  if (e.key !== 'Tab') return;
  const focusable = /** @type {HTMLElement[]} */ (Array.prototype.filter.call(d.root.querySelectorAll('button, input'),
    (/** @type {HTMLElement} */ n) => !(/** @type {HTMLButtonElement} */ (n).disabled) && n.offsetParent !== null));
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}
