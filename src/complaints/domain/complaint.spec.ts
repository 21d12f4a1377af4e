import { allowedComplaintActions, decideComplaint, mergeTargetRefusal } from './complaint';

describe('complaint lifecycle', () => {
  const received = { status: 'received' as const, inspectionId: null };
  const accepted = { status: 'accepted' as const, inspectionId: null };

  it('a received complaint may be accepted, merged, referred, rejected, inspected or answered by the bureau', () => {
    expect(allowedComplaintActions(received, 'bureau_officer')).toEqual(['accept', 'merge', 'refer', 'reject', 'open_inspection', 'reply']);
    expect(decideComplaint(received, 'accept', 'bureau_officer')).toEqual({ next: 'accepted' });
    expect(decideComplaint(received, 'refer', 'bureau_admin')).toEqual({ next: 'referred' });
    expect(decideComplaint(received, 'reject', 'bureau_admin')).toEqual({ next: 'rejected' });
    expect(decideComplaint(received, 'open_inspection', 'bureau_officer')).toEqual({ next: 'accepted' });
  });

  it('an accepted complaint is no longer referred or rejected; it is merged, inspected or answered', () => {
    expect(allowedComplaintActions(accepted, 'bureau_officer')).toEqual(['merge', 'open_inspection', 'reply']);
    expect(decideComplaint(accepted, 'reject', 'bureau_officer')).toEqual({ refusal: 'not_received' });
  });

  it('one inspection per complaint, and a complaint with one is not merged away', () => {
    const inspected = { status: 'accepted' as const, inspectionId: 'i-1' };
    expect(decideComplaint(inspected, 'open_inspection', 'bureau_officer')).toEqual({ refusal: 'inspection_exists' });
    expect(decideComplaint(inspected, 'merge', 'bureau_officer')).toEqual({ refusal: 'inspection_exists' });
    expect(decideComplaint(inspected, 'reply', 'bureau_officer')).toEqual({ next: 'replied' });
  });

  it('final statuses accept nothing', () => {
    for (const status of ['merged', 'referred', 'rejected', 'replied'] as const) {
      expect(allowedComplaintActions({ status, inspectionId: null }, 'bureau_admin')).toEqual([]);
      expect(decideComplaint({ status, inspectionId: null }, 'reply', 'bureau_admin')).toEqual({ refusal: 'not_open' });
    }
  });

  it('inspectors and institutions may not triage or reply (the permissions table)', () => {
    for (const role of ['inspector', 'institution'] as const) {
      expect(allowedComplaintActions(received, role)).toEqual([]);
      expect(decideComplaint(received, 'accept', role)).toEqual({ refusal: 'forbidden' });
    }
  });

  it('merges only into another complaint that is not merged itself', () => {
    expect(mergeTargetRefusal('a', { id: 'b', status: 'accepted' })).toBeNull();
    expect(mergeTargetRefusal('a', { id: 'a', status: 'accepted' })).toBe('merge_target_invalid');
    expect(mergeTargetRefusal('a', { id: 'b', status: 'merged' })).toBe('merge_target_invalid');
    expect(mergeTargetRefusal('a', null)).toBe('merge_target_invalid');
  });
});
