import { Html, html } from '../common/html';
import { arrowHead, Markup } from '../evidence/markup';

/**
 * 照片标注 drawn over the original on the pages: an SVG laid over the <img> (the photo's bytes are never changed).
 * The SVG's viewBox is the photo's pixel size when it was marked up; `xMidYMid slice` crops exactly as the <img>'s `object-fit: cover` does.
 */
export function markupOverlay(m: Markup | null | undefined, label: string): Html {
  if (!m || !m.shapes.length) return html``;
  const { w, h } = m;
  const font = Math.round(Math.max(w, h) * 0.045);
  const shapes = m.shapes.map((s) => {
    if (s.t === 'arrow') {
      const head = arrowHead(s, w, h).map(([x, y]) => `${x},${y}`).join(' ');
      return html`<g class="mk-shape"><line x1="${s.x1 * w}" y1="${s.y1 * h}" x2="${s.x2 * w}" y2="${s.y2 * h}"/><polyline points="${head}"/></g>`;
    }
    if (s.t === 'circle') return html`<g class="mk-shape"><ellipse cx="${s.x * w}" cy="${s.y * h}" rx="${s.r * w}" ry="${s.r * w}"/></g>`;
    return html`<text class="mk-text" x="${s.x * w}" y="${s.y * h}" font-size="${font}">${s.s}</text>`;
  });
  return html`<svg class="markup-overlay" viewBox="0 0 ${w} ${h}" preserveAspectRatio="xMidYMid slice" role="img" aria-label="${label}">${shapes}</svg>`;
}

/** "标注：箭头 1、文字 1" for the photo's caption. */
export function markupCaption(m: Markup | null | undefined): string {
  if (!m || !m.shapes.length) return '';
  const n = (t: string) => m.shapes.filter((s) => s.t === t).length;
  return '标注：' + [['arrow', '箭头'], ['circle', '圆圈'], ['text', '文字']].filter(([t]) => n(t) > 0).map(([t, l]) => `${l} ${n(t)}`).join('、');
}
