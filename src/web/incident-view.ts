import { can } from '../auth/permissions';
import { formatChineseDateTime } from '../common/calendar';
import { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { label, labelEntries } from '../common/vocabulary';
import { allowedIncidentActions, mayLeadToGradeDecision } from '../incidents/domain/incident-rules';
import type { IncidentRow } from '../incidents/incidents.repository';
import type { IncidentSummary } from '../incidents/incidents.service';
import type { Flash, Link } from './view-common';

export const INCIDENT_FIELDS: Record<string, string> = {
  type: '事件类型', grade: '事件等级', occurredAt: '发生时间', summary: '事件经过', residentsAffected: '涉及老人数', firstMeasures: '先期处置措施',
  note: '确认意见', version: '版本', teamUserIds: '检查组成员', scheduledDate: '计划检查日期', confirm: '确认',
};

/** A datetime-local value (Shanghai wall time, no offset) as an instant the API accepts. */
export function shanghaiInstant(local: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local;
}

export interface IncidentRowView {
  id: string;
  institutionName: string;
  institutionId: string;
  typeLabel: string;
  gradeLabel: string;
  serious: boolean;
  occurredAt: string;
  reportedAt: string;
  deadline: string;
  late: boolean;
  lateText: string;
  statusLabel: string;
  open: boolean;
  residentsAffected: number;
  acknowledged: string | null;
}

function lateText(r: IncidentRow): string {
  if (!r.late) return '按时报告';
  const minutes = Math.ceil((new Date(r.reportedAt).getTime() - new Date(r.reportDeadlineAt).getTime()) / 60_000);
  return `迟报 ${minutes >= 60 ? `${Math.floor(minutes / 60)} 小时${minutes % 60 ? ` ${minutes % 60} 分` : ''}` : `${minutes} 分钟`}`;
}

export function incidentRowView(r: IncidentRow): IncidentRowView {
  return {
    id: r.id, institutionName: r.institutionName, institutionId: r.institutionId, typeLabel: label('incidentType', r.type), gradeLabel: label('incidentGrade', r.grade),
    serious: mayLeadToGradeDecision(r.grade), occurredAt: formatChineseDateTime(new Date(r.occurredAt)), reportedAt: formatChineseDateTime(new Date(r.reportedAt)),
    deadline: formatChineseDateTime(new Date(r.reportDeadlineAt)), late: r.late, lateText: lateText(r), statusLabel: label('incidentStatus', r.status),
    open: r.status === 'reported', residentsAffected: r.residentsAffected,
    acknowledged: r.acknowledgedAt ? formatChineseDateTime(new Date(r.acknowledgedAt)) : null,
  };
}

export interface IncidentListView {
  list: Page<IncidentRowView>;
  filters: Record<string, string>;
  choices: { grades: [string, string][]; statuses: [string, string][]; late: [string, string][] };
  summary: IncidentSummary & { lines: string[] };
  emptyText: string;
}

export function incidentSummaryLines(s: IncidentSummary): string[] {
  return labelEntries('incidentGrade').filter(([g]) => s.openByGrade[g] > 0).map(([g, l]) => `${l} ${s.openByGrade[g]} 起`);
}

export function incidentListView(page: Page<IncidentRow>, filters: Record<string, string>, summary: IncidentSummary): IncidentListView {
  const filtered = Object.keys(filters).length > 0;
  return {
    list: { ...page, items: page.items.map(incidentRowView) },
    filters,
    choices: { grades: labelEntries('incidentGrade'), statuses: labelEntries('incidentStatus'), late: [['true', '迟报'], ['false', '按时报告']] },
    summary: { ...summary, lines: incidentSummaryLines(summary) },
    emptyText: filtered ? '没有符合条件的突发事件报告。请调整筛选条件。' : '辖区内暂无突发事件报告。机构报告突发事件后，会在这里和站内通知中提醒。',
  };
}

/** An institution's incidents page: its reports and, for the institution account, the report form. */
export interface InstitutionIncidentsView {
  institution: { id: string; name: string };
  back: Link;
  list: Page<IncidentRowView>;
  mayReport: boolean;
  reportHours: { gradeLabel: string; hours: number }[];
  choices: { types: [string, string][]; grades: [string, string][] };
  draft: Record<string, string>;
  csrf: string;
  flash: Flash;
  now: string;
}

export function institutionIncidentsView(user: AuthUser, input: {
  institution: { id: string; name: string }; page: Page<IncidentRow>; reportHours: Record<string, number>; draft?: Record<string, string>; csrf: string; flash?: Flash; now: string;
}): InstitutionIncidentsView {
  return {
    institution: input.institution,
    back: { href: `/institutions/${input.institution.id}`, label: input.institution.name },
    list: { ...input.page, items: input.page.items.map(incidentRowView) },
    mayReport: can(user, 'incident.report'),
    reportHours: labelEntries('incidentGrade').map(([g, l]) => ({ gradeLabel: l, hours: input.reportHours[g] })),
    choices: { types: labelEntries('incidentType'), grades: labelEntries('incidentGrade') },
    draft: input.draft ?? {},
    csrf: input.csrf,
    flash: input.flash ?? {},
    now: input.now,
  };
}

/** The detail page: the report, and what this viewer may do with it. */
export interface IncidentDetailView {
  row: IncidentRowView;
  r: IncidentRow;
  back: Link;
  may: { acknowledge: boolean; followUp: boolean };
  /** step two of 确认收到: the note typed, shown back with a required confirmation */
  confirming: { note: string } | null;
  candidates: { id: string; label: string }[];
  /** 较大 or worse: the institution's grade in force and the link to its 撤销 / 降级 decision */
  gradeDecision: { offered: boolean; href: string | null; text: string } | null;
  csrf: string;
  flash: Flash;
  draft: Record<string, string>;
}

export function incidentDetailView(user: AuthUser, r: IncidentRow, input: {
  candidates: { id: string; displayName: string; role: string }[]; grade: { assessmentId: string | null; gradeLabel: string } | null;
  csrf: string; flash?: Flash; confirming?: { note: string } | null; draft?: Record<string, string>;
}): IncidentDetailView {
  const actions = allowedIncidentActions(r, user.role);
  const serious = mayLeadToGradeDecision(r.grade);
  const gradeDecision = !serious || !can(user, 'grade.decide') ? null
    : input.grade?.assessmentId
      ? { offered: true, href: `/grades/${input.grade.assessmentId}#decision`, text: `本机构现行等级：${input.grade.gradeLabel}。${label('incidentGrade', r.grade)}突发事件经核实后，可依据评定办法作出撤销或降低等级的决定。` }
      : { offered: false, href: null, text: `本机构没有现行有效的等级评定（${input.grade?.gradeLabel ?? '未评级'}），无需作出撤销或降级决定。` };
  return {
    row: incidentRowView(r), r,
    back: can(user, 'incident.acknowledge') ? { href: '/incidents', label: '突发事件' } : { href: `/institutions/${r.institutionId}/incidents`, label: `${r.institutionName} · 突发事件` },
    may: { acknowledge: actions.includes('acknowledge'), followUp: actions.includes('open_follow_up') },
    confirming: input.confirming ?? null,
    candidates: input.candidates.map((c) => ({ id: c.id, label: `${c.displayName}（${label('role', c.role)}）` })),
    gradeDecision,
    csrf: input.csrf,
    flash: input.flash ?? {},
    draft: input.draft ?? {},
  };
}
