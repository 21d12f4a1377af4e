import type { Role } from '../common/roles';
import type { AuthUser } from '../common/scope';
import type { Hazard } from '../hazards/hazard.entity';
import type { Institution } from '../institutions/institution.entity';
import { hazardView, HazardFacts, institutionView, MajorFacts, majorDecisionView } from './view-models';

const user = (role: Role, id = `${role}-1`) => ({ id, role, displayName: id, divisionPath: '32', institutionId: role === 'institution' ? 'inst-1' : null }) as unknown as AuthUser;
const hazard = (over: Partial<Hazard> = {}) => ({ id: 'h1', inspectionId: 'i1', status: 'open', dueDate: '2026-12-20', ...over }) as Hazard;
const history = (over: Record<string, unknown[]> = {}) => ({ responses: [], verifications: [], extensions: [], objections: [], plan: null, ...over }) as never;
const facts = (over: Partial<HazardFacts> = {}): HazardFacts => ({ today: '2026-12-01', awaitingResponse: null, team: [], ...over });
const view = (u: AuthUser, h: Hazard, f: HazardFacts, hist = history()) => hazardView(u, { hazard: h, history: hist, objectionDeadline: '2026-12-10' }, f, 'csrf', {});

describe('hazard page view model', () => {
  it('offers the institution its moves on an open hazard, and nothing of the bureau', () => {
    expect(view(user('institution'), hazard(), facts()).can).toEqual({ respond: true, extend: true, object: true, verify: false, decideExtension: false, decideObjection: false });
  });

  it('offers no extension after the deadline or while one is pending, and no objection after the window or a second time', () => {
    expect(view(user('institution'), hazard({ dueDate: '2026-11-30' }), facts()).can.extend).toBe(false);
    expect(view(user('institution'), hazard(), facts(), history({ extensions: [{ id: 'x', status: 'pending' }] })).can.extend).toBe(false);
    expect(view(user('institution'), hazard(), facts({ today: '2026-12-11' })).can.object).toBe(false);
    expect(view(user('institution'), hazard(), facts(), history({ objections: [{ id: 'o', status: 'rejected' }] })).can.object).toBe(false);
  });

  it('never offers the verify form to the responder, but does to another inspector or officer', () => {
    const responded = hazard({ status: 'responded' });
    const awaiting = { submittedBy: 'inspector-1' };
    expect(view(user('inspector', 'inspector-1'), responded, facts({ awaitingResponse: awaiting })).can.verify).toBe(false);
    expect(view(user('inspector', 'inspector-2'), responded, facts({ awaitingResponse: awaiting })).can.verify).toBe(true);
    expect(view(user('bureau_officer'), responded, facts({ awaitingResponse: awaiting })).can.verify).toBe(true);
    expect(view(user('institution'), responded, facts({ awaitingResponse: awaiting })).can.verify).toBe(false);
    expect(view(user('bureau_officer'), hazard(), facts()).can.verify).toBe(false);
  });

  it('offers the objection decision only to a bureau user not on the inspection team', () => {
    const pending = history({ objections: [{ id: 'o', status: 'pending', statement: 's' }] });
    expect(view(user('bureau_officer', 'o1'), hazard(), facts({ team: [{ userId: 'o1' }] }), pending).can.decideObjection).toBe(false);
    expect(view(user('bureau_officer', 'o2'), hazard(), facts({ team: [{ userId: 'o1' }] }), pending).can.decideObjection).toBe(true);
    expect(view(user('inspector', 'i9'), hazard(), facts(), pending).can.decideObjection).toBe(false);
  });
});

describe('疑似重大隐患 part of the hazard page', () => {
  const suspected = (over: Partial<Hazard> = {}) => hazard({ majorStatus: 'suspected', suspectedReason: '楼梯堵塞', suspectedBy: 'i1', majorConfirmDue: '2026-12-04', ...over });
  const major = (over: Partial<MajorFacts> = {}): MajorFacts => ({
    today: '2026-12-01', allowedActions: [], refusals: {}, names: new Map([['i1', '检查员甲'], ['o2', '监管员乙']]),
    criteria: [{ code: 'MZ2023-4.2', text: '经住房城乡建设或消防部门、第三方专业机构认定，消防设计、消防设施、电气或燃气设施不符合法律法规或强制性标准，不具备消防安全技术条件，存在重大隐患。' }],
    duties: { planDays: 7, majorMaxDays: 90, objectionWorkingDays: 5 }, ...over,
  });

  it('is absent for a hazard never reported as suspected major', () => {
    expect(majorDecisionView(hazard({ majorStatus: null }), major())).toBeNull();
  });

  it('offers the form only when the lifecycle allows the decision, with the criteria cut short for the list', () => {
    const v = majorDecisionView(suspected(), major({ allowedActions: ['confirm_major', 'downgrade_major'] }))!;
    expect(v.form?.criteria[0].label).toMatch(/^MZ2023-4\.2 .{40}…$/);
    expect(v.refusal).toBeNull();
    expect(v).toMatchObject({ suspectedReason: '楼梯堵塞', suspectedByName: '检查员甲', confirmDue: '2026-12-04', late: false, decision: null });
  });

  it('shows a team member the reason instead of the form, and the late decision date as late', () => {
    const v = majorDecisionView(suspected(), major({ today: '2026-12-05', refusals: { confirm_major: '检查组成员不能认定本组发现的疑似重大隐患' } }))!;
    expect(v).toMatchObject({ form: null, refusal: '检查组成员不能认定本组发现的疑似重大隐患', late: true });
  });

  it('shows the decision (who, when, criterion with its text, reason) and no refusal once decided', () => {
    const at = new Date('2026-12-02T02:00:00Z');
    const v = majorDecisionView(suspected({ majorStatus: 'confirmed', majorCriterion: 'MZ2023-4.2', majorDecidedBy: 'o2', majorDecidedAt: at, majorDecisionReason: '唯一楼梯' }),
      major({ refusals: { confirm_major: '该隐患不是待认定的疑似重大隐患' } }))!;
    expect(v).toMatchObject({ form: null, refusal: null, confirmDue: null, late: false, decision: { byName: '监管员乙', at, reason: '唯一楼梯', criterion: { code: 'MZ2023-4.2' } } });
    expect(v.decision!.criterion!.text).toContain('不具备消防安全技术条件');
  });
});

describe('institution page view model', () => {
  const detail = { institution: { id: 'inst-1' } as Institution, divisionName: '天宁区' };

  it('shows the 档案变更申请 link only to those who may open it', () => {
    expect(institutionView(user('inspector'), detail).can.changeRequests).toBe(false);
    expect(institutionView(user('institution'), detail).can.changeRequests).toBe(true);
    expect(institutionView(user('bureau_officer'), detail).can.changeRequests).toBe(true);
  });

  it('links an institution back home, not to the directory it may not open', () => {
    expect(institutionView(user('institution'), detail).back.href).toBe('/');
    expect(institutionView(user('inspector'), detail).back.href).toBe('/institutions');
  });
});
