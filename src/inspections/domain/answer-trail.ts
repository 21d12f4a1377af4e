/**
 * 作答轨迹: when and where each answer of an inspection was given or changed, recorded by the inspector's device
 * and kept with the submitted response — and the summary an officer reads on the review page. An inspection
 * filled away from the site, or all at once in a few seconds, stands out. Pure: no Nest, no TypeORM.
 */

/** One step: an answer's field set at `at` (ISO instant), with the device's position when it had one. */
export interface TrailStep {
  at: string;
  /** which part of the answer: result (a tap on the item), bulkPass / bulkNa (本节其余合格 / 本节不适用), note, location, … */
  f: string;
  lat?: number;
  lng?: number;
  /** the position's accuracy in metres, as the device reported it */
  acc?: number;
}

export interface LatLng { lat: number; lng: number }

/** Answers given farther than this from the site stand out (phones indoors are often 50–150 m off). */
export const FAR_METRES = 300;
/** This many answers or more, all given within `RAPID_SECONDS`, stand out (a real walk-through takes minutes). */
export const RAPID_MIN_ITEMS = 10;
export const RAPID_SECONDS = 60;
export const TRAIL_MAX_STEPS = 50;
/** Steps recorded by 本节其余合格 / 本节不适用: many items in one tap, so they say nothing about the pace of the walk-through. */
export const BULK_STEPS: Record<string, 'pass' | 'na'> = { bulkPass: 'pass', bulkNa: 'na' };
const RESULT_STEPS = new Set(['result', 'bulkPass', 'bulkNa']);
const isBulk = (s: TrailStep) => Object.prototype.hasOwnProperty.call(BULK_STEPS, s.f);

/** Great-circle distance in metres (haversine; ample for distances on one site). */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(s)));
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The middle of some positions (component-wise median: one stray fix does not move it). */
export function centreOf(points: LatLng[]): LatLng | null {
  if (!points.length) return null;
  return { lat: median(points.map((p) => p.lat)), lng: median(points.map((p) => p.lng)) };
}

const located = (s: TrailStep): s is TrailStep & LatLng => typeof s.lat === 'number' && typeof s.lng === 'number';

/** A trail as sent: steps in time order, at most `TRAIL_MAX_STEPS` (the first and the latest kept). */
export function normaliseTrail(steps: TrailStep[] | undefined): TrailStep[] {
  const out = (steps ?? []).filter((s) => Number.isFinite(Date.parse(s.at)))
    .map((s) => ({ at: new Date(s.at).toISOString(), f: s.f, ...(located(s) ? { lat: s.lat, lng: s.lng } : {}), ...(typeof s.acc === 'number' ? { acc: Math.round(s.acc) } : {}) }))
    .sort((p, q) => Date.parse(p.at) - Date.parse(q.at));
  return out.length > TRAIL_MAX_STEPS ? [out[0], ...out.slice(out.length - TRAIL_MAX_STEPS + 1)] : out;
}

export interface ItemTrailSummary {
  code: string;
  first: Date | null;
  last: Date | null;
  steps: number;
  /** the farthest located step from the site, in whole metres; null without a position (or without a site) */
  distanceM: number | null;
  located: boolean;
  far: boolean;
}

export interface TrailSummary {
  items: Map<string, ItemTrailSummary>;
  first: Date | null;
  last: Date | null;
  spanSeconds: number | null;
  /** items with at least one step */
  answered: number;
  /** items whose steps carry a position */
  locatedItems: number;
  /** what distances are measured from: the photos' positions when any carry GPS, else the answers' own */
  site: (LatLng & { from: 'photos' | 'answers' }) | null;
  farItems: string[];
  maxDistanceM: number | null;
  /** the items answered one by one (a step other than a bulk one) — what the pace is measured on */
  tappedItems: number;
  tapFirst: Date | null;
  tapLast: Date | null;
  tapSpanSeconds: number | null;
  /** items whose result was last set by 本节其余合格 (bulkPass) / 本节不适用 (bulkNa) */
  bulkPass: string[];
  bulkNa: string[];
  /** every item answered one by one within `RAPID_SECONDS` though there are at least `RAPID_MIN_ITEMS` (bulk steps left out) */
  rapid: boolean;
  /** nothing to show: no item carries a trail (older clients) */
  empty: boolean;
}

