import { Action, can } from '../auth/permissions';
import type { Role } from '../common/roles';
import { AuthUser } from '../common/scope';

/**
 * 导航表 — the persistent navigation of the signed-in pages, by role: one row per link, shown to a viewer when the row
 * names the viewer's role and, where the page needs a permission, `can(user, action)` agrees. Only pages that exist
 * are listed.
 */
interface NavEntry {
  label: string;
  /** the page; a function for pages of the viewer's own institution (null: not available to this viewer) */
  href: string | ((user: AuthUser) => string | null);
  roles: readonly Role[];
  action?: Action;
}

const BUREAU: readonly Role[] = ['bureau_admin', 'bureau_officer'];
const ownInstitution = (suffix: string) => (user: AuthUser) => (user.institutionId ? `/institutions/${user.institutionId}${suffix}` : null);

const NAVIGATION: readonly NavEntry[] = [
  { label: '看板', href: '/dashboard', roles: BUREAU, action: 'dashboard.read' },
  { label: '首页', href: '/', roles: ['institution'] },
  { label: '核验检查码', href: '/inspection-codes', roles: ['institution'], action: 'inspection_code.verify' },
  { label: '本机构', href: ownInstitution(''), roles: ['institution'] },
  { label: '检查计划', href: '/plans', roles: BUREAU, action: 'plan.read' },
  { label: '检查', href: '/inspections', roles: BUREAU },
  { label: '检查评价', href: '/inspection-ratings', roles: BUREAU, action: 'inspection_rating.read' },
  { label: '我的检查任务', href: '/inspections', roles: ['inspector'] },
  { label: '隐患台账', href: '/hazards', roles: [...BUREAU, 'inspector'] },
  { label: '隐患', href: '/hazards', roles: ['institution'] },
  { label: '整改通知书', href: '/notices', roles: [...BUREAU, 'institution'] },
  { label: '安全评分', href: (user) => (user.institutionId ? '/workspace/score' : null), roles: ['institution'] },
  { label: '历史', href: (user) => (user.institutionId ? '/workspace/history' : null), roles: ['institution'] },
  { label: '机构名录', href: '/institutions', roles: [...BUREAU, 'inspector'], action: 'institution.list' },
  { label: '档案变更审核', href: '/change-requests', roles: BUREAU, action: 'change_request.decide' },
  { label: '档案变更申请', href: ownInstitution('/change-requests'), roles: ['institution'], action: 'change_request.file' },
  { label: '人员与设备台账', href: ownInstitution('/registers'), roles: ['institution'], action: 'register.read' },
  { label: '巡查', href: ownInstitution('/patrols'), roles: ['institution'], action: 'patrol.read' },
  { label: '演练与培训', href: ownInstitution('/drills'), roles: ['institution'], action: 'drill.read' },
  { label: '突发事件', href: ownInstitution('/incidents'), roles: ['institution'], action: 'incident.read' },
  { label: '报警确认', href: (user) => (user.institutionId ? '/alarms' : null), roles: ['institution'], action: 'alarm.confirm' },
  { label: '信用等级', href: ownInstitution('/credit'), roles: ['institution'], action: 'credit.read' },
  { label: '机构安全工作', href: '/safety-work', roles: BUREAU, action: 'safety_work.read' },
  { label: '投诉举报', href: '/complaints', roles: BUREAU, action: 'complaint.read' },
  { label: '突发事件', href: '/incidents', roles: BUREAU, action: 'incident.read' },
  { label: '物联网值班', href: '/alarms', roles: BUREAU, action: 'device.read' },
  { label: '信用评价', href: '/credit', roles: BUREAU, action: 'credit.read' },
  { label: '等级评定', href: '/grades', roles: BUREAU, action: 'grade.read' },
  { label: '运营补贴', href: '/subsidies', roles: BUREAU, action: 'subsidy.read' },
  { label: '账号', href: '/accounts', roles: BUREAU, action: 'account.manage' },
  { label: '审计日志', href: '/audit', roles: BUREAU, action: 'audit.read' },
];

export interface NavLink {
  href: string;
  label: string;
  /** 'page' on the page itself, 'true' on a page beneath it (the section), null elsewhere */
  current: 'page' | 'true' | null;
}

/** The viewer's navigation, with the link of the current path marked (the longest link the path is at or beneath). */
export function navigationFor(user: AuthUser, path: string): NavLink[] {
  const links = NAVIGATION
    .filter((e) => e.roles.includes(user.role) && (!e.action || can(user, e.action)))
    .map((e) => ({ label: e.label, href: typeof e.href === 'string' ? e.href : e.href(user) }))
    .filter((l): l is { label: string; href: string } => l.href !== null);
  const within = (href: string) => path === href || path.startsWith(`${href}/`);
  const best = links.filter((l) => within(l.href)).sort((a, b) => b.href.length - a.href.length)[0];
  return links.map((l) => ({ ...l, current: l === best ? (path === l.href ? 'page' : 'true') : null }));
}
