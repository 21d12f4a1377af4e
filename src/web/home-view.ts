import { can } from '../auth/permissions';
import type { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import type { HomeData } from './pages';
import type { Link } from './view-common';
import { accountRow, verificationView, VerificationView } from './account-view';
import { formatChineseDateTime } from '../common/calendar';
import { label } from '../common/labels';

type InspectionRow = Parameters<typeof import('./inspection-pages').inspectionRows>[0][number];

// ---------------------------------------------------------------- home

export interface HomePage {
  viewer: AuthUser;
  /** what the home page of this kind of user shows (loaded by `WebService.homeData`) */
  data: HomeData;
  today: string;
  /** the buttons: only pages this viewer may open */
  links: Link[];
  /** a bureau admin's accounts and audit status */
  admin: AdminHome | null;
}

export interface AdminHome {
  total: number;
  byRole: { role: string; label: string; count: number }[];
  disabled: number;
  recent: { id: string; username: string; displayName: string; roleLabel: string; createdAt: string; lastSignIn: string }[];
  lastEventAt: string | null;
  verification: VerificationView | null;
  mayVerify: boolean;
  /** the page's CSRF token, for the 校验审计链 form (a POST) */
  csrf: string;
}

function adminHome(user: AuthUser, data: HomeData, csrf: string): AdminHome | null {
  if (!data.admin || !can(user, 'account.manage')) return null;
  const { accounts, audit } = data.admin;
  const order = ['bureau_admin', 'bureau_officer', 'inspector', 'institution'];
  return {
    total: accounts.total, disabled: accounts.disabled,
    byRole: [...accounts.byRole].sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role))
      .map((r) => ({ role: r.role, label: label('role', r.role), count: r.active + r.disabled })),
    recent: accounts.recent.map((u) => accountRow(u, new Map(), new Map())),
    lastEventAt: audit.lastEventAt ? formatChineseDateTime(new Date(audit.lastEventAt)) : null,
    verification: verificationView(audit.lastVerification),
    mayVerify: can(user, 'audit.verify'), csrf,
  };
}

export function homeView(user: AuthUser, data: HomeData, today: string, csrf = ''): HomePage {
  const offer = (ok: boolean, href: string, label: string): Link[] => (ok ? [{ href, label }] : []);
  const links = data.bureau
    ? [
      ...offer(can(user, 'dashboard.read'), '/dashboard', '监管看板'), ...offer(can(user, 'institution.list'), '/institutions', '机构名录'),
      { href: '/inspections', label: '检查' }, { href: '/hazards', label: '隐患台账' }, { href: '/notices', label: '整改通知书' },
      ...offer(can(user, 'change_request.decide'), '/change-requests', '档案变更审核'),
      ...offer(can(user, 'account.manage'), '/accounts', '账号'), ...offer(can(user, 'audit.read'), '/audit', '审计日志'),
    ]
    : data.tasks
      ? [{ href: '/inspections', label: '全部检查' }, ...offer(can(user, 'institution.list'), '/institutions', '查看辖区机构')]
      : [{ href: '/notices', label: '整改通知书' }];
  return { viewer: user, data, today, links, admin: adminHome(user, data, csrf) };
}

export interface InspectionListPage {
  list: Page<InspectionRow>;
  status: string;
  /** an inspector's list is the tasks assigned to them */
  ownTasks: boolean;
}

export function inspectionListView(user: AuthUser, list: Page<InspectionRow>, status: string): InspectionListPage {
  return { list, status, ownTasks: user.role === 'inspector' };
}
