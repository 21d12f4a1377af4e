import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import type { Page } from '../common/pagination';
import { label } from '../common/vocabulary';
import { RATING_COMMENT_MAX, SCORE_WORDS } from '../inspections/domain/visit-rating';
import type { RatingListRow } from '../inspections/inspection-codes.repository';
import type { RatingsPage, RatingView, TeamCodeView, VisitView } from '../inspections/inspection-codes.service';
import type { Flash, Link } from './view-common';

/**
 * 检查码 view models: the institution's 核验检查码 page, one visit (with the rating form), the team's code card and the
 * bureau's 检查评价 page. What each page shows and offers is decided here (from the service's `may` and states), so
 * the templates in `inspection-code-pages.ts` only render.
 */

export const CODE_FIELDS: Record<string, string> = {
  code: '检查码', conduct: '检查人员执法规范', clarity: '问题指出清楚', comment: '评价意见', inspectionId: '本次检查',
  divisionCode: '区划', from: '检查日期起', to: '检查日期止', minScore: '较低评分不低于', maxScore: '较低评分不高于', inspectorId: '检查人员',
};

export const RATING_QUESTIONS: { name: 'conduct' | 'clarity'; title: string; hint: string }[] = [
  { name: 'conduct', title: '检查人员执法规范', hint: '是否出示执法证件、文明执法、按检查表逐项检查，没有吃拿卡要' },
  { name: 'clarity', title: '问题指出清楚', hint: '发现的问题、依据和整改要求是否讲解清楚' },
];

export const SCORE_CHOICES: { value: number; word: string }[] = [5, 4, 3, 2, 1].map((value) => ({ value, word: SCORE_WORDS[value] }));

const TONE_OF: Record<VisitView['ratingState'], 'ok' | 'warn' | 'plain'> = { open: 'warn', rated: 'ok', closed: 'plain', pending: 'plain' };

/** The visit's line in the lists: its state in words. */
export function visitStateText(v: Pick<VisitView, 'ratingState' | 'status' | 'confirmation' | 'ratingWindowDays'>): { text: string; tone: 'ok' | 'warn' | 'plain' } {
  if (v.status === 'cancelled') return { text: '检查已取消', tone: 'warn' };
  switch (v.ratingState) {
    case 'open': return { text: '待评价', tone: TONE_OF.open };
    case 'rated': return { text: '已评价', tone: TONE_OF.rated };
    case 'closed': return { text: `未评价（已超过 ${v.ratingWindowDays} 天）`, tone: TONE_OF.closed };
    default: return { text: v.confirmation ? '已核验，检查进行中' : label('inspectionStatus', v.status), tone: TONE_OF.pending };
  }
}

export interface TeamMemberLine {
  name: string;
  role: string;
  divisionName: string;
  warrantNo: string;
  /** 执法证号未登记: shown as a warning (the institution may ask to see the paper warrant) */
  warrantMissing: boolean;
}

export interface VisitCardView {
  inspectionId: string;
  code: string | null;
  facts: { label: string; value: string }[];
  team: TeamMemberLine[];
  statusLabel: string;
  /** the record's sentence about the code (检查码已于 … 核验 / 未经被检查机构核验检查码) */
  verification: string | null;
  confirmed: string | null;
  cancelled: boolean;
  bureauName: string;
}

export function visitCardView(v: VisitView): VisitCardView {
  const facts = [
    { label: '检查单位', value: v.bureauName },
    { label: '检查类型', value: v.planName ? `${v.kindLabel}（${v.planName}）` : v.kindLabel },
    ...(v.scheduledDate ? [{ label: '计划检查日期', value: formatChineseDate(v.scheduledDate) }] : []),
    ...(v.startedAt ? [{ label: '开始检查', value: formatChineseDateTime(new Date(v.startedAt)) }] : []),
    ...(v.submittedAt ? [{ label: '提交检查记录', value: `${formatChineseDateTime(new Date(v.submittedAt))}${v.reportNo ? `（${v.reportNo}）` : ''}` }] : []),
    { label: '状态', value: v.statusLabel },
  ];
  return {
    inspectionId: v.inspectionId, code: v.code, facts, statusLabel: v.statusLabel,
    team: v.team.map((m) => ({
      name: m.name, role: [m.roleLabel, m.accountRoleLabel].filter(Boolean).join(' · '), divisionName: m.divisionName || '—',
      warrantNo: m.warrantNo ?? '未登记', warrantMissing: !m.warrantNo,
    })),
    verification: v.verification.text,
    confirmed: v.confirmation ? `已于 ${formatChineseDateTime(new Date(v.confirmation.at))} 由 ${v.confirmation.byName ?? '本机构'} 核验` : null,
    cancelled: v.status === 'cancelled',
    bureauName: v.bureauName,
  };
}

// ---------------------------------------------------------------- 核验检查码 (the institution's page)

