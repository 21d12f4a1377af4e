import type { SafetyWorkLine } from '../safety-work/safety-work.service';
import { can } from '../auth/permissions';
import { AuthUser } from '../common/scope';
import type { Division } from '../divisions/division.entity';
import { allowedChangeRequestActions } from '../institutions/change-request';
import type { ChangeRequestRow } from '../institutions/change-requests.repository';
import type { AssessmentHistoryRow, GradeDecisionHistoryRow, HazardCounts, SubsidyLineHistoryRow } from '../institutions/institution-history.repository';
import type { Institution } from '../institutions/institution.entity';
import type { InterruptionRow } from '../institutions/operating-period.repository';
import { allowedStatusActions, StatusAction } from '../institutions/operating-status';
import { ConflictRow, divisionOptions, FormMode, FormSection, formSections } from './institution-form';
import type { Flash, Link } from './view-common';

// ---------------------------------------------------------------- institutions and change requests

export interface InstitutionPage {
  institution: Institution;
  divisionName: string;
  back: Link;
  can: {
    /** 档案变更申请 (the institution files, the bureau reviews; others would be refused) */
    changeRequests: boolean;
  };
}

export function institutionView(user: AuthUser, d: { institution: Institution; divisionName: string }): InstitutionPage {
  return {
    ...d,
    back: can(user, 'institution.list') ? { href: '/institutions', label: '机构名录' } : { href: '/', label: '首页' },
    can: { changeRequests: can(user, 'change_request.read') },
  };
}

/** The decisions on one request this viewer may make (the lifecycle in `institutions/change-request.ts` decides). */
export interface ChangeRequestActions {
  approve: boolean;
  reject: boolean;
  withdraw: boolean;
}

export function changeRequestActions(user: AuthUser, r: ChangeRequestRow): ChangeRequestActions {
  const allowed = allowedChangeRequestActions(r.status, user.role);
  return {
    approve: allowed.includes('approve') && can(user, 'change_request.decide'),
    reject: allowed.includes('reject') && can(user, 'change_request.decide'),
    withdraw: allowed.includes('withdraw') && can(user, 'change_request.withdraw'),
  };
}

export interface ChangeRequestPage {
  request: ChangeRequestRow;
  /** the current profile beside the request (bureau reviewers only, while pending) */
  current: Institution | null;
  csrf: string;
  flash: Flash;
  back: Link;
  /** the institution waits; the bureau reviews */
  reviewing: boolean;
  can: ChangeRequestActions;
}

export function changeRequestView(user: AuthUser, r: ChangeRequestRow, current: Institution | null, csrf: string, flash: Flash): ChangeRequestPage {
  const filer = can(user, 'change_request.file');
  return {
    request: r, current: filer ? null : current, csrf, flash, reviewing: !filer,
    back: filer ? { href: `/institutions/${r.institutionId}/change-requests`, label: '档案变更申请' } : { href: '/change-requests', label: '档案变更审核' },
    can: changeRequestActions(user, r),
  };
}

export interface InstitutionChangePage {
  institution: Institution;
  pending: ChangeRequestRow | null;
  history: ChangeRequestRow[];
  /** raw form values to show again after a refused submission */
  draft?: Record<string, string>;
  csrf: string;
  flash: Flash;
  /** a reviewer (sees the current profile beside the pending request); the filer sees before/after only */
  reviewing: boolean;
  can: {
    /** 申请变更档案: the institution, when no request is pending */
    file: boolean;
    /** the decisions on the pending request */
    pending: ChangeRequestActions | null;
  };
}

export function institutionChangeView(user: AuthUser, d: { institution: Institution; pending: ChangeRequestRow | null; history: ChangeRequestRow[]; draft?: Record<string, string> }, csrf: string, flash: Flash): InstitutionChangePage {
  const filer = can(user, 'change_request.file');
  return {
    ...d, csrf, flash, reviewing: !filer,
    can: { file: filer && !d.pending, pending: d.pending ? changeRequestActions(user, d.pending) : null },
  };
}

// ---------------------------------------------------------------- the registry pages (issue 13, item 6)

/** 机构名录: the list with its filters; the 登记机构 button for those who may register. */
export interface InstitutionListPage {
  divisions: Division[];
  /** division code → name (the street of each row, and its district) */
  names: Record<string, string>;
  can: { create: boolean };
}

export function institutionListView(user: AuthUser, divisions: Division[]): InstitutionListPage {
  return { divisions, names: Object.fromEntries(divisions.map((d) => [d.code, d.name])), can: { create: can(user, 'institution.create') } };
}

/** The street (and its district) of a division code, as a row shows it. */
export function placeName(code: string, divisions: Division[]): string {
  const d = divisions.find((x) => x.code === code);
  if (!d) return code;
  const parent = d.parentCode ? divisions.find((x) => x.code === d.parentCode) : undefined;
  return d.level === 'street' && parent ? `${parent.name} · ${d.name}` : d.name;
}

/** Which form a viewer gets: registration, the whole profile (bureau), or the contacts an institution keeps itself. */
export function formModeFor(user: AuthUser, institution: Institution | null): FormMode {
  return !institution ? 'create' : can(user, 'change_request.file') ? 'contacts' : 'edit';
}

/** 登记机构 / 编辑档案: the form, its values and errors by field, and a version conflict when there was one. */
export interface InstitutionFormPage {
  mode: FormMode;
  action: string;
  sections: FormSection[];
  values: Record<string, string>;
  /** the values the form was opened with (hidden, for the conflict comparison) */
  opened: Record<string, string>;
  errors: Record<string, string[]>;
  /** every error, in field order, for the summary at the top */
  summary: string[];
  divisions: { code: string; label: string; level: string }[];
  csrf: string;
  version: number | null;
  institution: Institution | null;
  conflict: { rows: ConflictRow[]; currentVersion: number; updatedAt: Date } | null;
  back: Link;
}

