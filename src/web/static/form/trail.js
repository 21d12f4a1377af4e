// @ts-check
/*
 * 作答轨迹: when and where each answer was given or changed, kept in the draft's answer (`answer.trail`) and sent
 * with the submission (the server's TrailStepDto). Pure functions over plain objects, plus the last position fix
 * the device reported (set by geo.js) — no DOM, unit-tested in Node (trail.spec.ts).
 */

/** @typedef {import('./types.js').TrailStep} TrailStep */
/** @typedef {import('./types.js').Answer} Answer */

/** The server keeps at most 50 steps per item; the first and the latest are what tell. */
export const TRAIL_MAX = 20;
/** Typing in one field is one step: a change within this of the last step of that field updates it. */
export const MERGE_MS = 60000;
/** A position this old or older is not where the answer was given. */
export const FIX_MAX_AGE_MS = 120000;

/** @type {{ lat: number, lng: number, acc?: number, time: number } | null} */
let fix = null;

/** The device's latest position (geo.js calls this). @param {{ lat: number, lng: number, acc?: number, time: number } | null} f */
export function setFix(f) { fix = f; }

/** @returns {{ lat: number, lng: number, acc?: number, time: number } | null} */
export function currentFix() { return fix; }

/**
 * Stamps a step with the position, when one was fixed close enough in time.
 * @param {TrailStep} step @param {{ lat: number, lng: number, acc?: number, time: number } | null} f
 * @returns {boolean} stamped
 */
function stamp(step, f) {
  if (!f || step.lat != null) return false;
  const t = Date.parse(step.at);
  if (isNaN(t) || Math.abs(f.time - t) > FIX_MAX_AGE_MS) return false;
  step.lat = Math.round(f.lat * 1e6) / 1e6;
  step.lng = Math.round(f.lng * 1e6) / 1e6;
  if (typeof f.acc === 'number' && isFinite(f.acc)) step.acc = Math.round(f.acc);
  return true;
}

/**
 * Records that `field` of the answer was set at `now` (and where, if the device knows). Repeated changes to one
 * field within a minute are one step; the trail keeps its first step and the latest ones.
 * @param {Answer} a @param {string} field @param {Date} [now]
 */
export function noteStep(a, field, now) {
  const at = (now || new Date()).toISOString();
  if (!Array.isArray(a.trail)) a.trail = [];
  const last = a.trail[a.trail.length - 1];
  if (last && last.f === field && Date.parse(at) - Date.parse(last.at) < MERGE_MS) {
    last.at = at;
    stamp(last, fix);
    return;
  }
  /** @type {TrailStep} */
  const step = { at, f: field };
  stamp(step, fix);
  a.trail.push(step);
  if (a.trail.length > TRAIL_MAX) a.trail.splice(1, a.trail.length - TRAIL_MAX);
}

/**
 * A position arrived after some answers were given: stamps the steps still without one that were recorded close
 * enough in time. @param {import('./types.js').Draft} draft @param {{ lat: number, lng: number, acc?: number, time: number } | null} f
 * @returns {number} steps stamped
 */
export function fillSteps(draft, f) {
  let n = 0;
  if (!f) return 0;
  Object.keys(draft.answers).forEach((code) => {
    const t = draft.answers[code].trail;
    if (Array.isArray(t)) t.forEach((s) => { if (stamp(s, f)) n++; });
  });
  return n;
}

/**
 * The trail as the submission sends it (well-formed steps only). @param {Answer} a @returns {TrailStep[] | undefined}
 */
export function submittedTrail(a) {
  if (!a || !Array.isArray(a.trail) || !a.trail.length) return undefined;
  const out = a.trail.filter((s) => s && typeof s.at === 'string' && /^[A-Za-z]{1,24}$/.test(s.f)).map((s) => {
    /** @type {TrailStep} */
    const o = { at: s.at, f: s.f };
    if (typeof s.lat === 'number' && typeof s.lng === 'number') { o.lat = s.lat; o.lng = s.lng; }
    if (typeof s.acc === 'number' && s.acc >= 0) o.acc = s.acc;
    return o;
  });
  return out.length ? out : undefined;
}
