import { formatChineseDateTime } from '../common/calendar';
import { durationText, metresText, summariseTrails, TrailSummary } from '../inspections/domain/answer-trail';
import type { InspectionReview } from '../inspections/inspection-report.service';

/** "10:42" in Shanghai time. */
const hhmm = (d: Date) => formatChineseDateTime(d).slice(-5);

/** The officer's reading of the answer trails (作答轨迹) on the review page: decided here, rendered by the template. */
export interface ReviewTrailView {
  /** nothing recorded (a client older than issue 14) */
  empty: boolean;
  /** "作答时间 10:42–10:58（16 分钟），共 24 项；22 项有定位，与现场照片定位最远相距 35 m" */
  summary: string;
  /** what stands out: answers far from the site, everything answered within seconds */
  warnings: string[];
  /** per item code: "作答 10:42–10:45 · 改动 3 次 · 距现场 35 m" */
  items: Record<string, { text: string; far: boolean }>;
  /** per category code: "本节 6 项标为不适用（批量）" — 本节不适用 asks for no reason, so a whole section marked N/A stands out */
  sections: Record<string, string>;
}

export function reviewTrailView(review: InspectionReview): ReviewTrailView {
  const all = review.categories.flatMap((c) => c.items);
  const photoGps = all.flatMap((x) => x.photos).flatMap((p) => (p.gps ? [p.gps] : []));
  const s = summariseTrails(all.map((x) => ({ code: x.code, trail: x.trail ?? [] })), photoGps);
  const v = trailView(s, all.length);
  const bulkNa = new Set(s.bulkNa);
  for (const c of review.categories) {
    const n = c.items.filter((x) => x.result === 'na' && bulkNa.has(x.code)).length;
    if (n > 0) v.sections[c.code] = `本节 ${n} 项标为不适用（批量）`;
  }
  return v;
}

/** Split from `reviewTrailView` so the wording is unit-tested on a summary alone. */
export function trailView(s: TrailSummary, itemCount: number): ReviewTrailView {
  const siteName = s.site?.from === 'photos' ? '现场照片定位' : '作答位置中心';
  if (s.empty || !s.first || !s.last) {
    return { empty: true, summary: '无作答轨迹（由旧版填报页面提交，未记录作答时间与位置）', warnings: [], items: {}, sections: {} };
  }
  const range = hhmm(s.first) === hhmm(s.last) ? hhmm(s.first) : `${hhmm(s.first)}–${hhmm(s.last)}`;
  const where = s.locatedItems === 0 ? '均未取得位置'
    : `${s.locatedItems} 项有定位${s.maxDistanceM !== null && s.site ? `，与${siteName}最远相距 ${metresText(s.maxDistanceM)}` : ''}`;
  const bulk = s.bulkPass.length + s.bulkNa.length;
  const bulkText = bulk ? `；${bulk} 项批量作答（本节其余合格 ${s.bulkPass.length} / 本节不适用 ${s.bulkNa.length}）` : '';
  const summary = `作答时间 ${range}（${durationText(s.spanSeconds ?? 0)}），共 ${s.answered}/${itemCount} 项记录了轨迹；${where}${bulkText}`;
  const warnings: string[] = [];
  if (s.farItems.length) warnings.push(`${s.farItems.length} 项在距${siteName} ${metresText(Math.min(...s.farItems.map((c) => s.items.get(c)!.distanceM!)))} 以外作答：${s.farItems.join('、')}`);
  // The pace is read from the items answered one by one: bulk answers are counted in the summary, not here.
  if (s.rapid) {
    const span = durationText(s.tapSpanSeconds ?? 0);
    warnings.push(s.tappedItems === s.answered ? `全部 ${s.answered} 项在 ${span}内作答，请核实是否到现场逐项检查`
      : `逐项作答的 ${s.tappedItems} 项在 ${span}内完成，请核实是否到现场逐项检查`);
  }
  const bulkPass = new Set(s.bulkPass);
  const bulkNa = new Set(s.bulkNa);
  const items: ReviewTrailView['items'] = {};
  for (const it of s.items.values()) {
    if (!it.first || !it.last) continue;
    const t = hhmm(it.first) === hhmm(it.last) ? `作答 ${hhmm(it.first)}` : `作答 ${hhmm(it.first)}–${hhmm(it.last)}`;
    const changes = it.steps > 1 ? ` · 记录 ${it.steps} 次` : '';
    const place = it.distanceM !== null ? ` · 距${s.site?.from === 'photos' ? '现场' : '中心'} ${metresText(it.distanceM)}` : it.located ? '' : ' · 未取得位置';
    const how = bulkPass.has(it.code) ? ' · 批量（本节其余合格）' : bulkNa.has(it.code) ? ' · 批量（本节不适用）' : '';
    items[it.code] = { text: t + changes + place + how, far: it.far };
  }
  return { empty: false, summary, warnings, items, sections: {} };
}
