import { daysBetween, formatChineseDate, formatChineseDateTime, shanghaiDate } from '../common/calendar';
import type { Page } from '../common/pagination';
import { label } from '../common/vocabulary';
import type { Hazard } from '../hazards/hazard.entity';
import type { Inspection } from '../inspections/inspection.entity';
import type { ChangeRequestRow } from '../institutions/change-requests.repository';
import type { Institution } from '../institutions/institution.entity';
import type { NoticeRow } from '../rectification/rectification.repository';
import type { GradeView, ScoreView } from './institution-view';
import type { Link } from './view-common';
import type { ApprovedSubsidyLine } from './workspace.repository';

/**
 * 机构工作台 — the institution's own pages (home, 安全评分, 历史), phone first. Every decision is made here; the
 * templates in workspace-pages.ts only print.
 */

type LedgerItem = Hazard & { institutionName?: string; foundAt?: Date | string };

// ---------------------------------------------------------------- data (gathered by WorkspaceWebData)

export interface WorkspaceHomeData {
  institution: Institution;
  /** every hazard not closed (open, returned, responded) */
  hazards: LedgerItem[];
  /** the newest notices of the institution (acknowledged or not) */
  notices: NoticeRow[];
  score: ScoreView | null;
  grade: GradeView;
  subsidies: ApprovedSubsidyLine[];
  latestRequest: ChangeRequestRow | null;
  mayFileRequest: boolean;
}

export interface WorkspaceScoreData {
  institution: Institution;
  score: ScoreView | null;
  grade: GradeView;
  subsidies: ApprovedSubsidyLine[];
}

export interface WorkspaceHistoryData {
  institution: Institution;
  inspections: Page<Inspection & { institutionName: string }>;
  hazards: Page<LedgerItem>;
}

// ---------------------------------------------------------------- pieces

export interface Countdown { text: string; warn: boolean }

export interface OpenHazardRow {
  href: string;
  code: string;
  title: string;
  major: boolean;
  severityLabel: string;
  statusLabel: string;
  dueDate: string;
  /** 已逾期 N 天 / 今日到期 / 剩 N 天 — only while the institution is the one to act */
  countdown: Countdown | null;
  /** 待复核: the institution has responded, the bureau verifies */
  waitingForBureau: boolean;
  /** a major hazard's 五到位 plan due date (the hazard page tells whether it was filed) */
  planDue: string | null;
}

export interface NoticeToAcknowledge {
  href: string;
  noticeNo: string;
  issuedAt: string;
  /** POST target of 签收 */
  acknowledgeAction: string;
}

export interface ScoreLine {
  points: string;
  /** the arithmetic, from the score service (e.g. "GAS-003 一般隐患 2 × 多处 1.5 × 权重 0.6 = −1.8") */
  explanation: string;
  href: string | null;
  deduction: boolean;
}

export interface ScoreSummary {
  value: string;
  asOf: string;
  computedAt: string;
  ruleSet: string;
  /** total points lost (a positive number, formatted) */
  lost: string;
  /** "为什么扣分": every line that moved the score, in the service's order */
  deductions: ScoreLine[];
  /** lines worth 0 points (which inspections counted, caps) */
  notes: ScoreLine[];
  capApplied: boolean;
}

export interface GradeSummary {
  label: string;
  graded: boolean;
  /** "2026年1月1日 至 2028年12月31日" / "自 … 起" ; null when ungraded */
  validity: string | null;
  /** the validity ends within 90 days */
  expiringSoon: boolean;
}

export interface SubsidyRow {
  period: string;
  amount: string;
  eligible: boolean;
  paidDays: string | null;
  approvedAt: string;
  suspended: boolean;
  lines: { label: string; formula: string; amount: string }[];
}

export interface ChangeRequestSummary {
  statusLabel: string;
  pending: boolean;
  requestedAt: string;
  href: string;
}

// ---------------------------------------------------------------- helpers

