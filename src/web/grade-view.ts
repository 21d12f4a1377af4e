/**
 * 等级评定 pages' view models: every decision the templates show (what a row's standing is, which section is open,
 * what is still missing, whether finalizing is offered, what the confirmation states) made here from the services'
 * answers; grade-pages.ts only renders.
 */
import { can } from '../auth/permissions';
import { formatChineseDate } from '../common/calendar';
import { AuthUser } from '../common/scope';
import { label } from '../common/vocabulary';
import { gradeName, GradeLevel } from '../scoring/domain/grade';
import { EXPIRING_WITHIN_DAYS } from '../scoring/dto/scoring.dto';
import type { Flash, Link } from './view-common';

// ---------------------------------------------------------------- list (/grades)

export interface AssessmentListRow {
  id: string; institutionId: string; institutionName: string; status: string; total: number | null; grade: number | null; gradeLabel: string | null;
  validFrom: string | null; validUntil: string | null; openedAt: Date | string; finalizedAt: Date | string | null;
  currentGrade: number | null; decisionKind: 'revoke' | 'lower' | null; standing: string; expiring: boolean;
}

export interface GradeListRowView {
  href: string; institutionName: string; standing: string; standingWarn: boolean;
  result: string; total: string; validity: string; opened: string;
  tags: { text: string; warn: boolean }[];
}

export interface GradeListView {
  rows: GradeListRowView[];
  filters: Record<string, string>;
  standings: { value: string; label: string }[];
  canOpen: boolean;
  expiringDays: number;
  /** 即将到期 among the filtered assessments, with a link to them (null when none or already filtered to them) */
  expiringNote: { text: string; href: string } | null;
  /** the empty state's sentence: nothing at all yet, or nothing matching the filters */
  empty: { text: string; clear: boolean };
}

const dateOf = (v: Date | string | null): string | null => (v === null ? null : typeof v === 'string' ? v.slice(0, 10) : new Date(v.getTime() + 8 * 3600e3).toISOString().slice(0, 10));

export function gradeListView(user: AuthUser, items: AssessmentListRow[], filters: Record<string, string>, today: string, expiringCount = 0): GradeListView {
  const rows = items.map((r): GradeListRowView => {
    const tags: { text: string; warn: boolean }[] = [];
    if (r.expiring && r.validUntil) {
      const days = daysBetween(today, r.validUntil);
      tags.push({ text: `即将到期（${days === 0 ? '今天到期' : `${days} 天后到期`}）`, warn: true });
    }
    if (r.decisionKind === 'lower' && r.standing === 'in_force') tags.push({ text: `已降级：${gradeName(r.grade as GradeLevel)} → ${gradeName(r.currentGrade as GradeLevel)}`, warn: true });
    const result = r.status === 'open' ? '—'
      : r.standing === 'in_force' ? gradeName(r.currentGrade as GradeLevel | null)
        : r.gradeLabel ?? '—';
    return {
      href: `/grades/${r.id}`, institutionName: r.institutionName,
      standing: label('gradeStanding', r.standing), standingWarn: r.standing === 'revoked' || r.standing === 'expired',
      result, total: r.total === null || r.status === 'open' ? '—' : String(r.total),
      validity: r.validFrom ? `${r.validFrom} 至 ${r.validUntil ?? '长期'}` : '—',
      opened: dateOf(r.openedAt) ?? '', tags,
    };
  });
  const filtered = Object.keys(filters).some((k) => k !== 'sort');
  return {
    rows, filters, canOpen: can(user, 'grade.open'), expiringDays: EXPIRING_WITHIN_DAYS,
    expiringNote: expiringCount > 0 && filters.expiring !== 'true'
      ? { text: `${expiringCount} 个现行等级将在 ${EXPIRING_WITHIN_DAYS} 天内到期`, href: `/grades?${new URLSearchParams({ ...filters, expiring: 'true', sort: 'expiry' }).toString()}` } : null,
    standings: ['open', 'in_force', 'superseded', 'revoked', 'expired'].map((value) => ({ value, label: label('gradeStanding', value) })),
    empty: filtered
      ? { text: '没有符合筛选条件的等级评定。', clear: true }
      : { text: can(user, 'grade.open') ? '还没有等级评定。选择一家提供住宿的养老机构，开启第一次评定。' : '您的范围内还没有等级评定。', clear: false },
  };
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400e3);
}

// ---------------------------------------------------------------- open (/grades/new)