/**
 * The officer's summary of an inspection's answer trails. `photoPositions`: where its finding photos were taken
 * (device GPS or EXIF) — the best evidence of where the site is, since the institution's address carries no
 * coordinates; without any, the middle of the answers' own positions stands in.
 */
export function summariseTrails(trails: { code: string; trail: TrailStep[] }[], photoPositions: LatLng[] = []): TrailSummary {
  const withSteps = trails.filter((t) => t.trail.length > 0);
  const allSteps = withSteps.flatMap((t) => t.trail);
  const photoCentre = centreOf(photoPositions);
  const answerCentre = centreOf(allSteps.filter(located));
  const site = photoCentre ? { ...photoCentre, from: 'photos' as const } : answerCentre ? { ...answerCentre, from: 'answers' as const } : null;
  const items = new Map<string, ItemTrailSummary>();
  for (const t of trails) {
    const times = t.trail.map((s) => Date.parse(s.at)).filter(Number.isFinite);
    const pts = t.trail.filter(located);
    const distanceM = site && pts.length ? Math.round(Math.max(...pts.map((p) => distanceMetres(site, p)))) : null;
    items.set(t.code, {
      code: t.code, steps: t.trail.length, located: pts.length > 0, distanceM, far: distanceM !== null && distanceM > FAR_METRES,
      first: times.length ? new Date(Math.min(...times)) : null, last: times.length ? new Date(Math.max(...times)) : null,
    });
  }
  const times = allSteps.map((s) => Date.parse(s.at)).filter(Number.isFinite);
  const first = times.length ? new Date(Math.min(...times)) : null;
  const last = times.length ? new Date(Math.max(...times)) : null;
  const spanSeconds = first && last ? Math.round((last.getTime() - first.getTime()) / 1000) : null;
  // The pace: individual steps only (a bulk action answers a whole section in one tap, honestly or not — it is
  // reported on its own, not as dozens of answers within a second).
  const tapped = withSteps.filter((t) => t.trail.some((x) => !isBulk(x)));
  const tapTimes = tapped.flatMap((t) => t.trail.filter((x) => !isBulk(x))).map((x) => Date.parse(x.at)).filter(Number.isFinite);
  const tapFirst = tapTimes.length ? new Date(Math.min(...tapTimes)) : null;
  const tapLast = tapTimes.length ? new Date(Math.max(...tapTimes)) : null;
  const tapSpanSeconds = tapFirst && tapLast ? Math.round((tapLast.getTime() - tapFirst.getTime()) / 1000) : null;
  const bulkPass: string[] = [];
  const bulkNa: string[] = [];
  for (const t of withSteps) {
    const lastResult = [...t.trail].sort((p, q) => Date.parse(p.at) - Date.parse(q.at)).filter((x) => RESULT_STEPS.has(x.f)).pop();
    if (lastResult?.f === 'bulkPass') bulkPass.push(t.code);
    if (lastResult?.f === 'bulkNa') bulkNa.push(t.code);
  }
  const summaries = [...items.values()];
  const distances = summaries.flatMap((s) => (s.distanceM === null ? [] : [s.distanceM]));
  return {
    items, first, last, spanSeconds, answered: withSteps.length, locatedItems: summaries.filter((s) => s.located).length, site,
    farItems: summaries.filter((s) => s.far).map((s) => s.code),
    maxDistanceM: distances.length ? Math.max(...distances) : null,
    tappedItems: tapped.length, tapFirst, tapLast, tapSpanSeconds, bulkPass, bulkNa,
    rapid: tapped.length >= RAPID_MIN_ITEMS && tapSpanSeconds !== null && tapSpanSeconds < RAPID_SECONDS,
    empty: withSteps.length === 0,
  };
}

/** "35 m", "1.2 km" (a no-break space: the unit never wraps away from its number). */
export function metresText(m: number): string {
  return m < 1000 ? `${m}\u00a0m` : `${(m / 1000).toFixed(1)}\u00a0km`;
}

/** "40 秒", "16 分钟", "2 小时 5 分钟". */
export function durationText(seconds: number): string {
  if (seconds < 60) return `${seconds} 秒`;
  const min = Math.round(seconds / 60);
  return min < 60 ? `${min} 分钟` : `${Math.floor(min / 60)} 小时${min % 60 ? ` ${min % 60} 分钟` : ''}`;
}
