/**
 * 发放表对比: two subsidy schedules (usually one period and the previous period of the same division) compared
 * institution by institution — who was added, who was removed, whose amount changed and, from the stored working,
 * why (eligibility, days paid, grade and beds at the period end, the safety score used, suspension, the period's
 * length). Amounts are compared in fen. Pure; no clock, no I/O.
 */

/** What a stored schedule line carries (schedules stored before issue 12 lack `eligible`, `paidDays`, `period`). */
export interface ComparableLine {
  institutionId: string;
  institutionName: string;
  amount: number;
  grade: number | null;
  occupiedBeds: number;
  safetyScore: number | null;
  safetyScoreAsOf?: string | null;
  suspended: boolean;
  eligible?: boolean;
  paidDays?: number;
  period?: { days: number };
  lines: { label: string; formula: string; amount: number }[];
}

export const CHANGE_KINDS = ['added', 'removed', 'changed', 'unchanged'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface LineDiff {
  institutionId: string;
  institutionName: string;
  change: ChangeKind;
  /** the amount in the other (earlier) schedule; null when added */
  before: number | null;
  /** the amount in this schedule; null when removed */
  after: number | null;
  /** after − before in yuan (a missing side counts 0) */
  delta: number;
  /** why, read from the two workings (empty when unchanged) */
  reasons: string[];
}

export interface ScheduleComparison {
  rows: LineDiff[];
  counts: Record<ChangeKind, number>;
  totalBefore: number;
  totalAfter: number;
  delta: number;
}

const GRADE_ZH = ['未评级', '一级', '二级', '三级', '四级', '五级'];
const ORDER: Record<ChangeKind, number> = { added: 0, removed: 1, changed: 2, unchanged: 3 };
const fen = (yuan: number) => Math.round(yuan * 100);
const yuan = (f: number) => f / 100;

/** Compares `current` with `other` (the earlier one); rows: added, removed, changed, then unchanged, each by name. */
export function compareSchedules(current: ComparableLine[], other: ComparableLine[]): ScheduleComparison {
  const before = new Map(other.map((l) => [l.institutionId, l]));
  const after = new Map(current.map((l) => [l.institutionId, l]));
  const rows: LineDiff[] = [];
  for (const a of current) {
    const b = before.get(a.institutionId);
    if (!b) {
      rows.push({ institutionId: a.institutionId, institutionName: a.institutionName, change: 'added', before: null, after: a.amount, delta: a.amount, reasons: addedReasons(a) });
      continue;
    }
    const d = fen(a.amount) - fen(b.amount);
    rows.push({
      institutionId: a.institutionId, institutionName: a.institutionName, change: d === 0 ? 'unchanged' : 'changed',
      before: b.amount, after: a.amount, delta: yuan(d), reasons: d === 0 ? [] : changeReasons(b, a),
    });
  }
  for (const b of other) {
    if (after.has(b.institutionId)) continue;
    rows.push({
      institutionId: b.institutionId, institutionName: b.institutionName, change: 'removed', before: b.amount, after: null, delta: yuan(-fen(b.amount)),
      reasons: ['上期列入、本期未列入：机构在本期开始前已停止运营、转为筹建，或已不在本区划'],
    });
  }
  rows.sort((x, y) => ORDER[x.change] - ORDER[y.change] || x.institutionName.localeCompare(y.institutionName, 'zh-CN') || x.institutionId.localeCompare(y.institutionId));
  const counts: Record<ChangeKind, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const r of rows) counts[r.change] += 1;
  const totalBefore = yuan(other.reduce((s, l) => s + fen(l.amount), 0));
  const totalAfter = yuan(current.reduce((s, l) => s + fen(l.amount), 0));
  return { rows, counts, totalBefore, totalAfter, delta: yuan(fen(totalAfter) - fen(totalBefore)) };
}

function addedReasons(a: ComparableLine): string[] {
  const out = ['本期新列入（上期发放表中没有该机构：新登记、新开业或新划入本区划）'];
  if (a.eligible === false) out.push(a.lines[0]?.label ?? '不符合本政策补贴条件');
  return out;
}

/** The facts that differ between the two workings, in the order a reader checks them. */
export function changeReasons(b: ComparableLine, a: ComparableLine): string[] {
  const out: string[] = [];
  const step = (what: string, x: string, y: string) => {
    if (x !== y) out.push(`${what} ${x} → ${y}`);
  };
  if ((b.eligible ?? true) !== (a.eligible ?? true)) {
    out.push(a.eligible === false ? `本期不符合补贴条件：${stripEligibility(a.lines[0]?.label)}` : '本期符合补贴条件（上期不符合）');
  }
  if (b.period && a.period) step('期间天数', `${b.period.days} 天`, `${a.period.days} 天`);
  if (b.paidDays !== undefined && a.paidDays !== undefined) step('计补天数', `${b.paidDays} 天`, `${a.paidDays} 天`);
  step('期末等级', GRADE_ZH[b.grade ?? 0], GRADE_ZH[a.grade ?? 0]);
  step('期末入住床位', `${b.occupiedBeds} 床`, `${a.occupiedBeds} 床`);
  step('安全分', scoreText(b), scoreText(a));
  if (b.suspended !== a.suspended) out.push(a.suspended ? '本期有重大隐患未销号停发的天数' : '本期没有重大隐患停发（上期有）');
  const labels = (l: ComparableLine) => new Set(l.lines.filter((x) => x.amount !== 0).map((x) => x.label.replace(/（\d{4}-.*$/, '')));
  const [lb, la] = [labels(b), labels(a)];
  const gone = [...lb].filter((x) => !la.has(x));
  const added = [...la].filter((x) => !lb.has(x));
  if (added.length) out.push(`本期新增计补项：${added.join('、')}`);
  if (gone.length) out.push(`本期不再计补：${gone.join('、')}`);
  if (!out.length) out.push('各项事实相同，金额随明细中的分段天数或政策数值变化（见两期明细）');
  return out;
}

function scoreText(l: ComparableLine): string {
  if (l.safetyScore === null) return '无';
  return l.safetyScoreAsOf ? `${l.safetyScore}（${l.safetyScoreAsOf}）` : String(l.safetyScore);
}

function stripEligibility(label: string | undefined): string {
  return (label ?? '').replace(/^不符合本政策补贴条件：/, '');
}