export interface OpenChoice { id: string; name: string; applies: boolean; reason?: string }

export interface OpenFormView {
  csrf: string;
  q: string;
  choices: { id: string; name: string; selected: boolean }[];
  refused: { name: string; reason: string }[];
  versions: { versionNo: number; label: string; selected: boolean }[];
  draft: { noSeriousAccident: boolean; registrationInOrder: boolean };
  flash: Flash;
  more: boolean;
}

export function openFormView(choices: OpenChoice[], forms: { current: { versionNo: number }; versions: { versionNo: number; publishedAt: Date; contentHash: string }[] }, input: {
  csrf: string; q: string; selectedId?: string; versionNo?: number; draft?: { noSeriousAccident: boolean; registrationInOrder: boolean }; flash?: Flash; more: boolean;
}): OpenFormView {
  const chosenVersion = input.versionNo ?? forms.current.versionNo;
  return {
    csrf: input.csrf, q: input.q, more: input.more,
    choices: choices.filter((c) => c.applies).map((c) => ({ id: c.id, name: c.name, selected: c.id === input.selectedId })),
    refused: choices.filter((c) => !c.applies).map((c) => ({ name: c.name, reason: c.reason ?? '' })),
    versions: forms.versions.map((v) => ({
      versionNo: v.versionNo, selected: v.versionNo === chosenVersion,
      label: `第 ${v.versionNo} 版${v.versionNo === forms.current.versionNo ? '（现行）' : ''} · 发布于 ${formatChineseDate(dateOf(v.publishedAt)!)} · ${v.contentHash.slice(0, 8)}`,
    })),
    draft: input.draft ?? { noSeriousAccident: false, registrationInOrder: false },
    flash: input.flash ?? {},
  };
}

// ---------------------------------------------------------------- assessment (/grades/:id)

interface FormItem { code: string; title: { zh: string }; maxPoints: number }
interface FormPart { code: string; title: { zh: string }; maxPoints: number; items: FormItem[] }

export interface GradePreview {
  assessment: {
    id: string; institutionId: string; institutionName: string; status: string; itemPoints: Record<string, number>; itemNotes: Record<string, string>;
    version: number; openedAt: Date | string; finalizedAt: Date | string | null; total: number | null; grade: number | null; gradeLabel: string | null;
    reasons: string[] | null; validFrom: string | null; validUntil: string | null; prerequisites: { noSeriousAccident: boolean; registrationInOrder: boolean };
    decisions: { id: string; kind: 'revoke' | 'lower'; newGrade: number | null; reason: string; basis: string; effectiveOn: string }[];
  };
  form: { form: { code: string; title: { zh: string }; totalPoints: number; standard: string; parts: FormPart[] }; versionNo: number; code: string; contentHash: string };
  blockingHazards: { hazardId: string; itemCode: string; title: string; status: 'major' | 'suspected' }[];
  prerequisiteReasons: string[];
  prerequisites: { noSeriousAccident: boolean; registrationInOrder: boolean; noOpenMajorHazard: boolean };
  gaps: { missing: string[]; unexplained: string[] };
  result: { total: number; grade: number | null; gradeLabel: string; reasons: string[]; parts: { code: string; title: string; points: number; max: number; percent: number }[] };
  validity: { validFrom: string; validUntil: string };
}

export interface SectionView {
  code: string; title: string; max: number; href: string; active: boolean;
  entered: number; count: number; points: number; complete: boolean;
  /** 已完成 / 3/4 项已打分 / 2 处扣分缺说明 */
  progress: string;
}

export interface ItemRowView {
  code: string; title: string; max: number; pointsValue: string; noteValue: string;
  pointsId: string; noteId: string; deduction: boolean; needsNote: boolean; error: boolean;
}

export interface PrerequisiteLine { ok: boolean; text: string; links: Link[] }

export interface AssessmentPageView {
  id: string; institutionName: string; institutionHref: string; csrf: string; version: number;
  formLabel: string; opened: string; open: boolean;
  sections: SectionView[];
  current: { code: string; title: string; max: number; items: ItemRowView[] } | null;
  overall: string;
  prerequisites: PrerequisiteLine[];
  blocked: boolean;
  canScore: boolean;
  finalize: { offered: boolean; why: string | null };
  result: null | {
    gradeLabel: string; currentLabel: string; total: string; validity: string; reasons: string[]; pdfHref: string;
    parts: { title: string; points: string; max: number; percent: string }[];
    decisions: { text: string; effectiveOn: string; reason: string; basis: string }[];
  };
  flash: Flash;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100));

