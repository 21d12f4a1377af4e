import type { AuthUser } from '../common/scope';
import type { ComplaintRow, TrackedComplaint } from '../complaints/complaints.repository';
import { complaintDetailView, errorLines, publicFormView, trackView } from './complaint-view';

const officer: AuthUser = { id: 'u1', username: 'o', displayName: '监管员甲', role: 'bureau_officer', divisionCode: '320402', divisionPath: '/320400/320402/', institutionId: null };
const inspector: AuthUser = { ...officer, id: 'u2', role: 'inspector' };

const row = (over: Partial<ComplaintRow> = {}): ComplaintRow => ({
  id: 'c1', institutionId: 'i1', institutionName: '红梅颐养院', divisionPath: '/320400/320402/', category: 'fire_safety', description: '楼道堆放杂物',
  receivedAt: new Date('2026-12-01T02:00:00Z'), triageDueOn: '2026-12-04', replyDueOn: '2026-12-22', safetyWorkPolicyVersionId: 'p1', status: 'received',
  triagedByName: null, triagedAt: null, mergedIntoId: null, referredTo: null, rejectReason: null, inspectionId: null, reply: null, repliedByName: null,
  repliedAt: null, version: 1, photoCount: 0, contactGiven: true, ...over,
});

describe('complaint view models', () => {
  it('the tracking view shows the answer and never the officer, and a merged complaint shows the other one\'s reply', () => {
    const t: TrackedComplaint = {
      institutionName: '红梅颐养院', category: 'fire_safety', receivedAt: new Date('2026-12-01T02:00:00Z'), status: 'merged', triagedAt: new Date('2026-12-02T02:00:00Z'),
      referredTo: null, rejectReason: null, inspectionOpened: false, reply: null, repliedAt: null, replyDueOn: '2026-12-22',
      mergedInto: { status: 'replied', reply: '已责令整改', repliedAt: new Date('2026-12-05T02:00:00Z'), inspectionOpened: true },
    };
    const v = trackView(t);
    expect(v.result).toMatchObject({ status: '已答复', reply: { text: '已责令整改' } });
    expect(v.result!.lines.join('')).toContain('合并办理');
    expect(v.result!.lines.join('')).toContain('投诉核查');
    expect(JSON.stringify(v)).not.toContain('监管员');
  });

  it('the detail view offers the forms the lifecycle allows, with the inspection form only when there is none', () => {
    const d = { complaint: row(), contact: '13800000000', photos: [], mergedFrom: [] };
    const v = complaintDetailView(officer, d, { mergeCandidates: [row(), row({ id: 'c2' })], inspectors: [{ id: 'x', name: '检查员' }], minTeam: 2, csrf: 't', now: new Date('2026-12-08T02:00:00Z') });
    expect(v.can).toMatchObject({ accept: true, merge: true, refer: true, reject: true, open_inspection: true, reply: true });
    expect(v.mergeCandidates.map((m) => m.id)).toEqual(['c2']);
    expect(v.inspectionForm).toMatchObject({ minTeam: 2 });
    expect(v.facts.overdue).toBe('受理逾期');
    const none = complaintDetailView(inspector, d, { mergeCandidates: [], inspectors: [], minTeam: 2, csrf: 't' });
    expect(Object.values(none.can).some(Boolean)).toBe(false);
    expect(none.inspectionForm).toBeNull();
  });

  it('the public form keeps the QR code\'s institution fixed and puts the CSRF token of a signed-in browser in the action', () => {
    const limits = { perAddressPerHour: 5, perAddressPerDay: 20, maxDescriptionChars: 2000, maxPhotos: 3, maxPhotoBytes: 5 * 1024 * 1024, triageWorkingDays: 3, replyWorkingDays: 15 };
    const v = publicFormView({ institutions: [{ id: 'i1', name: '红梅颐养院' }], selected: 'i1' }, limits, {}, [], 'tok');
    expect(v.preselected).toEqual({ id: 'i1', name: '红梅颐养院' });
    expect(v.action).toBe('/public/complaints?_csrf=tok');
    expect(v.limits.maxPhotoMb).toBe('5');
    expect(publicFormView({ institutions: [], selected: null }, limits, {}, [], '').action).toBe('/public/complaints');
  });

  it('error lines name the field by its label', () => {
    expect(errorLines('validation.failed', {}, [{ field: 'description', reason: 'maxLength', args: [2000] }])).toEqual([{ field: 'description', text: '问题描述：长度不能超过 2000 个字符' }]);
    expect(errorLines('complaint.rate_limited', { minutes: 60 }, [])[0].text).toContain('60 分钟');
  });
});
