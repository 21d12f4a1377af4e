import { can } from '../auth/permissions';
import type { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import type { HomeData } from './pages';
import type { Link } from './view-common';

type InspectionRow = Parameters<typeof import('./inspection-pages').inspectionRows>[0][number];

// ---------------------------------------------------------------- home

export interface HomePage {
  viewer: AuthUser;
  /** what the home page of this kind of user shows (loaded by `WebService.homeData`) */
  data: HomeData;
  today: string;
  /** the buttons: only pages this viewer may open */
  links: Link[];
}

export function homeView(user: AuthUser, data: HomeData, today: string): HomePage {
  const offer = (ok: boolean, href: string, label: string): Link[] => (ok ? [{ href, label }] : []);
  const links = data.bureau
    ? [
      ...offer(can(user, 'dashboard.read'), '/dashboard', '监管看板'), ...offer(can(user, 'institution.list'), '/institutions', '机构名录'),
      { href: '/inspections', label: '检查' }, { href: '/hazards', label: '隐患台账' }, { href: '/notices', label: '整改通知书' },
      ...offer(can(user, 'change_request.decide'), '/change-requests', '档案变更审核'),
    ]
    : data.tasks
      ? [{ href: '/inspections', label: '全部检查' }, ...offer(can(user, 'institution.list'), '/institutions', '查看辖区机构')]
      : [{ href: '/notices', label: '整改通知书' }];
  return { viewer: user, data, today, links };
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
