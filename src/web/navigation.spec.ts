import type { Role } from '../common/roles';
import { AuthUser } from '../common/scope';
import { navigationFor } from './navigation';

const user = (role: Role): AuthUser => ({
  id: 'u', username: 'u', displayName: 'u', role, divisionCode: '320402', divisionPath: '/32/3204/320402/',
  institutionId: role === 'institution' ? 'i1' : null,
});
const labels = (role: Role, path = '/') => navigationFor(user(role), path).map((l) => l.label);
const current = (role: Role, path: string) => navigationFor(user(role), path).filter((l) => l.current).map((l) => [l.label, l.current]);

describe('navigationFor', () => {
  it('lists each role’s existing pages, as the permission table allows', () => {
    expect(labels('bureau_admin')).toEqual(['看板', '检查计划', '检查', '检查评价', '隐患台账', '整改通知书', '机构名录', '档案变更审核', '机构安全工作', '投诉举报', '突发事件', '物联网值班', '信用评价', '等级评定', '运营补贴', '账号', '审计日志']);
    expect(labels('bureau_officer')).toEqual(['看板', '检查计划', '检查', '检查评价', '隐患台账', '整改通知书', '机构名录', '档案变更审核', '机构安全工作', '投诉举报', '突发事件', '物联网值班', '信用评价', '等级评定', '运营补贴']);
    expect(labels('inspector')).toEqual(['我的检查任务', '隐患台账', '机构名录']);
    expect(labels('institution')).toEqual(['首页', '核验检查码', '本机构', '隐患', '整改通知书', '安全评分', '历史', '档案变更申请', '人员与设备台账', '巡查', '演练与培训', '突发事件', '报警确认', '信用等级']);
    expect(navigationFor(user('institution'), '/').map((l) => l.href)).toEqual(['/', '/inspection-codes', '/institutions/i1', '/hazards', '/notices', '/workspace/score', '/workspace/history', '/institutions/i1/change-requests', '/institutions/i1/registers', '/institutions/i1/patrols', '/institutions/i1/drills', '/institutions/i1/incidents', '/alarms', '/institutions/i1/credit']);
  });

  it('marks the page itself as the page and a page beneath a link as its section, the longest link winning', () => {
    expect(current('bureau_officer', '/hazards')).toEqual([['隐患台账', 'page']]);
    expect(current('bureau_officer', '/hazards/abc')).toEqual([['隐患台账', 'true']]);
    expect(current('bureau_officer', '/hazardsx')).toEqual([]);
    expect(current('bureau_officer', '/')).toEqual([]);
    expect(current('institution', '/institutions/i1/change-requests')).toEqual([['档案变更申请', 'page']]);
    expect(current('institution', '/institutions/i1/checklist')).toEqual([['本机构', 'true']]);
    expect(current('institution', '/inspection-codes/visits/abc')).toEqual([['核验检查码', 'true']]);
    expect(current('bureau_officer', '/inspection-ratings')).toEqual([['检查评价', 'page']]);
    expect(current('bureau_officer', '/inspections/abc')).toEqual([['检查', 'true']]);
  });

  it('leaves out the own-institution links of an institution account without an institution', () => {
    expect(navigationFor({ ...user('institution'), institutionId: null }, '/').map((l) => l.label)).toEqual(['首页', '核验检查码', '隐患', '整改通知书']);
  });
});