export function sectionsOf(form: { parts: FormPart[] }, points: Record<string, number>, notes: Record<string, string>, id: string, active: string | null): SectionView[] {
  return form.parts.map((p) => {
    const entered = p.items.filter((i) => points[i.code] !== undefined).length;
    const unexplained = p.items.filter((i) => points[i.code] !== undefined && points[i.code] < i.maxPoints && !notes[i.code]?.trim()).length;
    const complete = entered === p.items.length && unexplained === 0;
    const sum = p.items.reduce((s, i) => s + (points[i.code] ?? 0), 0);
    return {
      code: p.code, title: p.title.zh, max: p.maxPoints, href: `/grades/${id}?part=${p.code}`, active: p.code === active,
      entered, count: p.items.length, points: sum, complete,
      progress: complete ? `已完成 · ${num(sum)}/${p.maxPoints} 分`
        : unexplained ? `${unexplained} 处扣分缺说明`
          : `${entered}/${p.items.length} 项已打分`,
    };
  });
}

/** The section to show: the one asked for, else the first not complete, else the first. */
export function activeSection(sections: { code: string; complete: boolean }[], asked: string | undefined): string | null {
  if (asked && sections.some((s) => s.code === asked)) return asked;
  return (sections.find((s) => !s.complete) ?? sections[0])?.code ?? null;
}

/** After saving a section: the next section not complete (after this one, wrapping), or this one if all are. */
export function nextSection(sections: { code: string; complete: boolean }[], saved: string): string {
  const i = sections.findIndex((s) => s.code === saved);
  const order = [...sections.slice(i + 1), ...sections.slice(0, i + 1)];
  return (order.find((s) => !s.complete) ?? sections[i] ?? sections[0]).code;
}

/** The prerequisites as finalize will check them: each blocking hazard named with a link to it, then the other conditions. */
export function prerequisiteLines(p: GradePreview): PrerequisiteLine[] {
  const major = p.blockingHazards.filter((h) => h.status === 'major');
  const suspected = p.blockingHazards.filter((h) => h.status === 'suspected');
  const hazardLink = (h: { hazardId: string; itemCode: string; title: string }) => ({ href: `/hazards/${h.hazardId}`, label: `${h.itemCode} ${h.title}` });
  return [
    major.length ? { ok: false, text: '存在未销号的重大隐患（销号前不予评定等级）：', links: major.map(hazardLink) }
      : { ok: true, text: '无未销号的重大隐患', links: [] },
    ...(suspected.length ? [{ ok: false, text: '存在尚待认定的疑似重大隐患（认定或排除前不予评定等级）：', links: suspected.map(hazardLink) }] : []),
    p.prerequisites.noSeriousAccident ? { ok: true, text: '评定期内未发生较大及以上安全事故（开启评定时核实）', links: [] }
      : { ok: false, text: '评定期内发生较大及以上安全事故（开启评定时核实），不予评定等级', links: [] },
    p.prerequisites.registrationInOrder ? { ok: true, text: '设立许可、备案手续齐全，机构处于正常运营', links: [] }
      : { ok: false, text: '设立许可或备案手续不全，或机构不在正常运营状态，不予评定等级', links: [] },
  ];
}

