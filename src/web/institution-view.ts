import { can } from '../auth/permissions';
import { AuthUser } from '../common/scope';
import { allowedChangeRequestActions } from '../institutions/change-request';
import type { ChangeRequestRow } from '../institutions/change-requests.repository';
import type { Institution } from '../institutions/institution.entity';
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
