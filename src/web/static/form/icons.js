// @ts-check
/*
 * Inline SVG icons (no emoji font is needed: many phones have none). Built with createElementNS, drawn with
 * currentColor, hidden from assistive technology — the button or label beside them carries the text.
 */

const NS = 'http://www.w3.org/2000/svg';

/** 24×24 outline paths. */
const PATHS = {
  camera: ['M4 8h3l1.5-2h7L17 8h3a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z', 'M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  prev: ['M15 5l-7 7 7 7'],
  next: ['M9 5l7 7-7 7'],
  arrow: ['M5 19L19 5', 'M10 5h9v9'],
  circle: ['M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z'],
  text: ['M5 6h14', 'M12 6v13', 'M9 19h6'],
  undo: ['M9 14L4 9l5-5', 'M4 9h10a5 5 0 0 1 0 10h-3'],
  pen: ['M4 20l4-1 11-11-3-3L5 16l-1 4z', 'M14 6l3 3'],
};

/** @typedef {keyof typeof PATHS} IconName */

/** @param {IconName} name @param {string} [cls] @returns {SVGSVGElement} */
export function icon(name, cls) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon' + (cls ? ' ' + cls : ''));
  PATHS[name].forEach((d) => {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '2');
    p.setAttribute('stroke-linecap', 'round');
    p.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(p);
  });
  return svg;
}
