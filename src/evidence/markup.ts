import type { FieldIssue } from '../common/app-error';

/**
 * 照片标注: arrows, circles and text an inspector draws over a finding photo, kept as a separate layer — the
 * stored photo (and its SHA-256) is never changed. Coordinates are fractions of the photo's width and height
 * (0…1), so the layer fits the photo at any display size; `w`/`h` are the photo's pixel size when it was marked up
 * (they give the layer its aspect ratio). Pure: no Nest, no TypeORM — the server checks with it, the pages draw with it.
 */
export type MarkupShape =
  | { t: 'arrow'; x1: number; y1: number; x2: number; y2: number }
  | { t: 'circle'; x: number; y: number; r: number }
  | { t: 'text'; x: number; y: number; s: string };

export interface Markup {
  v: 1;
  w: number;
  h: number;
  shapes: MarkupShape[];
}

export const MARKUP_LIMITS = { shapes: 30, text: 60, bytes: 8 * 1024, side: 10_000 } as const;

type Checked = { markup: Markup; issues: [] } | { markup: null; issues: FieldIssue[] };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const frac = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
/** Three decimals: a thousandth of the photo is finer than any finger; keeps the layer small and the hash-free JSON stable. */
const round = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Checks a markup layer sent by a client and returns its normalised form, or the issues naming each bad field
 * (`markup`, `markup.shapes`, `markup.shapes.3.x1` …). Unknown keys are refused, not dropped.
 */
export function checkMarkup(input: unknown, field = 'markup'): Checked {
  const fail = (f: string, reason: string, args: unknown[] = []): Checked => ({ markup: null, issues: [{ field: f, reason, args }] });
  if (!isObj(input)) return fail(field, 'markupInvalid');
  let size: number;
  try { size = Buffer.byteLength(JSON.stringify(input)); } catch { return fail(field, 'markupInvalid'); }
  if (size > MARKUP_LIMITS.bytes) return fail(field, 'markupTooLarge', [MARKUP_LIMITS.bytes / 1024]);
  const extra = Object.keys(input).find((k) => !['v', 'w', 'h', 'shapes'].includes(k));
  if (extra) return fail(`${field}.${extra}`, 'markupInvalid');
  if (input.v !== 1) return fail(`${field}.v`, 'markupInvalid');
  for (const k of ['w', 'h'] as const) {
    const n = input[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MARKUP_LIMITS.side) return fail(`${field}.${k}`, 'markupInvalid');
  }
  if (!Array.isArray(input.shapes)) return fail(`${field}.shapes`, 'markupInvalid');
  if (input.shapes.length > MARKUP_LIMITS.shapes) return fail(`${field}.shapes`, 'markupTooManyShapes', [MARKUP_LIMITS.shapes]);
  const shapes: MarkupShape[] = [];
  const issues: FieldIssue[] = [];
  input.shapes.forEach((raw, i) => {
    const at = `${field}.shapes.${i}`;
    const shape = checkShape(raw, at, issues);
    if (shape) shapes.push(shape);
  });
  if (issues.length) return { markup: null, issues };
  return { markup: { v: 1, w: input.w as number, h: input.h as number, shapes }, issues: [] };
}

const KEYS: Record<MarkupShape['t'], string[]> = { arrow: ['x1', 'y1', 'x2', 'y2'], circle: ['x', 'y', 'r'], text: ['x', 'y', 's'] };

function checkShape(raw: unknown, at: string, issues: FieldIssue[]): MarkupShape | null {
  if (!isObj(raw) || typeof raw.t !== 'string' || !(raw.t in KEYS)) { issues.push({ field: `${at}.t`, reason: 'markupInvalid' }); return null; }
  const t = raw.t as MarkupShape['t'];
  const keys = KEYS[t];
  const extra = Object.keys(raw).find((k) => k !== 't' && !keys.includes(k));
  if (extra) { issues.push({ field: `${at}.${extra}`, reason: 'markupInvalid' }); return null; }
  for (const k of keys) {
    if (k === 's') continue;
    if (!frac(raw[k])) { issues.push({ field: `${at}.${k}`, reason: 'markupInvalid' }); return null; }
  }
  if (t === 'text') {
    const s = typeof raw.s === 'string' ? raw.s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim() : '';
    if (!s) { issues.push({ field: `${at}.s`, reason: 'markupInvalid' }); return null; }
    if ([...s].length > MARKUP_LIMITS.text) { issues.push({ field: `${at}.s`, reason: 'markupTextTooLong', args: [MARKUP_LIMITS.text] }); return null; }
    return { t, x: round(raw.x as number), y: round(raw.y as number), s };
  }
  if (t === 'circle') {
    const r = raw.r as number;
    if (r <= 0 || r > 0.75) { issues.push({ field: `${at}.r`, reason: 'markupInvalid' }); return null; }
    return { t, x: round(raw.x as number), y: round(raw.y as number), r: round(r) };
  }
  return { t, x1: round(raw.x1 as number), y1: round(raw.y1 as number), x2: round(raw.x2 as number), y2: round(raw.y2 as number) };
}

/** The arrow's head: two short strokes back from the tip, in pixels of a `w`×`h` photo (shared by the SVG overlay). */
export function arrowHead(a: { x1: number; y1: number; x2: number; y2: number }, w: number, h: number): [number, number][] {
  const x1 = a.x1 * w, y1 = a.y1 * h, x2 = a.x2 * w, y2 = a.y2 * h;
  const len = Math.max(1, Math.hypot(x2 - x1, y2 - y1));
  const size = Math.min(len * 0.4, Math.max(w, h) * 0.04);
  const ang = Math.atan2(y2 - y1, x2 - x1);
  const side = (d: number): [number, number] => [round1(x2 - size * Math.cos(ang + d)), round1(y2 - size * Math.sin(ang + d))];
  return [side(Math.PI / 7), [round1(x2), round1(y2)], side(-Math.PI / 7)];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Text on the markup layer: how many shapes of each kind (for audit entries and badges). */
export function markupCounts(m: Markup | null): { arrow: number; circle: number; text: number } {
  const out = { arrow: 0, circle: 0, text: 0 };
  (m?.shapes ?? []).forEach((s) => { out[s.t]++; });
  return out;
}
