/**
 * Institution safety score (安全分, 0–100) with its ledger: every point deducted, capped or floored is one
 * contribution whose explanation carries the arithmetic. Coefficients come from the scoring_rules file
 * (checklists/scoring-rules.yaml); the formula is written out in docs/scoring.md.
 *
 * Pure: no clock (the caller passes asOf), no I/O. Arithmetic is exact (decimal rationals); each
 * contribution is rounded to 2 decimals, the score once to 1 decimal, half away from zero.
 */
import type { ScoringRules } from '../../checklists/domain/rule-file.types';
import { monthsBefore, parseDate } from './dates';
import { fmt, Ratio, signed } from './exact';

export type { ScoringRules };

export interface ScoreHazard {
  id: string;
  inspectionId: string;
  itemCode: string;
  titleZh: string;
  severity: 'general' | 'major';
  scope: 'single' | 'multiple' | 'widespread';
  status: 'open' | 'responded' | 'returned' | 'closed';
  closureReason: 'verified' | 'objection_upheld' | null;
  overdue: boolean;
  /** times a response was returned after a failed verification */
  returnedCount: number;
  /** YYYY-MM-DD (Asia/Shanghai) — the inspection's submission date */
  foundOn: string;
}

export interface ScoreInspection {
  id: string;
  /** YYYY-MM-DD */
  submittedOn: string;
}

export interface ScoreInput {
  /** YYYY-MM-DD: inspections submitted and hazards found after this day are ignored */
  asOf: string;
  inspections: ScoreInspection[];
  hazards: ScoreHazard[];
}

/**
 * One line of the ledger. `note` lines (points 0) say which inspections counted, or that there are none;
 * they are the only addition to the kinds of the original brief.
 */
export interface ScoreContribution {
  kind: 'hazard' | 'overdue' | 'returned' | 'repeat' | 'cap' | 'floor' | 'note';
  /** negative = deduction */
  points: number;
  hazardId?: string;
  inspectionId?: string;
  itemCode?: string;
  /** Chinese, with the arithmetic, e.g. "GAS-003 一般隐患 2 × 多处 1.5 × 权重 0.6 = −1.8" */
  explanation: string;
}

export interface SafetyScore {
  /** rounded to 1 decimal, 0..100 */
  score: number;
  base: number;
  contributions: ScoreContribution[];
  capApplied: boolean;
  ruleSet: { code: string; revision?: string };
}

const SEVERITY_ZH = { general: '一般隐患', major: '重大隐患' } as const;
const SCOPE_ZH = { single: '单处', multiple: '多处', widespread: '普遍' } as const;

interface Ranked {
  hazard: ScoreHazard;
  /** 0 = most recent inspection; Infinity = not among the known inspections */
  rank: number;
  weight: number;
}