export interface VisitLine {
  href: string;
  title: string;
  when: string;
  team: string;
  state: { text: string; tone: 'ok' | 'warn' | 'plain' };
}

export interface CodeEntryPageView {
  csrf: string;
  /** what the field shows: the QR's code, or what was typed before a refusal */
  code: string;
  flash?: Flash;
  visits: Page<VisitLine>;
  /** the visits waiting for a rating (the heading says how many) */
  toRate: number;
}

export function visitLine(v: VisitView): VisitLine {
  const at = v.submittedAt ?? v.confirmation?.at ?? null;
  return {
    href: `/inspection-codes/visits/${v.inspectionId}`,
    title: v.kindLabel,
    when: at ? formatChineseDateTime(new Date(at)) : v.scheduledDate ? formatChineseDate(v.scheduledDate) : '',
    team: v.team.map((m) => m.name).join('、'),
    state: visitStateText(v),
  };
}

export function codeEntryView(opts: { csrf: string; code?: string; flash?: Flash; visits: Page<VisitView> }): CodeEntryPageView {
  return {
    csrf: opts.csrf, code: opts.code ?? '', flash: opts.flash,
    visits: { ...opts.visits, items: opts.visits.items.map(visitLine) },
    toRate: opts.visits.items.filter((v) => v.ratingState === 'open').length,
  };
}

// ---------------------------------------------------------------- one visit: the look-up result, the rating

export interface RatingShown {
  scores: { title: string; value: number; word: string }[];
  comment: string | null;
  ratedAt: string;
  ratedBy: string;
}

export function ratingShown(r: RatingView): RatingShown {
  return {
    scores: [
      { title: '检查人员执法规范', value: r.conduct, word: SCORE_WORDS[r.conduct] ?? '' },
      { title: '问题指出清楚', value: r.clarity, word: SCORE_WORDS[r.clarity] ?? '' },
    ],
    comment: r.comment, ratedAt: formatChineseDateTime(new Date(r.ratedAt)), ratedBy: r.ratedByName,
  };
}

export interface VisitPageView {
  csrf: string;
  card: VisitCardView;
  /** 确认 (the look-up result): the code to send back; null when it cannot be confirmed now */
  confirm: { code: string } | null;
  /** why it is not offered, when the visit is open but not confirmable (never: it is confirmed already) */
  note: string | null;
  rating: {
    state: VisitView['ratingState'];
    /** the form (offered only when the service would take it) */
    form: { action: string; draft: Record<string, string>; commentMax: number } | null;
    shown: RatingShown | null;
    text: string;
  };
  flash?: Flash;
  /** the record (PDF and review page) once submitted */
  recordHref: string | null;
  back: Link;
}

export function visitPageView(v: VisitView, opts: { csrf: string; flash?: Flash; draft?: Record<string, string>; heldCode?: string | null }): VisitPageView {
  const card = visitCardView(v);
  const text = v.ratingState === 'open' ? `请在检查记录提交后 ${v.ratingWindowDays} 天内评价；评价只有主管部门可见，检查人员看不到。`
    : v.ratingState === 'rated' ? '本机构已评价本次检查（每次检查只能评价一次）。'
    : v.ratingState === 'closed' ? `已超过评价期限（检查记录提交后 ${v.ratingWindowDays} 天内）。`
    : '检查组提交检查记录后，可以在这里评价本次检查。';
  return {
    csrf: opts.csrf, card, flash: opts.flash,
    confirm: v.may.confirm && opts.heldCode ? { code: opts.heldCode } : null,
    note: v.status === 'cancelled' ? '该检查已取消。如有人员持此检查码到场检查，请勿接受检查，并联系主管部门核实。'
      : v.status === 'submitted' && !v.confirmation ? '该检查已提交，无需再核验检查码。' : null,
    rating: {
      state: v.ratingState,
      form: v.may.rate ? { action: `/inspection-codes/visits/${v.inspectionId}/rating`, draft: opts.draft ?? {}, commentMax: RATING_COMMENT_MAX } : null,
      shown: v.rating ? ratingShown(v.rating) : null,
      text,
    },
    recordHref: v.status === 'submitted' ? `/inspections/${v.inspectionId}` : null,
    back: { href: '/inspection-codes', label: '核验检查码' },
  };
}

// ---------------------------------------------------------------- the team's code card (the inspection's page)

export interface TeamCodeCard {
  display: string;
  verifyUrl: string;
  confirmed: boolean;
  status: string;
}

/** The card on the team's task page: the code, the QR (rendered by the caller from `verifyUrl`) and the state. */
export function teamCodeCard(c: TeamCodeView | null): TeamCodeCard | null {
  if (!c?.display || !c.verifyUrl) return null;
  return {
    display: c.display, verifyUrl: c.verifyUrl, confirmed: !!c.confirmation,
    status: c.confirmation ? `已于 ${formatChineseDateTime(new Date(c.confirmation.at))} 由 ${c.confirmation.byName ?? '机构'}${c.confirmation.byInstitution ? `（${c.confirmation.byInstitution}）` : ''} 核验`
      : '被检查机构尚未核验。到达后请出示检查码或二维码，由机构用户在“核验检查码”中输入或扫码确认。',
  };
}

