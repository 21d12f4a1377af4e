import type { AuthUser } from '../common/scope';
import { expiryChip, registerPageView, RegisterPageData } from './register-view';

const user = (role: AuthUser['role']): AuthUser => ({ id: 'u', username: 'u', displayName: 'U', role, divisionCode: '320402', divisionPath: '/320400/320402/', institutionId: role === 'institution' ? 'i1' : null });
const empty = <T>(page = 1) => ({ items: [] as T[], total: 0, page, pageSize: 20 });

function data(overrides: Partial<RegisterPageData> = {}): RegisterPageData {
  return {
    institution: { id: 'i1', name: '红梅康养院' }, staff: empty(), certificates: empty(), equipment: empty(), holders: [],
    boardMissing: ['机构安全员'], contact: null, pages: { sp: 1, cp: 1, ep: 1 }, ...overrides,
  };
}

describe('register page view', () => {
  it('lets the institution manage and print, but not set the bureau contacts', () => {
    const v = registerPageView(user('institution'), data(), 'csrf');
    expect(v.can).toEqual({ manage: true, print: true, setContact: false });
    expect(v.back.href).toBe('/workspace');
  });

  it('lets the bureau set the contacts; an inspector only reads', () => {
    expect(registerPageView(user('bureau_officer'), data(), 'c').can).toEqual({ manage: true, print: true, setContact: true });
    expect(registerPageView(user('inspector'), data(), 'c').can).toEqual({ manage: false, print: false, setContact: false });
  });

  it('labels statuses, marks the urgent ones and pages each section on its own', () => {
    expect(expiryChip('expiring')).toEqual({ text: '30天内到期', warn: false });
    expect(expiryChip('expiring_soon')).toEqual({ text: '7天内到期', warn: true });
    expect(expiryChip('expired')).toEqual({ text: '已过期', warn: true });
    expect(expiryChip('valid')).toEqual({ text: '有效', warn: false });
    const v = registerPageView(user('bureau_officer'), data({ staff: { items: [], total: 45, page: 2, pageSize: 20 }, pages: { sp: 2, cp: 1, ep: 3 } }), 'c');
    expect(v.pager.staff).toEqual({ prev: '/institutions/i1/registers?sp=1&cp=1&ep=3', next: '/institutions/i1/registers?sp=3&cp=1&ep=3' });
    expect(v.pager.certificates).toEqual({ prev: null, next: null });
  });
});
