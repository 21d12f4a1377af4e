/**
 * GB/T 37276 grade assessment (等级评定) from item points on the grading form (checklists/grading-gbt37276.yaml).
 * The thresholds are data: minTotal and minPartPercent per grade, as the loader exposes them. The grade is the
 * highest one whose thresholds are all met; any failed prerequisite means no grade. Reasons say, with numbers,
 * why not higher (or why none). Pure; see docs/scoring.md.
 */
import type { GradeThreshold, GradingForm } from '../../checklists/domain/rule-file.types';
import { addDays } from '../../common/calendar';
import { label } from '../../common/vocabulary';
import { fmt, Ratio } from './exact';

export type { GradingForm };

/** A major (or suspected major) hazard not yet 销号 that blocks a grade, named in the reason. */
export interface BlockingHazard {
  itemCode: string;
  title: string;
  /** 'major': a major hazard not closed; 'suspected': 疑似重大隐患 awaiting the bureau's confirmation */
  status: 'major' | 'suspected';
}

export interface GradePrerequisites {
  /** no 重大隐患 open (not 销号) and none suspected awaiting confirmation */
  noOpenMajorHazard: boolean;
  /** the blocking hazards (checked at finalization); absent on records captured before they were listed */
  majorHazards?: BlockingHazard[];
  /** no serious (较大及以上) safety accident within the exclusion window */
  noSeriousAccident: boolean;
  /** 设立许可 / 备案 in order */
  registrationInOrder: boolean;
}

export interface GradePart {
  code: string;
  title: string;
  points: number;
  max: number;
  /** points / max × 100, rounded to 1 decimal (comparisons use the exact value) */
  percent: number;
}

export interface GradeResult {
  total: number;
  parts: GradePart[];
  grade: 1 | 2 | 3 | 4 | 5 | null;
  /** 一级…五级 or 未达等级 */
  gradeLabel: string;
  /** why not higher / why none, Chinese */
  reasons: string[];
}

export interface ItemPointsProblem {
  itemCode: string;
  reason: string;
}

type PrerequisiteFlag = 'noOpenMajorHazard' | 'noSeriousAccident' | 'registrationInOrder';
const PREREQUISITE_FLAGS: PrerequisiteFlag[] = ['noOpenMajorHazard', 'noSeriousAccident', 'registrationInOrder'];
const PREREQUISITE_REASONS: Record<PrerequisiteFlag, string> = {
  noOpenMajorHazard: '存在未关闭（未销号）的重大隐患，不予评定等级',
  noSeriousAccident: '评定期内发生较大及以上安全事故，不予评定等级',
  registrationInOrder: '设立许可或备案手续不全，不予评定等级',
};

const hazardList = (hs: BlockingHazard[]) => hs.map((h) => `${h.itemCode} ${h.title}`).join('、');

/**
 * The reasons the prerequisites give for no grade, one per failed condition. Blocking hazards are named by item
 * code and title ("存在未销号的重大隐患：BLD-003 彩钢板…，不予评定等级"); a record without the list (captured
 * before hazards were listed) keeps the general sentence.
 */
export function prerequisiteReasons(p: GradePrerequisites): string[] {
  const out: string[] = [];
  for (const k of PREREQUISITE_FLAGS) {
    if (p[k]) continue;
    const hazards = k === 'noOpenMajorHazard' ? p.majorHazards ?? [] : [];
    if (!hazards.length) { out.push(PREREQUISITE_REASONS[k]); continue; }
    const major = hazards.filter((h) => h.status === 'major');
    const suspected = hazards.filter((h) => h.status === 'suspected');
    if (major.length) out.push(`存在未销号的重大隐患：${hazardList(major)}，不予评定等级`);
    if (suspected.length) out.push(`存在尚待认定的疑似重大隐患：${hazardList(suspected)}，认定或排除前不予评定等级`);
  }
  return out;
}

/** Problems of an item → points map: unknown item, not a number, negative, above the item's maximum. */
export function validateItemPoints(form: GradingForm, itemPoints: Record<string, number>): ItemPointsProblem[] {
  const max = new Map(form.parts.flatMap((p) => p.items.map((i) => [i.code, i.maxPoints] as const)));
  const problems: ItemPointsProblem[] = [];
  for (const itemCode of Object.keys(itemPoints).sort()) {
    const value: unknown = itemPoints[itemCode];
    const limit = max.get(itemCode);
    if (limit === undefined) problems.push({ itemCode, reason: `未知评分项 ${itemCode}（不在 ${form.code} 评分表中）` });
    else if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ itemCode, reason: `得分不是数字：${typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value)}` });
    else if (value < 0) problems.push({ itemCode, reason: `得分 ${fmt(value)} 为负数` });
    else if (value > limit) problems.push({ itemCode, reason: `得分 ${fmt(value)} 超过该项满分 ${limit}` });
  }
  return problems;
}