// ---------------------------------------------------------------- 检查评价 (the bureau)

export interface RatingRowView {
  inspectionHref: string;
  day: string;
  institutionName: string;
  divisionName: string;
  kindLabel: string;
  team: string;
  code: { text: string; warn: boolean };
  conduct: number;
  clarity: number;
  low: boolean;
  comment: string | null;
  ratedAt: string;
}

export function codeStateOf(r: Pick<RatingListRow, 'hasCode' | 'confirmedAt' | 'startedAt'>): { text: string; warn: boolean } {
  if (!r.hasCode) return { text: '无检查码', warn: false };
  if (!r.confirmedAt) return { text: '未经机构核验', warn: true };
  if (r.startedAt && new Date(r.confirmedAt).getTime() > new Date(r.startedAt).getTime()) return { text: '开始检查后核验', warn: true };
  return { text: '已核验', warn: false };
}

export function ratingRowView(r: RatingListRow): RatingRowView {
  return {
    inspectionHref: `/inspections/${r.inspectionId}`, day: formatChineseDate(shanghaiDay(r.submittedAt)), institutionName: r.institutionName, divisionName: r.divisionName,
    kindLabel: label('inspectionKind', r.kind), team: r.team ?? '', code: codeStateOf(r), conduct: r.conduct, clarity: r.clarity,
    low: Math.min(r.conduct, r.clarity) <= 2, comment: r.comment, ratedAt: formatChineseDateTime(new Date(r.ratedAt)),
  };
}

function shanghaiDay(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export interface RatingsPageView {
  list: Page<RatingRowView>;
  filters: Record<string, string>;
  divisions: { value: string; label: string }[];
  kpis: { label: string; value: string; note?: string; warn?: boolean }[];
  byInspector: { name: string; divisionName: string; count: number; conduct: string; clarity: string; low: number; href: string; current: boolean }[];
  inspectorFilter: { name: string; clear: string } | null;
  exports: { csv: string; xlsx: string };
  emptyText: string;
}

const avg = (n: number | null) => (n === null ? '—' : n.toFixed(1));

export function ratingsPageView(page: RatingsPage, filters: Record<string, string>, divisions: { code: string; name: string; level: string }[]): RatingsPageView {
  const s = page.summary;
  const query = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries({ ...filters, ...extra }).filter((e): e is [string, string] => !!e[1]));
    const text = q.toString();
    return text ? `?${text}` : '';
  };
  const withoutPage = Object.fromEntries(Object.entries(filters).filter(([k]) => k !== 'page'));
  const indent: Record<string, string> = { city: '', district: '　', street: '　　' };
  const current = filters.inspectorId ? page.byInspector.find((r) => r.userId === filters.inspectorId) : undefined;
  const filtered = Object.keys(withoutPage).length > 0;
  return {
    list: { ...page, items: page.items.map(ratingRowView) },
    filters,
    divisions: divisions.map((d) => ({ value: d.code, label: `${indent[d.level] ?? ''}${d.name}` })),
    kpis: [
      { label: '评价数', value: String(s.count) },
      { label: '执法规范平均分', value: avg(s.avgConduct) },
      { label: '问题指出清楚平均分', value: avg(s.avgClarity) },
      { label: '低分评价（≤2 分）', value: String(s.low), warn: s.low > 0 },
      { label: '评价率', value: s.coverage === null ? '—' : `${s.coverage}%`, note: `${s.count} / ${s.submitted} 次已提交的检查` },
      { label: '附有意见', value: String(s.commented) },
    ],
    byInspector: page.byInspector.map((r) => ({
      name: r.displayName, divisionName: r.divisionName ?? '—', count: r.count, conduct: avg(r.avgConduct), clarity: avg(r.avgClarity), low: r.low,
      href: `/inspection-ratings${query({ ...withoutPage, inspectorId: r.userId })}`, current: r.userId === filters.inspectorId,
    })),
    inspectorFilter: filters.inspectorId ? { name: current?.displayName ?? '所选检查人员', clear: `/inspection-ratings${query({ ...withoutPage, inspectorId: undefined })}` } : null,
    exports: { csv: `/api/exports/inspection-ratings.csv${query(withoutPage)}`, xlsx: `/api/exports/inspection-ratings.xlsx${query(withoutPage)}` },
    emptyText: filtered ? '没有符合条件的评价。请调整筛选条件。' : '辖区内还没有机构评价。检查记录提交后，被检查机构可在 30 天内评价检查人员执法规范和问题是否指出清楚。',
  };
}