export function assessmentPageView(user: AuthUser, p: GradePreview, input: {
  csrf: string; part?: string; flash?: Flash; draft?: { points: Record<string, string>; notes: Record<string, string> }; errorCodes?: string[];
  standing?: { standing: string; currentGrade: number | null } | null;
}): AssessmentPageView {
  const a = p.assessment;
  const form = p.form.form;
  const open = a.status === 'open';
  const sectionsBase = sectionsOf(form, a.itemPoints, a.itemNotes, a.id, null);
  const active = open ? activeSection(sectionsBase, input.part) : null;
  const sections = sectionsBase.map((s) => ({ ...s, active: s.code === active }));
  const part = form.parts.find((x) => x.code === active);
  const errors = new Set(input.errorCodes ?? []);
  const current = part ? {
    code: part.code, title: part.title.zh, max: part.maxPoints,
    items: part.items.map((i): ItemRowView => {
      const stored = a.itemPoints[i.code];
      const pointsValue = input.draft?.points[i.code] ?? (stored === undefined ? '' : String(stored));
      const noteValue = input.draft?.notes[i.code] ?? a.itemNotes[i.code] ?? '';
      const value = pointsValue === '' ? undefined : Number(pointsValue);
      const deduction = value !== undefined && Number.isFinite(value) && value < i.maxPoints;
      return {
        code: i.code, title: i.title.zh, max: i.maxPoints, pointsValue, noteValue,
        pointsId: `p-${i.code}`, noteId: `n-${i.code}`, deduction, needsNote: deduction && !noteValue.trim(), error: errors.has(i.code),
      };
    }),
  } : null;
  const done = sections.filter((s) => s.complete).length;
  const prerequisites = prerequisiteLines(p);
  const blocked = p.prerequisiteReasons.length > 0;
  const incomplete = p.gaps.missing.length + p.gaps.unexplained.length > 0;
  const mayFinalize = can(user, 'grade.finalize');
  const decisions = a.decisions.map((d) => ({
    text: d.kind === 'revoke' ? '撤销等级' : `降级为${gradeName(d.newGrade as GradeLevel)}`, effectiveOn: d.effectiveOn, reason: d.reason, basis: d.basis,
  }));
  const currentLabel = input.standing?.standing === 'in_force' ? gradeName(input.standing.currentGrade as GradeLevel | null)
    : input.standing ? label('gradeStanding', input.standing.standing) : a.gradeLabel ?? '';
  return {
    id: a.id, institutionName: a.institutionName, institutionHref: `/institutions/${a.institutionId}`, csrf: input.csrf, version: a.version,
    formLabel: `${form.title.zh}（${p.form.code}，第 ${p.form.versionNo} 版）`, opened: formatChineseDate(dateOf(a.openedAt)!), open,
    sections, current, overall: `${done}/${sections.length} 个部分已完成`,
    prerequisites, blocked, canScore: open && can(user, 'grade.score'),
    finalize: {
      offered: open && mayFinalize && !incomplete,
      why: !open || !mayFinalize ? null
        : incomplete ? `还不能定稿：${[p.gaps.missing.length ? `${p.gaps.missing.length} 个评分项未打分` : '', p.gaps.unexplained.length ? `${p.gaps.unexplained.length} 处扣分缺说明` : ''].filter(Boolean).join('，')}。`
          : null,
    },
    result: open ? null : {
      gradeLabel: a.gradeLabel ?? '', currentLabel, total: `${num(a.total ?? 0)} / ${form.totalPoints}`,
      validity: a.validFrom ? `${formatChineseDate(a.validFrom)} 至 ${a.validUntil ? formatChineseDate(a.validUntil) : '长期'}` : '—',
      reasons: a.reasons ?? [], pdfHref: `/api/grade-assessments/${a.id}/result.pdf`,
      parts: p.result.parts.map((x) => ({ title: x.title, points: num(x.points), max: x.max, percent: `${num(x.percent)}%` })),
      decisions,
    },
    flash: input.flash ?? {},
  };
}

// ---------------------------------------------------------------- finalize confirmation (/grades/:id/finalize)

export interface FinalizeConfirmView {
  id: string; institutionName: string; csrf: string; version: number;
  gradeLabel: string; total: string; validFrom: string; validUntil: string;
  parts: { title: string; points: string; max: number; percent: string }[];
  reasons: string[];
  blocked: boolean;
  /** when blocked: what the points alone would give (仅按得分可达五级 / 按得分也未达到一级) */
  byPoints: string | null;
  prerequisites: PrerequisiteLine[];
  incomplete: string | null;
  statements: string[];
  flash: Flash;
}