export function institutionFormView(user: AuthUser, d: {
  institution: Institution | null; divisions: Division[]; values: Record<string, string>; opened?: Record<string, string>;
  errors?: Record<string, string[]>; summary?: string[]; csrf: string; conflict?: InstitutionFormPage['conflict'];
}): InstitutionFormPage {
  const i = d.institution;
  const mode = formModeFor(user, i);
  const sections = formSections(mode, i?.status);
  const errors = d.errors ?? {};
  const order = sections.flatMap((s) => s.fields.map((f) => f.name));
  const summary = d.summary ?? [...order.flatMap((f) => errors[f] ?? []), ...Object.entries(errors).filter(([k]) => !order.includes(k)).flatMap(([, v]) => v)];
  return {
    mode, sections, values: d.values, opened: d.opened ?? d.values, errors, summary, csrf: d.csrf,
    action: i ? `/institutions/${i.id}/edit` : '/institutions/new',
    divisions: divisionOptions(d.divisions), version: i?.version ?? null, institution: i, conflict: d.conflict ?? null,
    back: i ? { href: `/institutions/${i.id}`, label: i.name } : { href: '/institutions', label: '机构名录' },
  };
}

/** What the score API answers (ScoringService.latestScore). */
export interface ScoreView {
  score: number;
  asOf: string;
  capApplied: boolean;
  computedAt: Date | string;
  ruleSetCode: string;
  ruleSetVersionNo: number;
  contributions: { kind: string; points: number; explanation: string; hazardId?: string; itemCode?: string }[];
}

/** What the grade API answers (ScoringService.gradeInForce). */
export interface GradeView {
  grade: number | null;
  gradeLabel: string;
  assessmentId: string | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface InspectionLine {
  id: string;
  kind: string;
  status: string;
  scheduledDate: string | null;
  submittedAt: Date | null;
  createdAt: Date;
  reportNo: string | null;
}

/** The institution page: profile, operating status, and its history (inspections, hazards, score, grade, subsidies). */
export interface InstitutionDetailPage {
  institution: Institution;
  place: string;
  back: Link;
  csrf: string;
  flash: Flash;
  openedOn: string | null;
  interruptions: InterruptionRow[];
  pendingRequest: ChangeRequestRow | null;
  inspections: { items: InspectionLine[]; total: number };
  hazards: HazardCounts & { overdue: number };
  /** ledger links, with the filters the ledger accepts */
  hazardLinks: { all: string; closed: string; overdue: string; open: string };
  score: ScoreView | null;
  grade: GradeView | null;
  assessments: AssessmentHistoryRow[];
  decisions: GradeDecisionHistoryRow[];
  /** null: not the viewer's to see (subsidy schedules are the bureau's) */
  subsidyLines: SubsidyLineHistoryRow[] | null;
  /** 安全工作 (patrols, drills, registers, complaints, incidents); null: not the viewer's to see */
  safetyWork: SafetyWorkLine | null;
  /** the status form re-rendered after a refusal, with what was typed */
  statusDraft: { action: StatusAction; date: string; reason: string; errors: string[] } | null;
  /** 注销 asked: the confirmation step before it becomes final */
  confirmClose: { date: string; reason: string } | null;
  today: string;
  can: {
    edit: boolean;
    /** 编辑联系方式 (an institution account) rather than the whole profile */
    contactsOnly: boolean;
    changeRequests: boolean;
    /** 档案变更审核 of a pending request */
    review: boolean;
    statusActions: StatusAction[];
    grades: boolean;
    subsidies: boolean;
    inspections: boolean;
    /** 人员与设备台账、演练与培训、突发事件 (issue 16) */
    registers: boolean;
    patrols: boolean;
    devices: boolean;
    drills: boolean;
    incidents: boolean;
    /** 信用等级 (issue 17) */
    credit: boolean;
  };
}

export function institutionDetailView(user: AuthUser, d: Omit<InstitutionDetailPage, 'back' | 'can' | 'hazardLinks' | 'place' | 'confirmClose' | 'statusDraft'> & {
  divisions: Division[]; statusDraft?: InstitutionDetailPage['statusDraft']; confirmClose?: InstitutionDetailPage['confirmClose'];
}): InstitutionDetailPage {
  const { divisions, ...rest } = d;
  const i = d.institution;
  const ledger = (extra: Record<string, string> = {}) => `/hazards?${new URLSearchParams({ institutionId: i.id, ...extra }).toString()}`;
  return {
    ...rest,
    statusDraft: d.statusDraft ?? null,
    confirmClose: d.confirmClose ?? null,
    place: placeName(i.divisionCode, divisions),
    back: can(user, 'institution.list') ? { href: '/institutions', label: '机构名录' } : { href: '/', label: '首页' },
    hazardLinks: { all: ledger(), open: ledger({ status: 'open' }), closed: ledger({ status: 'closed' }), overdue: ledger({ overdue: 'true' }) },
    can: {
      edit: can(user, 'institution.update'),
      contactsOnly: can(user, 'change_request.file'),
      changeRequests: can(user, 'change_request.read'),
      registers: can(user, 'register.read'),
      patrols: can(user, 'patrol.read'),
      devices: can(user, 'device.read'),
      drills: can(user, 'drill.read'),
      incidents: can(user, 'incident.read'),
      credit: can(user, 'credit.read'),
      review: !!d.pendingRequest && can(user, 'change_request.decide'),
      statusActions: can(user, 'institution.operating_period') ? allowedStatusActions(i.status) : [],
      grades: can(user, 'grade.read'),
      subsidies: can(user, 'subsidy.read'),
      inspections: user.role !== 'institution',
    },
  };
}