const yuan = (n: number) => `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const points = (p: number) => (p === 0 ? '—' : `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(2).replace(/\.?0+$/, '')}`);
const dayOf = (d: Date | string) => shanghaiDate(new Date(d));

/** 已逾期 N 天 / 今日到期 / 剩 N 天 while the institution must act; null once it responded or the hazard is closed. */
export function countdown(h: Pick<Hazard, 'status' | 'dueDate'>, today: string): Countdown | null {
  if (h.status !== 'open' && h.status !== 'returned') return null;
  const days = daysBetween(today, h.dueDate);
  return days < 0 ? { text: `已逾期 ${-days} 天`, warn: true } : days === 0 ? { text: '今日到期', warn: true } : { text: `剩 ${days} 天`, warn: days <= 3 };
}

/** The open hazards, the institution's to act on first: overdue, then the nearest deadline; those awaiting verification last. */
export function openHazardRows(items: readonly LedgerItem[], today: string): OpenHazardRow[] {
  const rank = (h: LedgerItem) => (h.status === 'responded' ? 2 : h.dueDate < today ? 0 : 1);
  return items
    .filter((h) => h.status !== 'closed')
    .slice()
    .sort((a, b) => rank(a) - rank(b) || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) || (a.itemCode < b.itemCode ? -1 : 1))
    .map((h) => ({
      href: `/hazards/${h.id}`, code: h.itemCode, title: h.titleZh, major: h.severity === 'major',
      severityLabel: `${label('severity', h.severity)}${h.listed ? '（挂牌督办）' : ''}`,
      statusLabel: label('hazardStatus', h.status), dueDate: formatChineseDate(h.dueDate),
      countdown: countdown(h, today), waitingForBureau: h.status === 'responded',
      planDue: h.severity === 'major' && h.planDueDate ? formatChineseDate(h.planDueDate) : null,
    }));
}

export function scoreSummary(s: ScoreView | null): ScoreSummary | null {
  if (!s) return null;
  const line = (c: ScoreView['contributions'][number]): ScoreLine => ({
    points: points(c.points), explanation: c.explanation,
    href: c.hazardId ? `/hazards/${c.hazardId}` : null, deduction: c.points < 0,
  });
  const lost = -s.contributions.reduce((sum, c) => sum + c.points, 0);
  return {
    value: Number(s.score).toFixed(1), asOf: formatChineseDate(s.asOf), computedAt: formatChineseDateTime(new Date(s.computedAt)),
    ruleSet: `${s.ruleSetCode} 第 ${s.ruleSetVersionNo} 版`, lost: Math.max(0, lost).toFixed(2).replace(/\.?0+$/, '') || '0',
    deductions: s.contributions.filter((c) => c.points !== 0).map(line),
    notes: s.contributions.filter((c) => c.points === 0).map(line),
    capApplied: s.capApplied,
  };
}

export function gradeSummary(g: GradeView, today: string): GradeSummary {
  const graded = g.grade !== null;
  const validity = !g.validFrom ? null : g.validUntil ? `${formatChineseDate(g.validFrom)} 至 ${formatChineseDate(g.validUntil)}` : `自 ${formatChineseDate(g.validFrom)} 起`;
  return { label: g.gradeLabel, graded, validity, expiringSoon: graded && !!g.validUntil && daysBetween(today, g.validUntil) <= 90 };
}

/** Approved schedules only (the repository reads nothing else); a draft's figures never reach the institution. */
export function subsidyRows(lines: readonly ApprovedSubsidyLine[]): SubsidyRow[] {
  return lines.map((l) => ({
    period: `${formatChineseDate(l.periodStart)} 至 ${formatChineseDate(l.periodEnd)}`,
    amount: yuan(Number(l.amount)), eligible: l.eligible !== false,
    paidDays: l.paidDays === null || l.paidDays === undefined ? null : `${l.paidDays} 天`,
    approvedAt: formatChineseDate(dayOf(l.approvedAt)), suspended: !!l.suspended,
    lines: (l.lines ?? []).map((x) => ({ label: x.label, formula: x.formula, amount: yuan(Number(x.amount)) })),
  }));
}

export function changeRequestSummary(r: ChangeRequestRow | null, institutionId: string): ChangeRequestSummary | null {
  if (!r) return null;
  return {
    statusLabel: label('changeRequestStatus', r.status), pending: r.status === 'pending',
    requestedAt: formatChineseDateTime(new Date(r.requestedAt)), href: `/institutions/${institutionId}/change-requests`,
  };
}

// ---------------------------------------------------------------- home

export interface WorkspaceHome {
  name: string;
  kindLabel: string;
  statusLabel: string;
  profileHref: string;
  today: string;
  hazards: OpenHazardRow[];
  /** how many are overdue (the first rows) */
  overdue: number;
  notices: NoticeToAcknowledge[];
  /** acknowledged notices (the rest of /notices) */
  acknowledgedCount: number;
  score: ScoreSummary | null;
  grade: GradeSummary;
  subsidies: SubsidyRow[];
  changeRequest: ChangeRequestSummary | null;
  /** 申请变更档案 (the form) — null when the account may not file */
  fileRequestHref: string | null;
  links: Link[];
  csrf: string;
}

export function workspaceHomeView(d: WorkspaceHomeData, today: string, csrf: string): WorkspaceHome {
  const i = d.institution;
  const hazards = openHazardRows(d.hazards, today);
  const pending = d.notices.filter((n) => !n.acknowledgedAt);
  return {
    name: i.name, kindLabel: label('institutionKind', i.kind), statusLabel: label('institutionStatus', i.status),
    profileHref: `/institutions/${i.id}`, today: formatChineseDate(today),
    hazards, overdue: hazards.filter((h) => h.countdown?.text.startsWith('已逾期')).length,
    notices: pending.map((n) => ({
      href: `/notices/${n.id}`, noticeNo: n.noticeNo, issuedAt: formatChineseDateTime(new Date(n.issuedAt)), acknowledgeAction: `/notices/${n.id}/acknowledge`,
    })),
    acknowledgedCount: d.notices.length - pending.length,
    score: scoreSummary(d.score), grade: gradeSummary(d.grade, today), subsidies: subsidyRows(d.subsidies),
    changeRequest: changeRequestSummary(d.latestRequest, i.id),
    fileRequestHref: d.mayFileRequest ? `/institutions/${i.id}/change-requests` : null,
    links: [
      { href: '/hazards', label: '全部隐患' }, { href: '/notices', label: '整改通知书' },
      { href: '/workspace/score', label: '安全评分与等级' }, { href: '/workspace/history', label: '检查与隐患历史' },
    ],
    csrf,
  };
}

// ---------------------------------------------------------------- 安全评分

export interface WorkspaceScore {
  name: string;
  score: ScoreSummary | null;
  grade: GradeSummary;
  subsidies: SubsidyRow[];
}

export function workspaceScoreView(d: WorkspaceScoreData, today: string): WorkspaceScore {
  return { name: d.institution.name, score: scoreSummary(d.score), grade: gradeSummary(d.grade, today), subsidies: subsidyRows(d.subsidies) };
}

// ---------------------------------------------------------------- 历史

export interface HistoryInspectionRow {
  kindLabel: string;
  submittedOn: string;
  reportNo: string | null;
  /** 检查记录 PDF (null: no record number yet) */
  pdfHref: string | null;
  /** the hazards this inspection found */
  hazardsHref: string;
}

export interface HistoryHazardRow {
  href: string;
  code: string;
  title: string;
  major: boolean;
  severityLabel: string;
  statusLabel: string;
  foundOn: string | null;
  dueDate: string;
  closed: boolean;
}

export interface PagerView {
  summary: string;
  prev: string | null;
  next: string | null;
}

export interface WorkspaceHistory {
  name: string;
  inspections: HistoryInspectionRow[];
  inspectionPager: PagerView;
  hazards: HistoryHazardRow[];
  hazardPager: PagerView;
}

/** Two lists on one page, each with its own page number (`ip`, `hp`); a pager keeps the other list's page. */
export function historyPager(page: Page<unknown>, key: 'ip' | 'hp', other: { key: 'ip' | 'hp'; page: number }, anchor: string): PagerView {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (p: number) => `/workspace/history?${new URLSearchParams({ [key]: String(p), [other.key]: String(other.page) }).toString()}#${anchor}`;
  return {
    summary: page.total ? `共 ${page.total} 条，第 ${page.page} / ${pages} 页` : '共 0 条',
    prev: page.page > 1 ? link(page.page - 1) : null,
    next: page.page < pages ? link(page.page + 1) : null,
  };
}

