/** 信用评价 page view models: every decision (what to show, which form) is made here, the templates only render. */
import { shanghaiDate } from '../common/calendar';
import { can } from '../auth/permissions';
import { labelEntries, label } from '../common/vocabulary';
import type { Page } from '../common/pagination';
import type { AuthUser } from '../common/scope';
import type { CreditRow } from '../credit/credit.service';
import type { CreditService } from '../credit/credit.service';
import type { Flash, Link } from './view-common';

export const CREDIT_FIELDS: Record<string, string> = {
  institutionId: '机构', reason: '认定理由', legalBasis: '认定依据', decidedOn: '认定日期', objection: '申辩内容', outcome: '处理结果', note: '处理意见',
  confirm: '确认', divisionCode: '街道', level: '信用等级', dishonest: '失信认定', due: '检查频次',
};

/** 检查频次 in one line: "本年已检查 1 次（含已安排），截至今日应 2 次：应安排检查". */
export function frequencyText(f: { perYear: number; counted: number; expected: number; due: boolean }): string {
  if (f.perYear === 0) return `本年已检查 ${f.counted} 次；该等级不要求计划检查`;
  return `本年已检查 ${f.counted} 次（含已安排），截至今日应 ${f.expected} 次${f.due ? '：应安排检查' : '：已达到'}`;
}

const subsidyText = (s: { eligible: boolean; reductionPercent: number }) => (!s.eligible ? '不予补贴' : s.reductionPercent > 0 ? `减发 ${s.reductionPercent}%` : '全额');

export interface CreditListView {
  list: Page<CreditRowView>;
  filters: Record<string, string>;
  byStreet: { divisionName: string; a: number; b: number; c: number; d: number; dishonest: number; total: number }[];
  choices: { streets: [string, string][]; levels: [string, string][]; dishonest: [string, string][]; due: [string, string][] };
  csvHref: string;
  asOf: string;
}

export interface CreditRowView {
  href: string;
  name: string;
  divisionName: string;
  points: number;
  levelLabel: string;
  level: string;
  dishonestText: string | null;
  stratumLabel: string;
  inspectionsPerYear: number;
  /** "1 / 2" counted / expected so far this year, and whether the institution should be planned */
  frequencyText: string;
  due: boolean;
  subsidyText: string;
}

export function creditListView(page: Awaited<ReturnType<CreditService['list']>>, filters: Record<string, string>): CreditListView {
  const rows = page.items.map((r: CreditRow): CreditRowView => ({
    href: `/institutions/${r.institutionId}/credit`, name: r.name, divisionName: r.divisionName, points: r.points, level: r.level, levelLabel: r.levelLabelZh,
    dishonestText: r.dishonest ? `失信认定生效中（${r.dishonestSince} 起）` : null, stratumLabel: r.stratumLabelZh, inspectionsPerYear: r.inspectionsPerYear, subsidyText: subsidyText(r.subsidy),
    frequencyText: `${r.frequency.counted} / ${r.frequency.expected}`, due: r.frequency.due,
  }));
  const streets = new Map(page.byStreet.map((s) => [s.divisionCode, s.divisionName]));
  return {
    list: { ...page, items: rows },
    filters,
    byStreet: page.byStreet.map((s) => ({ divisionName: s.divisionName, a: s.counts.A, b: s.counts.B, c: s.counts.C, d: s.counts.D, dishonest: s.dishonest, total: s.total })),
    choices: { streets: [...streets], levels: labelEntries('creditLevel'), dishonest: [['yes', '失信认定生效中'], ['no', '无失信认定']], due: [['yes', '应安排检查'], ['no', '已达到频次']] },
    csvHref: `/api/credit/institutions.csv${Object.keys(filters).length ? `?${new URLSearchParams(filters).toString()}` : ''}`,
    asOf: page.asOf,
  };
}

type InstitutionCredit = Awaited<ReturnType<CreditService['institutionCredit']>>;

export interface CreditLedgerView {
  institution: { id: string; name: string; divisionName: string };
  asOf: string;
  windowStart: string;
  base: number;
  total: number;
  levelLabel: string;
  entries: { points: string; negative: boolean; explanation: string; sourceLabel: string; sourceHref: string; on: string }[];
  dishonest: boolean;
  stratumLabel: string;
  /** the current stratum's sampling ratio (差异化抽查), and the published stratified plans the institution was in */
  stratumRatioText: string | null;
  draws: { name: string; on: string; label: string; rateText: string }[];
  inspectionsPerYear: number;
  frequencyText: string;
  frequencyDue: boolean;
  /** which inspections count toward the yearly number */
  frequencyKindsText: string;
  subsidyText: string;
  rulesText: string;
  decisions: DecisionView[];
  mayDecide: boolean;
  objectionDays: number;
  repairCleanMonths: number;
  csrf: string;
  flash?: Flash;
  draft: Record<string, string>;
  /** the 失信 decision being confirmed (step 2), or null */
  confirming: { reason: string; legalBasis: string; decidedOn: string } | null;
  today: string;
  back: Link | null;
}

