import type { Role } from '../common/roles';
import type { AuthUser } from '../common/scope';
import type { Hazard } from '../hazards/hazard.entity';
import type { Institution } from '../institutions/institution.entity';
import { hazardView, HazardFacts, institutionView } from './view-models';

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