export function computeSafetyScore(input: ScoreInput, rules: ScoringRules): SafetyScore {
  parseDate(input.asOf, 'asOf');
  for (const i of input.inspections) parseDate(i.submittedOn, `inspection ${i.id} submittedOn`);
  for (const h of input.hazards) {
    parseDate(h.foundOn, `hazard ${h.id} foundOn`);
    if (!Number.isInteger(h.returnedCount) || h.returnedCount < 0) {
      throw new RangeError(`hazard ${h.id}: returnedCount must be an integer ≥ 0, found ${h.returnedCount}`);
    }
  }
  const weights = rules.recency.weights;
  const n = weights.length;

  // Inspections up to asOf, most recent first (ties: by id, so the order never depends on input order).
  const inspections = input.inspections
    .filter((i) => i.submittedOn <= input.asOf)
    .sort((a, b) => (a.submittedOn === b.submittedOn ? cmp(a.id, b.id) : a.submittedOn < b.submittedOn ? 1 : -1));
  const rankOf = new Map(inspections.map((i, k) => [i.id, k]));
  const hazards = input.hazards.filter((h) => h.foundOn <= input.asOf);

  const ranked: Ranked[] = hazards
    .map((hazard) => {
      const rank = rankOf.get(hazard.inspectionId) ?? Infinity;
      return { hazard, rank, weight: rank < n ? weights[rank] : 0 };
    })
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        (a.hazard.foundOn === b.hazard.foundOn ? 0 : a.hazard.foundOn < b.hazard.foundOn ? 1 : -1) ||
        cmp(a.hazard.inspectionId, b.hazard.inspectionId) ||
        cmp(a.hazard.itemCode, b.hazard.itemCode) ||
        cmp(a.hazard.id, b.hazard.id),
    );

  const contributions: ScoreContribution[] = [];
  const base = rules.base.points;

  if (!inspections.length) {
    contributions.push({ kind: 'note', points: 0, explanation: `尚无检查记录，安全分按基础分 ${fmt(base)} 计。` });
  } else {
    const counted = inspections
      .slice(0, n)
      .map((i, k) => `${i.submittedOn}（最近第 ${k + 1} 次）权重 ${fmt(weights[k])}`)
      .join('；');
    const older = inspections.length > n ? `；更早的 ${inspections.length - n} 次检查权重 0` : '';
    contributions.push({ kind: 'note', points: 0, explanation: `计入的检查：${counted}${older}。` });
    if (!ranked.some((r) => r.weight > 0)) {
      contributions.push({ kind: 'note', points: 0, explanation: `最近 ${Math.min(n, inspections.length)} 次检查未发现计分的隐患，不扣分。` });
    }
  }

  for (const r of ranked) contributions.push(...hazardContributions(r, ranked, rules, n));

  let total = Ratio.from(base);
  for (const c of contributions) total = total.add(c.points);

  if (total.cmp(0) < 0) {
    const points = Ratio.of(0).sub(total).round(2);
    contributions.push({
      kind: 'floor',
      points,
      explanation: `扣分后为 ${fmt(total.round(2))}，安全分最低 0 分：${fmt(total.round(2))} → 0 = ${signed(points)}`,
    });
    total = Ratio.of(0);
  }

  let capApplied = false;
  const openMajors = ranked.filter((r) => r.hazard.severity === 'major' && r.hazard.status !== 'closed');
  if (openMajors.length) {
    const cap = rules.majorOpenCap.maxScore;
    const which = openMajors.map((r) => `${r.hazard.itemCode}（${r.hazard.foundOn} 发现）`).join('、');
    if (total.cmp(cap) > 0) {
      const points = Ratio.from(cap).sub(total).round(2);
      contributions.push({
        kind: 'cap',
        points,
        explanation: `存在未关闭的重大隐患 ${which}，安全分上限 ${fmt(cap)}：${fmt(total.round(2))} → ${fmt(cap)} = ${signed(points)}`,
      });
      total = Ratio.from(cap);
      capApplied = true;
    } else {
      contributions.push({
        kind: 'cap',
        points: 0,
        explanation: `存在未关闭的重大隐患 ${which}，安全分上限 ${fmt(cap)}；当前 ${fmt(total.round(2))} 未超过上限，不调整。`,
      });
    }
  }

  const ruleSet = rules.revision === undefined ? { code: rules.code } : { code: rules.code, revision: rules.revision };
  return { score: total.round(1), base, contributions, capApplied, ruleSet };
}

