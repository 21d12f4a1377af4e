import { scheduleReviewToken } from '../scoring/domain/subsidy-review';
import { can } from '../auth/permissions';
import { addDays, formatChineseDateTime } from '../common/calendar';
import type { Page } from '../common/pagination';
import type { AuthUser } from '../common/scope';
import { label } from '../common/vocabulary';
import type { ScheduleComparison } from '../scoring/domain/subsidy-compare';
import type { Flash } from './view-common';

/**
 * View models of the 运营补贴 pages: every decision (what is offered, what is frozen, what each line's working
 * says, the totals by street and by kind) is made here; the templates in subsidy-pages.ts only render.
 */

const GRADE_ZH = ['未评级', '一级', '二级', '三级', '四级', '五级'];
const NOT_OPERATING_ZH: Record<string, string> = { not_open: '未运营（开业前）', suspended: '未运营（暂停运营）', closed: '未运营（停止运营）' };

/** 1234567.5 → "1,234,567.50" (fen-exact: amounts are stored with 2 decimals). */
export function yuan(amount: number): string {
  const fen = Math.round(amount * 100);
  const sign = fen < 0 ? '−' : '';
  const abs = Math.abs(fen);
  const int = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${int}.${String(abs % 100).padStart(2, '0')}`;
}

/** A difference with its sign: "+1,200.00", "−450.00", "0.00". */
export function signedYuan(amount: number): string {
  return Math.round(amount * 100) > 0 ? `+${yuan(amount)}` : yuan(amount);
}

const when = (at: string | Date | null | undefined) => (at ? formatChineseDateTime(new Date(at)) : '');

// ------------------------------------------------------------------ the list and the compute form

export interface ScheduleListItem {
  id: string; divisionCode: string; divisionName: string; periodStart: string; periodEnd: string; versionNo: number;
  status: string; total: number; institutions: number; createdAt: string; approvedAt: string | null; approvedByName: string | null;
}

export interface DivisionOption { code: string; name: string; level: string }

export interface ComputeForm { divisionCode: string; periodStart: string; periodEnd: string }

export interface ScheduleListPage {
  rows: { href: string; division: string; period: string; version: string; status: string; approved: boolean; institutions: number; total: string; created: string; approval: string }[];
  page: Page<unknown>;
  filters: Record<string, string>;
  divisions: { code: string; label: string; selected: boolean }[];
  statusOptions: { value: string; label: string; selected: boolean }[];
  /** the compute form, when the viewer may compute */
  compute: null | { form: ComputeForm; divisions: { code: string; label: string; selected: boolean }[] };
  emptyHint: string;
  flash: Flash;
  csrf: string;
}

/** The first and last day of the calendar month before `today` (the usual period to compute). */
export function previousMonth(today: string): { start: string; end: string } {
  const firstOfThis = `${today.slice(0, 7)}-01`;
  const end = addDays(firstOfThis, -1);
  return { start: `${end.slice(0, 7)}-01`, end };
}

const indent = (d: DivisionOption) => `${d.level === 'street' ? '　　' : d.level === 'district' ? '　' : ''}${d.name}`;

export function scheduleListView(
  user: AuthUser, page: Page<ScheduleListItem>, filters: Record<string, string>, divisions: DivisionOption[],
  opts: { today: string; form?: ComputeForm; flash?: Flash; csrf: string },
): ScheduleListPage {
  const mayCompute = can(user, 'subsidy.create');
  const month = previousMonth(opts.today);
  const form = opts.form ?? { divisionCode: divisions.find((d) => d.level !== 'street')?.code ?? divisions[0]?.code ?? '', periodStart: month.start, periodEnd: month.end };
  const filtered = Object.keys(filters).length > 0;
  return {
    rows: page.items.map((s) => ({
      href: `/subsidies/${s.id}`, division: s.divisionName, period: `${s.periodStart} 至 ${s.periodEnd}`, version: `第 ${s.versionNo} 版`,
      status: label('subsidyScheduleStatus', s.status), approved: s.status === 'approved', institutions: s.institutions, total: yuan(s.total),
      created: when(s.createdAt), approval: s.approvedAt ? `${when(s.approvedAt)} ${s.approvedByName ?? ''}`.trim() : '—',
    })),
    page, filters,
    divisions: divisions.map((d) => ({ code: d.code, label: indent(d), selected: filters.divisionCode === d.code })),
    statusOptions: (['draft', 'approved'] as const).map((v) => ({ value: v, label: label('subsidyScheduleStatus', v), selected: filters.status === v })),
    compute: mayCompute ? { form, divisions: divisions.map((d) => ({ code: d.code, label: indent(d), selected: form.divisionCode === d.code })) } : null,
    emptyHint: filtered
      ? '没有符合筛选条件的发放表。请调整筛选条件，或清除筛选。'
      : mayCompute
        ? '尚未生成运营补贴发放表。在上方“生成发放表”中选择区划和期间（通常为上一个自然月），点击“生成发放表”：系统逐日核对每家机构的开业日、暂停运营、在住床位、等级和安全分，算出补贴金额，每一项都附计算过程。生成的是草稿，经管理员审批后冻结。'
        : '尚未生成运营补贴发放表。发放表由监管员或管理员生成，生成后会列在这里。',
    flash: opts.flash ?? {}, csrf: opts.csrf,
  };
}

// ------------------------------------------------------------------ one schedule

/** One stored line of a schedule (fields added by issue 12 and 13 may be absent on older schedules). */
export interface StoredLine {
  institutionId: string; institutionName: string; amount: number; grade: number | null; safetyScore: number | null; safetyScoreAsOf?: string | null;
  occupiedBeds: number; suspended: boolean; eligible?: boolean; paidDays?: number; operatingDays?: number;
  period?: { start: string; end: string; days: number; months: string };
  coefficients?: { grade: number; safety: number; proRata: number };
  segments?: { start: string; end: string; days: number; notOperating: string | null; hazardSuspended: boolean; grade: number | null; occupiedBeds: number; amountFen: number }[];
  safety?: { score: number | null; asOf: string | null; cutoff: string };
  policy?: { code: string; revision?: string; divisionCode: string; year: number };
  /** 信用评价 applied (issue 17; absent on older schedules) */
  credit?: { levelLabelZh: string; points: number; dishonest: boolean; eligible: boolean; reductionPercent: number; rulesLabel: string };
  lines: { label: string; formula: string; amount: number }[];
  divisionCode?: string; divisionName?: string; kind?: string;
}

export interface StoredSchedule {
  id: string; divisionCode: string; divisionName: string; divisionPath: string; periodStart: string; periodEnd: string; versionNo: number;
  status: string; lines: StoredLine[]; total: number; createdAt: string; approvedAt: string | null; approvedByName: string | null;
  policyCode: string; policyVersionNo: number; policyHash: string; scoringCode?: string | null; scoringVersionNo?: number | null; scoringHash?: string | null;
  productPolicyVersionNo?: number | null; createdByName?: string | null; recomputedAt?: string | null; recomputedByName?: string | null;
  creditRulesCode?: string | null; creditRulesVersionNo?: number | null;
}

export type Place = { divisionCode: string; divisionName: string; kind: string; recorded: boolean };

export interface WorkingView {
  facts: string[];
  segments: string[];
  lines: { label: string; formula: string; amount: string; zero: boolean }[];
  notes: string[];
}

export interface ScheduleLineView {
  no: number; id: string; name: string; href: string; street: string; kind: string; beds: number; grade: string; safety: string;
  rate: string; days: string; amount: string; eligible: boolean; suspended: boolean; working: WorkingView;
}

export interface TotalRow { label: string; count: number; amount: string }

export interface SchedulePage {
  id: string; title: string; heading: string; status: string; frozen: boolean;
  banner: string | null;
  facts: { term: string; value: string }[];
  lines: ScheduleLineView[];
  total: string;
  byStreet: TotalRow[];
  byKind: TotalRow[];
  placesNote: string | null;
  downloads: { xlsx: string; pdf: string };
  compareHref: string;
  actions: { recompute: boolean; approve: boolean; approveHint: string | null };
  /** token: what the confirmation showed (scheduleReviewToken), posted back with the approval */
  confirming: null | { total: string; institutions: number; ineligible: number; token: string };
  flash: Flash;
  csrf: string;
}

const rulesText = (code: string | null | undefined, no: number | null | undefined, hash: string | null | undefined) =>
  code ? `${code} 第 ${no} 版${hash ? `（内容指纹 ${hash.slice(0, 12)}）` : ''}` : '—';

export function scheduleView(user: AuthUser, s: StoredSchedule, places: Map<string, Place>, opts: { confirming?: boolean; flash?: Flash; csrf: string }): SchedulePage {
  const frozen = s.status === 'approved';
  const draft = !frozen;
  const lines = s.lines.map((l, i) => lineView(l, i + 1, places.get(l.institutionId), s));
  const group = (key: (l: StoredLine) => string) => {
    const m = new Map<string, { count: number; fen: number }>();
    for (const l of s.lines) {
      const k = key(l);
      const g = m.get(k) ?? m.set(k, { count: 0, fen: 0 }).get(k)!;
      g.count += 1;
      g.fen += Math.round(l.amount * 100);
    }
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0], 'zh-CN')).map(([k, g]) => ({ label: k, count: g.count, amount: yuan(g.fen / 100) }));
  };
  const placeOf = (l: StoredLine) => places.get(l.institutionId);
  const mayApprove = can(user, 'subsidy.approve');
  const ineligible = s.lines.filter((l) => l.eligible === false).length;
  return {
    id: s.id,
    title: `${s.divisionName} 运营补贴发放表`,
    heading: `${s.divisionName} ${s.periodStart} 至 ${s.periodEnd} 运营补贴发放表（第 ${s.versionNo} 版）`,
    status: label('subsidyScheduleStatus', s.status), frozen,
    banner: frozen
      ? `${when(s.approvedAt)} 由 ${s.approvedByName ?? '管理员'} 批准。金额、每一行的计算过程和所依据的规则版本不再改变；系统拒绝重新计算或修改。如需更正，请生成新版本并说明理由。`
      : null,
    facts: [
      { term: '区划', value: `${s.divisionName}（${s.divisionCode}）` },
      { term: '期间', value: `${s.periodStart} 至 ${s.periodEnd}${s.lines[0]?.period ? `，共 ${s.lines[0].period.days} 天（${s.lines[0].period.months}）` : ''}` },
      { term: '状态', value: `${label('subsidyScheduleStatus', s.status)}（第 ${s.versionNo} 版）` },
      { term: '补贴政策', value: rulesText(s.policyCode, s.policyVersionNo, s.policyHash) },
      { term: '安全分规则', value: rulesText(s.scoringCode, s.scoringVersionNo, s.scoringHash) },
      { term: '产品策略', value: s.productPolicyVersionNo ? `第 ${s.productPolicyVersionNo} 版` : '—' },
      ...(s.creditRulesCode ? [{ term: '信用评价规则', value: `${s.creditRulesCode} 第 ${s.creditRulesVersionNo} 版（按期末信用等级与失信认定）` }] : []),
      { term: '生成', value: `${when(s.createdAt)}${s.createdByName ? ` ${s.createdByName}` : ''}${s.recomputedAt ? `；${when(s.recomputedAt)} ${s.recomputedByName ?? ''} 重新计算` : ''}` },
      { term: '机构数', value: `${s.lines.length} 家${ineligible ? `（其中 ${ineligible} 家不符合补贴条件，金额 0）` : ''}` },
    ],
    lines,
    total: yuan(s.total),
    byStreet: group((l) => placeOf(l)?.divisionName ?? '—'),
    byKind: group((l) => (placeOf(l)?.kind ? label('institutionKind', placeOf(l)!.kind) : '—')),
    placesNote: [...places.values()].some((p) => !p.recorded)
      ? '本发放表生成时尚未记录机构所在街道和类型；按机构现在的登记信息归类。' : null,
    downloads: { xlsx: `/api/subsidy-schedules/${s.id}/export.xlsx`, pdf: `/api/subsidy-schedules/${s.id}/export.pdf` },
    compareHref: `/subsidies/${s.id}/compare`,
    actions: {
      recompute: draft && can(user, 'subsidy.create'),
      approve: draft && mayApprove,
      approveHint: draft && !mayApprove ? '草稿须经管理员审批；审批后发放表冻结，不可修改。' : null,
    },
    confirming: draft && mayApprove && opts.confirming ? { total: yuan(s.total), institutions: s.lines.length, ineligible, token: scheduleReviewToken(s) } : null,
    flash: opts.flash ?? {}, csrf: opts.csrf,
  };
}

function lineView(l: StoredLine, no: number, place: Place | undefined, s: StoredSchedule): ScheduleLineView {
  const periodDays = l.period?.days;
  const eligible = l.eligible !== false;
  const score = l.safetyScore === null ? '尚无' : String(l.safetyScore);
  const c = l.coefficients;
  return {
    no, id: l.institutionId, name: l.institutionName, href: `/institutions/${l.institutionId}`,
    street: place?.divisionName ?? '—', kind: place?.kind ? label('institutionKind', place.kind) : '—',
    beds: l.occupiedBeds, grade: GRADE_ZH[l.grade ?? 0], safety: score,
    rate: !eligible ? '不符合条件' : c ? `等级 ×${c.grade}，安全 ×${c.safety}` : '—',
    days: !eligible ? '—' : l.paidDays !== undefined && periodDays ? `${l.paidDays}/${periodDays}` : periodDays ? `${periodDays}` : '—',
    amount: yuan(l.amount), eligible, suspended: l.suspended,
    working: workingOf(l, s),
  };
}

/** Everything a reader needs to redo the line by hand: the rules, the days, each segment, each line of arithmetic. */
export function workingOf(l: StoredLine, s: Pick<StoredSchedule, 'policyCode' | 'policyVersionNo' | 'policyHash' | 'periodStart' | 'periodEnd'>): WorkingView {
  const facts: string[] = [];
  const notes: string[] = [];
  facts.push(`依据补贴政策 ${rulesText(s.policyCode, s.policyVersionNo, s.policyHash)}`);
  if (l.period) {
    facts.push(`期间 ${l.period.start} 至 ${l.period.end}，共 ${l.period.days} 天（${l.period.months}）`);
  }
  if (l.eligible === false) {
    facts.push(l.lines[0]?.label ?? '不符合本政策补贴条件');
  } else if (l.paidDays !== undefined) {
    facts.push(`运营 ${l.operatingDays ?? l.paidDays} 天，计补 ${l.paidDays} 天${l.period ? `（计补比例 ${l.paidDays}/${l.period.days}）` : ''}`);
  }
  if (l.eligible !== false && l.safety) {
    facts.push(l.safety.score === null
      ? `安全系数：截至期末 ${l.safety.cutoff} 尚无已存储的安全分，按“未评分”系数${l.coefficients ? ` ${l.coefficients.safety}` : ''}`
      : `安全系数：取截至期末 ${l.safety.cutoff} 最近一次安全分（${l.safety.asOf} 计算，${l.safety.score} 分）${l.coefficients ? `，系数 ${l.coefficients.safety}` : ''}`);
  }
  if (l.credit) {
    const c = l.credit;
    const standing = c.dishonest ? `失信认定生效中（信用分 ${c.points}，${c.levelLabelZh}）` : `${c.levelLabelZh}，信用分 ${c.points}`;
    facts.push(`信用：期末 ${standing}，按信用评价规则 ${c.rulesLabel}${!c.eligible ? '不予补贴' : c.reductionPercent > 0 ? `减发 ${c.reductionPercent}%` : '全额补贴'}`);
  }
  const segments = (l.segments ?? []).map((g) => {
    const range = `${g.start} 至 ${g.end}（${g.days} 天）`;
    if (g.notOperating) return `${range}：${NOT_OPERATING_ZH[g.notOperating] ?? g.notOperating}，不计补贴`;
    if (g.hazardSuspended) return `${range}：有未销号的重大隐患，停发`;
    return `${range}：运营，在住 ${g.occupiedBeds} 床，等级 ${GRADE_ZH[g.grade ?? 0]}${g.occupiedBeds === 0 ? '；在住床位为 0，不计护理等级加补' : ''}，本段 ${yuan(g.amountFen / 100)} 元`;
  });
  if ((l.segments ?? []).some((g) => !g.notOperating && !g.hazardSuspended && g.occupiedBeds === 0)) {
    notes.push('在住床位为 0 的天数不计护理等级加补：日间照料、助餐点等无床位机构登记的服务对象人数只用于判断适用的检查项，不作为住养老人计发。');
  }
  if ((l.segments ?? []).length > 1) notes.push('期间内开业日、暂停运营、在住床位、等级或重大隐患有变化：按天分段，每段分别计算（见上面各段）。');
  if (l.segments === undefined && l.eligible !== false) notes.push('该发放表生成于按天分段计算之前，只存有计算明细行。');
  return {
    facts, segments, notes,
    lines: l.lines.map((x) => ({ label: x.label, formula: x.formula, amount: yuan(x.amount), zero: Math.round(x.amount * 100) === 0 })),
  };
}

// ------------------------------------------------------------------ compare

export interface CompareHead {
  id: string; divisionCode: string; divisionName: string; periodStart: string; periodEnd: string; versionNo: number; status: string; total: number;
  policyCode: string; policyVersionNo: number;
}

export interface ComparePage {
  title: string;
  current: { href: string; text: string };
  other: null | { href: string; text: string };
  summary: null | { before: string; after: string; delta: string; counts: { label: string; n: number }[] };
  notes: string[];
  rows: { name: string; href: string; change: string; kind: string; before: string; after: string; delta: string; reasons: string[] }[];
  unchanged: { name: string; href: string; amount: string }[];
  choices: { id: string; label: string; selected: boolean }[];
  emptyHint: string;
}

const headText = (h: CompareHead) => `${h.divisionName} ${h.periodStart} 至 ${h.periodEnd}（第 ${h.versionNo} 版，${label('subsidyScheduleStatus', h.status)}）`;

export function compareView(
  result: { schedule: CompareHead; other: CompareHead | null; comparison: ScheduleComparison | null },
  choices: { id: string; periodStart: string; periodEnd: string; versionNo: number; status: string }[],
): ComparePage {
  const { schedule: s, other: o, comparison: c } = result;
  const notes: string[] = [];
  if (o && c) {
    if (o.policyCode !== s.policyCode || o.policyVersionNo !== s.policyVersionNo) {
      notes.push(`两表依据的补贴政策不同：上表 ${o.policyCode} 第 ${o.policyVersionNo} 版，本表 ${s.policyCode} 第 ${s.policyVersionNo} 版；金额变化可能来自政策数值。`);
    }
    if (o.divisionCode !== s.divisionCode) notes.push(`两表区划不同：${o.divisionName} 与 ${s.divisionName}。`);
  }
  return {
    title: '发放表对比',
    current: { href: `/subsidies/${s.id}`, text: headText(s) },
    other: o ? { href: `/subsidies/${o.id}`, text: headText(o) } : null,
    summary: o && c ? {
      before: yuan(c.totalBefore), after: yuan(c.totalAfter), delta: signedYuan(c.delta),
      counts: (['added', 'removed', 'changed', 'unchanged'] as const).map((k) => ({ label: label('subsidyChange', k), n: c.counts[k] })),
    } : null,
    notes,
    rows: (c?.rows ?? []).filter((r) => r.change !== 'unchanged').map((r) => ({
      name: r.institutionName, href: `/institutions/${r.institutionId}`, change: label('subsidyChange', r.change), kind: r.change,
      before: r.before === null ? '—' : yuan(r.before), after: r.after === null ? '—' : yuan(r.after), delta: signedYuan(r.delta), reasons: r.reasons,
    })),
    unchanged: (c?.rows ?? []).filter((r) => r.change === 'unchanged').map((r) => ({ name: r.institutionName, href: `/institutions/${r.institutionId}`, amount: yuan(r.after ?? 0) })),
    choices: choices.filter((x) => x.id !== s.id).map((x) => ({
      id: x.id, label: `${x.periodStart} 至 ${x.periodEnd}（第 ${x.versionNo} 版，${label('subsidyScheduleStatus', x.status)}）`, selected: o?.id === x.id,
    })),
    emptyHint: `${s.divisionName} 没有早于 ${s.periodStart} 的发放表可供对比。先在“运营补贴”页为该区划生成上一期间的发放表，再回到这里；也可以在下面选择同一区划的另一份发放表。`,
  };
}