export function workspaceHistoryView(d: WorkspaceHistoryData): WorkspaceHistory {
  const ip = d.inspections.page;
  const hp = d.hazards.page;
  return {
    name: d.institution.name,
    inspections: d.inspections.items.map((x) => ({
      kindLabel: label('inspectionKind', x.kind), submittedOn: x.submittedAt ? formatChineseDate(dayOf(x.submittedAt)) : '—',
      reportNo: x.reportNo, pdfHref: x.reportNo ? `/api/inspections/${x.id}/report.pdf` : null,
      hazardsHref: `/hazards?${new URLSearchParams({ inspectionId: x.id }).toString()}`,
    })),
    inspectionPager: historyPager(d.inspections, 'ip', { key: 'hp', page: hp }, 'h-inspections'),
    hazards: d.hazards.items.map((h) => ({
      href: `/hazards/${h.id}`, code: h.itemCode, title: h.titleZh, major: h.severity === 'major',
      severityLabel: label('severity', h.severity), statusLabel: label('hazardStatus', h.status),
      foundOn: h.foundAt ? formatChineseDate(dayOf(h.foundAt)) : null, dueDate: formatChineseDate(h.dueDate), closed: h.status === 'closed',
    })),
    hazardPager: historyPager(d.hazards, 'hp', { key: 'ip', page: ip }, 'h-hazards'),
  };
}