export interface DecisionView {
  id: string;
  statusLabel: string;
  inForce: boolean;
  reason: string;
  legalBasis: string;
  decidedOn: string;
  objectionDueOn: string;
  decidedByName: string;
  published: boolean;
  objection: string | null;
  reviewNote: string | null;
  repairReason: string | null;
  repairedOn: string | null;
  repairableFrom: string;
  version: number;
  may: { object: boolean; review: boolean; repair: boolean };
}

const ENTITY_ZH: Record<string, string> = {
  hazard: '隐患', hazard_objection: '陈述申辩', complaint: '投诉', incident: '突发事件', institution_change_request: '档案变更申请', self_hazard: '自查隐患', drill: '演练',
};

/** The link to the record a ledger entry came from, where the viewer has a page for it. */
function sourceLink(e: { entityType?: string; entityId?: string }, institutionId: string): string {
  switch (e.entityType) {
    case 'hazard': return `/hazards/${e.entityId}`;
    case 'incident': return `/incidents/${e.entityId}`;
    case 'complaint': return `/complaints/${e.entityId}`;
    case 'drill': return `/institutions/${institutionId}/drills`;
    case 'self_hazard': return `/institutions/${institutionId}/patrols`;
    case 'institution_change_request': return `/institutions/${institutionId}/change-requests`;
    default: return '';
  }
}

export interface InstitutionStrata {
  current: { label: string; ratio: number } | null;
  plans: { name: string; publishedAt: Date; label: string; ratio: number | null; poolSize: number | null; drawn: number | null }[];
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

export function creditLedgerView(user: AuthUser, c: InstitutionCredit, extra: { csrf: string; flash?: Flash; draft?: Record<string, string>; confirming?: CreditLedgerView['confirming']; strata?: InstitutionStrata }): CreditLedgerView {
  const today = c.asOf;
  return {
    institution: { id: c.institution.id, name: c.institution.name, divisionName: c.institution.divisionName },
    asOf: c.asOf, windowStart: c.ledger.windowStart, base: c.ledger.base, total: c.ledger.total, levelLabel: c.ledger.levelLabelZh,
    entries: c.ledger.entries.map((e) => ({
      points: e.points > 0 ? `+${e.points}` : e.points < 0 ? `−${-e.points}` : '0', negative: e.points < 0, explanation: e.explanation,
      sourceLabel: e.entityType ? ENTITY_ZH[e.entityType] ?? e.entityType : '', sourceHref: sourceLink(e, c.institution.id), on: e.on ?? '',
    })),
    dishonest: c.standing.dishonest, stratumLabel: c.stratumLabelZh, inspectionsPerYear: c.consequence.inspectionsPerYear, subsidyText: subsidyText(c.consequence.subsidy),
    frequencyText: frequencyText(c.frequency), frequencyDue: c.frequency.due, frequencyKindsText: c.frequency.countedKinds.map((k) => label('inspectionKind', k)).join('、'),
    stratumRatioText: extra.strata?.current ? `抽查比例 ${pct(extra.strata.current.ratio)}` : null,
    draws: (extra.strata?.plans ?? []).map((p) => ({
      name: p.name, on: shanghaiDate(new Date(p.publishedAt)), label: p.label,
      rateText: p.ratio === null ? '' : `该层抽查比例 ${pct(p.ratio)}，${p.poolSize} 家中抽取 ${p.drawn} 家`,
    })),
    rulesText: `${c.rules.code} 第 ${c.rules.versionNo} 版${c.rules.revision ? `（${c.rules.revision}）` : ''}`,
    decisions: c.decisions.map((d) => ({
      id: d.id, statusLabel: label('dishonestyStatus', d.status), inForce: ['decided', 'objected', 'upheld'].includes(d.status), reason: d.reason, legalBasis: d.legalBasis,
      decidedOn: d.decidedOn, objectionDueOn: d.objectionDueOn, decidedByName: d.decidedByName, published: d.published, objection: d.objection, reviewNote: d.reviewNote,
      repairReason: d.repairReason, repairedOn: d.repairedOn, repairableFrom: d.repairableFrom, version: d.version,
      may: { object: d.actions.includes('object'), review: d.actions.includes('uphold'), repair: d.actions.includes('repair') },
    })),
    mayDecide: c.mayDecide, objectionDays: c.objectionDays, repairCleanMonths: c.repairCleanMonths,
    csrf: extra.csrf, flash: extra.flash, draft: extra.draft ?? {}, confirming: extra.confirming ?? null, today,
    back: can(user, 'credit.decide') ? { href: '/credit', label: '信用评价' } : null,
  };
}