/**
 * The grade for the given item points (missing items count 0 and are named in the reasons).
 * Throws RangeError when validateItemPoints finds problems: a grade is never computed from bad input.
 */
export function computeGrade(form: GradingForm, itemPoints: Record<string, number>, prerequisites: GradePrerequisites): GradeResult {
  const problems = validateItemPoints(form, itemPoints);
  if (problems.length) throw new RangeError(`invalid item points: ${problems.map((p) => `${p.itemCode}: ${p.reason}`).join('; ')}`);

  const missing: string[] = [];
  const exact = form.parts.map((p) => {
    let points = Ratio.of(0);
    for (const item of p.items) {
      const v = itemPoints[item.code];
      if (v === undefined) missing.push(item.code);
      else points = points.add(v);
    }
    return { part: p, points };
  });
  const total = exact.reduce((s, x) => s.add(x.points), Ratio.of(0));
  const parts: GradePart[] = exact.map(({ part, points }) => ({
    code: part.code,
    title: part.title.zh,
    points: points.toNumber(),
    max: part.maxPoints,
    percent: points.mul(100).div(part.maxPoints).round(1),
  }));

  const grades = [...form.thresholds.grades].sort((a, b) => a.level - b.level);
  const shortfalls = (g: GradeThreshold): string[] => {
    const out: string[] = [];
    if (total.cmp(g.minTotal) < 0) out.push(`总分 ${fmt(total.toNumber())}/${form.totalPoints}，低于${g.name.zh}要求的 ${g.minTotal} 分`);
    for (const { part, points } of exact) {
      // exact: points × 100 ≥ minPartPercent × maxPoints
      if (points.mul(100).cmp(Ratio.from(g.minPartPercent).mul(part.maxPoints)) < 0) {
        const pct = points.mul(100).div(part.maxPoints).round(1);
        out.push(`${part.title.zh} 得分 ${fmt(points.toNumber())}/${part.maxPoints}（${fmt(pct)}%），低于${g.name.zh}要求的 ${fmt(g.minPartPercent)}%`);
      }
    }
    return out;
  };

  let reached: GradeThreshold | undefined;
  for (const g of grades) if (!shortfalls(g).length) reached = g;

  const reasons: string[] = [];
  const failed = prerequisiteReasons(prerequisites);
  if (missing.length) reasons.push(`以下评分项未填写，按 0 分计：${missing.join('、')}`);

  if (failed.length) {
    reasons.push(...failed);
    reasons.push(reached ? `（仅按得分可达${reached.name.zh}，但前提条件不满足）` : '（按得分也未达到一级）');
    return { total: total.toNumber(), parts, grade: null, gradeLabel: '未达等级', reasons };
  }

  if (!reached) {
    reasons.push(...shortfalls(grades[0]));
    return { total: total.toNumber(), parts, grade: null, gradeLabel: '未达等级', reasons };
  }
  const next = grades.find((g) => g.level === reached!.level + 1);
  if (next) reasons.push(...shortfalls(next));
  else reasons.push(`已达最高等级${reached.name.zh}`);
  return { total: total.toNumber(), parts, grade: reached.level as GradeResult['grade'], gradeLabel: reached.name.zh, reasons };
}

// ---------------------------------------------------------------- grade lifecycle (有效期、后评覆盖前评、撤销与降级)
//
// One model, used by every reader of "the grade in force" (gradeOn, gradeIntervals, 公示): a finalized assessment
// (未达等级 included) is in force from its valid_from to its valid_until; a later finalized outcome ends the
// earlier one the day before its own valid_from (two on the same day: the later finalization wins); within its span
// a bureau decision (撤销 / 降级) changes the grade from its effective date. Pure: the repository only loads rows.

export type GradeLevel = 1 | 2 | 3 | 4 | 5;

/** 一级…五级 (the vocabulary's labels); null — an outcome without a grade — is 未达等级. */
export const gradeName = (g: GradeLevel | null): string => (g ? label('grade', g) : '未达等级');

/** A finalized assessment as the lifecycle sees it. */
export interface GradeOutcome {
  assessmentId: string;
  institutionId: string;
  grade: GradeLevel | null;
  validFrom: string;
  /** inclusive; null = open-ended (未达等级 rows finalized before valid_until was given to them) */
  validUntil: string | null;
  /** the finalization instant (ISO), ordering two outcomes with the same valid_from */
  finalizedAt: string;
}

