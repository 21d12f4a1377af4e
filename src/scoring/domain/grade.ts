/**
 * GB/T 37276 grade assessment (等级评定) from item points on the grading form (checklists/grading-gbt37276.yaml).
 * The thresholds are data: minTotal and minPartPercent per grade, as the loader exposes them. The grade is the
 * highest one whose thresholds are all met; any failed prerequisite means no grade. Reasons say, with numbers,
 * why not higher (or why none). Pure; see docs/scoring.md.
 */
import type { GradeThreshold, GradingForm } from '../../checklists/domain/rule-file.types';
import { fmt, Ratio } from './exact';

export type { GradingForm };

export interface GradePrerequisites {
  /** no 重大隐患 open (not 销号) */
  noOpenMajorHazard: boolean;
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

const PREREQUISITE_REASONS: Record<keyof GradePrerequisites, string> = {
  noOpenMajorHazard: '存在未关闭（未销号）的重大隐患，不予评定等级',
  noSeriousAccident: '评定期内发生较大及以上安全事故，不予评定等级',
  registrationInOrder: '设立许可或备案手续不全，不予评定等级',
};

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
  const failed = (Object.keys(PREREQUISITE_REASONS) as Array<keyof GradePrerequisites>).filter((k) => !prerequisites[k]);
  if (missing.length) reasons.push(`以下评分项未填写，按 0 分计：${missing.join('、')}`);

  if (failed.length) {
    reasons.push(...failed.map((k) => PREREQUISITE_REASONS[k]));
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
