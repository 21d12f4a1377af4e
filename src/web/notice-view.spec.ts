import type { Role } from '../common/roles';
import type { AuthUser } from '../common/scope';
import type { InspectionReview, ReviewItem } from '../inspections/inspection-report.service';
import { inspectionReviewView } from './inspection-view';
import { noticePdfState, noticeStatusJson } from './notice-view';

const user = (role: Role) => ({ id: `${role}-1`, role, displayName: role, divisionPath: '/320400/320402', institutionId: null }) as unknown as AuthUser;
const item = (code: string, result: ReviewItem['result'], gps: ReviewItem['photos'][number]['gps'] = null): ReviewItem => ({
  code, title: code, check: '', basis: '', result, note: null, location: null, scope: null, severity: null, criterion: null,
  photos: gps ? [{ id: `${code}-p`, takenAt: null, receivedAt: new Date(), gps }] : [],
});
const review = (hazards = 1): InspectionReview => ({
  inspection: { id: 'i1', reportStatus: 'rendered', status: 'submitted' } as InspectionReview['inspection'],
  institution: { id: 'n1', name: '院', address: '', creditCode: '', kindLabel: '' }, team: [],
  checklist: { title: '', code: 'c', versionNo: 1, contentHash: 'x' },
  categories: [
    { code: 'A', title: 'A', items: [item('A-001', 'pass'), item('A-002', 'fail', { lat: 31.8, lng: 119.9, source: 'device' })] },
    { code: 'B', title: 'B', items: [item('B-001', 'na')] },
  ],
  notAnswered: 0, hazards: Array.from({ length: hazards }, () => ({}) as never), signatures: [],
});

describe('inspection review view model', () => {
  it('counts every answer and keeps only failed items (and their categories) with ?failed=1', () => {
    const all = inspectionReviewView(user('bureau_officer'), review(), { failedOnly: false, today: '2026-12-01', notice: null });
    expect(all.counts).toEqual({ pass: 1, fail: 1, na: 1, all: 3 });
    expect(all.categories).toHaveLength(2);
    expect(all.gps).toEqual([{ lat: 31.8, lng: 119.9, source: 'device' }]);
    const failed = inspectionReviewView(user('bureau_officer'), review(), { failedOnly: true, today: '2026-12-01', notice: null });
    expect(failed.categories.map((c) => c.items.map((i) => i.code))).toEqual([['A-002']]);
    expect(failed.counts.all).toBe(3);
  });

  it('offers the notice to the bureau only, when there are hazards and no notice yet', () => {
    const opts = { failedOnly: false, today: '2026-12-01', notice: null };
    expect(inspectionReviewView(user('bureau_officer'), review(), opts).can.issueNotice).toBe(true);
    expect(inspectionReviewView(user('inspector'), review(), opts).can.issueNotice).toBe(false);
    expect(inspectionReviewView(user('bureau_officer'), review(0), opts).can.issueNotice).toBe(false);
    expect(inspectionReviewView(user('bureau_officer'), review(), { ...opts, notice: { id: 'x', noticeNo: 'N' } }).can.issueNotice).toBe(false);
  });
});

describe('notice PDF state', () => {
  it('gives the link only once rendered, and the URL the page polls', () => {
    expect(noticeStatusJson({ id: 'n', pdfStatus: 'pending' })).toEqual({ pdfStatus: 'pending', pdfUrl: null });
    expect(noticeStatusJson({ id: 'n', pdfStatus: 'failed' })).toEqual({ pdfStatus: 'failed', pdfUrl: null });
    expect(noticeStatusJson({ id: 'n', pdfStatus: 'rendered' })).toEqual({ pdfStatus: 'rendered', pdfUrl: '/api/notices/n/pdf' });
    expect(noticePdfState({ id: 'n', pdfStatus: 'pending' }).statusUrl).toBe('/notices/n/status');
  });
});