export type GradeDecisionKind = 'revoke' | 'lower';

/** A bureau decision on a finalized assessment (table grade_decision, immutable). */
export interface GradeDecisionRecord {
  assessmentId: string;
  kind: GradeDecisionKind;
  /** the lowered grade (kind 'lower'); null for 'revoke' */
  newGrade: GradeLevel | null;
  effectiveOn: string;
  /** the decision instant (ISO), ordering decisions with the same effective date */
  decidedAt: string;
}

/** The contract of ScoringRepository.gradeIntervals: inclusive, non-overlapping, clipped; ungraded days absent. */
export interface GradeInterval {
  institutionId: string;
  grade: GradeLevel;
  from: string;
  to: string;
}

/** An assessment's place in its institution's timeline. */
export interface OutcomeSpan {
  outcome: GradeOutcome;
  /** the last day the outcome is in force (null = open-ended); before validFrom when it never was (superseded the same day) */
  end: string | null;
  /** the assessment of the next outcome, which ends this one */
  supersededBy: string | null;
  /** the grade within the span, changed by decisions; `to` null = open-ended */
  segments: { grade: GradeLevel | null; from: string; to: string | null }[];
  /** the grade after every decision on the assessment (what a new decision changes) */
  currentGrade: GradeLevel | null;
  decisions: GradeDecisionRecord[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const minDate = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/** The timeline of every institution among the outcomes: institution id → spans in order. */
export function gradeTimeline(outcomes: GradeOutcome[], decisions: GradeDecisionRecord[]): Map<string, OutcomeSpan[]> {
  const decisionsOf = new Map<string, GradeDecisionRecord[]>();
  for (const d of decisions) decisionsOf.set(d.assessmentId, [...(decisionsOf.get(d.assessmentId) ?? []), d]);
  const byInstitution = new Map<string, GradeOutcome[]>();
  for (const o of outcomes) byInstitution.set(o.institutionId, [...(byInstitution.get(o.institutionId) ?? []), o]);
  const out = new Map<string, OutcomeSpan[]>();
  for (const [institutionId, list] of byInstitution) {
    const sorted = [...list].sort((a, b) => byText(a.validFrom, b.validFrom) || byText(a.finalizedAt, b.finalizedAt) || byText(a.assessmentId, b.assessmentId));
    out.set(institutionId, sorted.map((outcome, i) => {
      const next = sorted[i + 1];
      const end = minDate(outcome.validUntil, next ? addDays(next.validFrom, -1) : null);
      const own = [...(decisionsOf.get(outcome.assessmentId) ?? [])].sort((a, b) => byText(a.effectiveOn, b.effectiveOn) || byText(a.decidedAt, b.decidedAt));
      const segments: OutcomeSpan['segments'] = [];
      let grade = outcome.grade;
      let start = outcome.validFrom;
      if (end === null || end >= start) {
        for (const d of own) {
          if (end !== null && d.effectiveOn > end) break;
          const on = d.effectiveOn > start ? d.effectiveOn : start;
          if (on > start) segments.push({ grade, from: start, to: addDays(on, -1) });
          grade = d.kind === 'revoke' ? null : d.newGrade;
          start = on;
        }
        segments.push({ grade, from: start, to: end });
      }
      const currentGrade = own.reduce<GradeLevel | null>((_current, d) => (d.kind === 'revoke' ? null : d.newGrade), outcome.grade);
      return { outcome, end, supersededBy: next?.assessmentId ?? null, segments, currentGrade, decisions: own };
    }));
  }
  return out;
}

/**
 * The grade in force per institution between from and to (inclusive): intervals ordered by institution and date,
 * clipped to [from, to], adjacent days of the same grade merged; days without a grade are absent.
 */
export function gradeIntervals(outcomes: GradeOutcome[], decisions: GradeDecisionRecord[], from: string, to: string): GradeInterval[] {
  const out: GradeInterval[] = [];
  const timeline = gradeTimeline(outcomes, decisions);
  for (const institutionId of [...timeline.keys()].sort(byText)) {
    for (const span of timeline.get(institutionId)!) {
      for (const seg of span.segments) {
        if (seg.grade === null) continue;
        const s = seg.from > from ? seg.from : from;
        const e = seg.to === null || seg.to > to ? to : seg.to;
        if (s > e) continue;
        const last = out[out.length - 1];
        if (last && last.institutionId === institutionId && last.grade === seg.grade && addDays(last.to, 1) === s) last.to = e;
        else out.push({ institutionId, grade: seg.grade, from: s, to: e });
      }
    }
  }
  return out;
}

/** The grade in force on a date (null: none). */
export function gradeOnDate(outcomes: GradeOutcome[], decisions: GradeDecisionRecord[], institutionId: string, date: string): GradeLevel | null {
  return gradeIntervals(outcomes.filter((o) => o.institutionId === institutionId), decisions, date, date)[0]?.grade ?? null;
}

export interface GradeDecisionInput {
  kind: GradeDecisionKind;
  newGrade?: number | null;
  effectiveOn: string;
}

export type DecisionCheck =
  | { ok: true }
  /** 409: the assessment cannot take a decision at all */
  | { ok: false; conflict: 'grade.superseded' | 'grade.revoked' | 'grade.no_grade' }
  /** 400: named fields */
  | { ok: false; problems: { field: string; reason: string; args?: string[] }[] };

/**
 * May a decision be taken on this span? Only on the outcome in force (not superseded), holding a grade, not revoked;
 * a lowering goes strictly lower than the grade after earlier decisions; the effective date lies within the
 * outcome's validity, not before an earlier decision's (decisions apply in order) and not after `today` (the day
 * the decision is taken).
 */
export function checkDecision(span: OutcomeSpan, input: GradeDecisionInput, today?: string): DecisionCheck {
  if (span.supersededBy) return { ok: false, conflict: 'grade.superseded' };
  if (span.decisions.some((d) => d.kind === 'revoke')) return { ok: false, conflict: 'grade.revoked' };
  if (span.currentGrade === null) return { ok: false, conflict: 'grade.no_grade' };
  const problems: { field: string; reason: string; args?: string[] }[] = [];
  if (input.kind === 'lower') {
    const g = input.newGrade;
    if (g === undefined || g === null) problems.push({ field: 'newGrade', reason: 'gradeLowerNeedsGrade' });
    else if (!Number.isInteger(g) || g < 1 || g >= span.currentGrade) problems.push({ field: 'newGrade', reason: 'gradeNotLower', args: [gradeName(span.currentGrade)] });
  } else if (input.newGrade !== undefined && input.newGrade !== null) {
    problems.push({ field: 'newGrade', reason: 'gradeRevokeNoNewGrade' });
  }
  const { validFrom, validUntil } = span.outcome;
  const lastOn = span.decisions.reduce<string | null>((m, d) => (m === null || d.effectiveOn > m ? d.effectiveOn : m), null);
  if (input.effectiveOn < validFrom) problems.push({ field: 'effectiveOn', reason: 'gradeEffectiveBeforeValidFrom', args: [validFrom] });
  else if (validUntil !== null && input.effectiveOn > validUntil) problems.push({ field: 'effectiveOn', reason: 'gradeEffectiveAfterValidUntil', args: [validUntil] });
  else if (lastOn !== null && input.effectiveOn < lastOn) problems.push({ field: 'effectiveOn', reason: 'gradeEffectiveBeforeDecision', args: [lastOn] });
  // A decision takes effect on or before the day it is taken: a future date could be overtaken by a later
  // assessment (which would silently drop it) while 公示 already showed it.
  else if (today !== undefined && input.effectiveOn > today) problems.push({ field: 'effectiveOn', reason: 'gradeEffectiveInFuture', args: [today] });
  return problems.length ? { ok: false, problems } : { ok: true };
}

/** The validity of an outcome finalized on `finalizedOn` (Shanghai date): that day to the day before the anniversary. */
export function validityInterval(finalizedOn: string, validityYears: number): { validFrom: string; validUntil: string } {
  const [y, m, d] = finalizedOn.split('-').map(Number);
  // 29 February + n years (not a leap year) → 1 March, so the last day is 28 February
  const anniversary = new Date(Date.UTC(y + validityYears, m - 1, d)).toISOString().slice(0, 10);
  return { validFrom: finalizedOn, validUntil: addDays(anniversary, -1) };
}

/**
 * What still stands between an assessment and finalization: items without points, and deductions (points below the
 * item's maximum) without a note. The same check the finalize path refuses with (422 grade.incomplete), and the
 * per-part save with (400, only that part's items).
 */
export function scoringGaps(form: GradingForm, itemPoints: Record<string, number>, itemNotes: Record<string, string>, partCode?: string): { missing: string[]; unexplained: string[] } {
  const items = form.parts.filter((p) => partCode === undefined || p.code === partCode).flatMap((p) => p.items);
  return {
    missing: items.filter((i) => itemPoints[i.code] === undefined).map((i) => i.code),
    unexplained: items.filter((i) => itemPoints[i.code] !== undefined && itemPoints[i.code] < i.maxPoints && !itemNotes[i.code]?.trim()).map((i) => i.code),
  };
}