export function finalizeConfirmView(p: GradePreview, csrf: string, flash: Flash = {}): FinalizeConfirmView {
  const r = p.result;
  const blocked = p.prerequisiteReasons.length > 0;
  const incomplete = p.gaps.missing.length + p.gaps.unexplained.length > 0
    ? `评分尚不完整：${[...p.gaps.missing.map((c) => `${c} 未打分`), ...p.gaps.unexplained.map((c) => `${c} 扣分缺说明`)].join('、')}。请先回到评分表补全。` : null;
  const validFrom = formatChineseDate(p.validity.validFrom);
  const validUntil = formatChineseDate(p.validity.validUntil);
  return {
    id: p.assessment.id, institutionName: p.assessment.institutionName, csrf, version: p.assessment.version,
    gradeLabel: r.gradeLabel, total: `${num(r.total)} / ${p.form.form.totalPoints}`, validFrom, validUntil,
    parts: r.parts.map((x) => ({ title: x.title, points: num(x.points), max: x.max, percent: `${num(x.percent)}%` })),
    reasons: r.reasons, blocked, prerequisites: prerequisiteLines(p), incomplete,
    byPoints: blocked ? byPointsSentence(r.reasons) : null,
    statements: [
      `定稿后，${p.assessment.institutionName}的评定结论为“${r.gradeLabel}”，有效期自 ${validFrom} 至 ${validUntil}。`,
      '该结论自定稿之日起生效，并覆盖该机构此前的评定结论；它是运营补贴“等级系数”的依据，自生效日起计入补贴发放表。',
      '定稿后评分不能再修改；如需变更等级，只能由监管部门作出撤销或降级决定。',
    ],
    flash,
  };
}

/** 「（仅按得分可达五级，但前提条件不满足）」 → 仅按得分可达“五级”; 「（按得分也未达到一级）」 → 按得分也未达到一级. */
export function byPointsSentence(reasons: string[]): string {
  for (const r of reasons) {
    const m = /仅按得分可达(.+?)，/.exec(r);
    if (m) return `仅按得分可达“${m[1]}”`;
    if (r.includes('按得分也未达到一级')) return '按得分也未达到一级';
  }
  return '按得分计算的结论见评分表';
}

// ---------------------------------------------------------------- decision (撤销 / 降级)

export interface DecisionDraft { kind?: 'revoke' | 'lower'; newGrade?: string; reason?: string; basis?: string; effectiveOn?: string }

export interface DecisionFormView {
  offered: boolean;
  why: string | null;
  csrf: string;
  id: string;
  draft: DecisionDraft;
  lowerOptions: { value: number; label: string; selected: boolean }[];
  currentLabel: string;
  minDate: string; maxDate: string;
  confirming: null | { statements: string[] };
  flash: Flash;
}

export function decisionFormView(user: AuthUser, p: GradePreview, standing: { standing: string; currentGrade: number | null } | null, input: {
  csrf: string; today: string; draft?: DecisionDraft; confirming?: boolean; flash?: Flash;
}): DecisionFormView {
  const a = p.assessment;
  const current = standing?.currentGrade ?? null;
  const inForce = standing?.standing === 'in_force' && current !== null;
  const offered = a.status === 'finalized' && can(user, 'grade.decide') && inForce;
  const draft = input.draft ?? { effectiveOn: input.today };
  const lastOn = a.decisions.reduce<string | null>((m, d) => (m === null || d.effectiveOn > m ? d.effectiveOn : m), null);
  const minDate = lastOn && a.validFrom && lastOn > a.validFrom ? lastOn : a.validFrom ?? input.today;
  const newGrade = draft.kind === 'lower' && draft.newGrade ? gradeName(Number(draft.newGrade) as GradeLevel) : null;
  return {
    offered, csrf: input.csrf, id: a.id, draft, currentLabel: gradeName(current as GradeLevel | null), flash: input.flash ?? {},
    why: a.status !== 'finalized' || !can(user, 'grade.decide') ? null
      : !inForce ? `该评定结论当前为“${standing ? label('gradeStanding', standing.standing) : '—'}${standing?.standing === 'in_force' ? '（未达等级）' : ''}”，没有可撤销或降级的现行等级。` : null,
    lowerOptions: current ? Array.from({ length: current - 1 }, (_, k) => current - 1 - k).map((g) => ({ value: g, label: gradeName(g as GradeLevel), selected: draft.newGrade === String(g) })) : [],
    minDate, maxDate: a.validUntil && a.validUntil < input.today ? a.validUntil : input.today,
    confirming: input.confirming ? {
      statements: [
        draft.kind === 'revoke'
          ? `撤销${a.institutionName}的“${gradeName(current as GradeLevel | null)}”等级，自 ${formatChineseDate(draft.effectiveOn ?? input.today)} 起该机构无等级。`
          : `将${a.institutionName}的等级由“${gradeName(current as GradeLevel | null)}”降为“${newGrade}”，自 ${formatChineseDate(draft.effectiveOn ?? input.today)} 起生效。`,
        '决定一经作出不能修改或删除，将记入审计日志，并在公示页公开（决定、理由、依据、生效日期）；自生效日起按新的等级计算运营补贴。',
      ],
    } : null,
  };
}