function hazardContributions(r: Ranked, all: Ranked[], rules: ScoringRules, n: number): ScoreContribution[] {
  const h = r.hazard;
  const ids = { hazardId: h.id, inspectionId: h.inspectionId, itemCode: h.itemCode };
  const who = `${h.itemCode}「${h.titleZh}」`;
  const when = Number.isFinite(r.rank) ? `${h.foundOn} 检查，最近第 ${r.rank + 1} 次` : `${h.foundOn} 检查`;
  const sev = rules.deduction[h.severity];
  const scope = rules.scopeMultiplier[h.scope];

  if (r.weight === 0) {
    const why = Number.isFinite(r.rank) ? `不在最近 ${n} 次检查之内` : '不在所给的检查记录之内';
    return [{ kind: 'hazard', points: 0, ...ids, explanation: `${who}${SEVERITY_ZH[h.severity]}：所属检查（${h.foundOn}）${why}，权重 0，不计分。` }];
  }

  const closed = h.status === 'closed';
  const withdrawn = closed && h.closureReason === 'objection_upheld';
  const factor = !closed ? 1 : withdrawn ? rules.closureFactor.objectionUpheld : rules.closureFactor.verified;
  const factorText = !closed
    ? ''
    : withdrawn
      ? ` × 异议成立 ${fmt(factor)}`
      : h.closureReason === 'verified'
        ? ` × 已整改验证 ${fmt(factor)}`
        : ` × 已关闭（未记录原因，按整改验证计）${fmt(factor)}`;
  const weightText = ` × 权重 ${fmt(r.weight)}`;

  const out: ScoreContribution[] = [];
  const hazardPoints = deduction(Ratio.from(sev).mul(scope).mul(r.weight).mul(factor));
  out.push({
    kind: 'hazard',
    points: hazardPoints,
    ...ids,
    explanation: `${who}${SEVERITY_ZH[h.severity]} ${fmt(sev)} × ${SCOPE_ZH[h.scope]} ${fmt(scope)}${weightText}${factorText} = ${fmt(hazardPoints)}（${when}）${withdrawn ? '；检查结论已撤销' : ''}`,
  });

  const earlier = previousFinding(h, all, rules.repeat.windowMonths);
  if (earlier) {
    const points = deduction(Ratio.from(rules.repeat.pointsPerHazard).mul(r.weight).mul(factor));
    out.push({
      kind: 'repeat',
      points,
      ...ids,
      explanation: `${who}重复发现（${rules.repeat.windowMonths} 个月内，上次 ${earlier.foundOn} 检查已发现）${fmt(rules.repeat.pointsPerHazard)}${weightText}${factorText} = ${fmt(points)}`,
    });
  }
  if (withdrawn) return out; // the finding was withdrawn: no process penalties

  if (h.overdue) {
    const points = deduction(Ratio.from(rules.overdue.pointsPerHazard).mul(r.weight));
    out.push({ kind: 'overdue', points, ...ids, explanation: `${who}逾期未整改 ${fmt(rules.overdue.pointsPerHazard)}${weightText} = ${fmt(points)}` });
  }
  if (h.returnedCount > 0) {
    const points = deduction(Ratio.from(rules.returned.pointsPerReturn).mul(h.returnedCount).mul(r.weight));
    out.push({
      kind: 'returned',
      points,
      ...ids,
      explanation: `${who}整改复核不合格被退回 ${h.returnedCount} 次 × ${fmt(rules.returned.pointsPerReturn)}${weightText} = ${fmt(points)}`,
    });
  }
  return out;
}

/**
 * The most recent earlier finding of the same item: found on an earlier day (another inspection), no more
 * than windowMonths before, and not withdrawn on objection.
 */
function previousFinding(h: ScoreHazard, all: Ranked[], windowMonths: number): ScoreHazard | undefined {
  const from = monthsBefore(h.foundOn, windowMonths);
  let best: ScoreHazard | undefined;
  for (const { hazard: o } of all) {
    if (o.itemCode !== h.itemCode || o.foundOn >= h.foundOn || o.foundOn < from) continue;
    if (o.status === 'closed' && o.closureReason === 'objection_upheld') continue;
    if (!best || o.foundOn > best.foundOn) best = o;
  }
  return best;
}

/** A deduction: the exact value negated, rounded to 2 decimals. */
function deduction(x: Ratio): number {
  return Ratio.of(0).sub(x).round(2);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
