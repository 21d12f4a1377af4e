import { allowedChangeRequestActions, confirmedFieldsIn, decideChangeRequest, diffFacts, nullIssues, staleFields } from './change-request';
import { FOUR_STOREY_HOME, profile as institutionProfile } from '../checklists/domain/profile.fixture';

const profile = institutionProfile({
  ...FOUR_STOREY_HOME, approvedBeds: 45, occupiedBeds: 38,
  residentsSelfCare: 10, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 10, residentsSeverelyDisabled: 8,
});

describe('institution change requests (pure rules)', () => {
  it('names the confirmed fields an update touches; contacts are not among them', () => {
    expect(confirmedFieldsIn({ approvedBeds: 500, contactName: '王五', hasSprinklers: false })).toEqual(['approvedBeds', 'hasSprinklers']);
    expect(confirmedFieldsIn({ contactName: '王五', address: 'x' })).toEqual([]);
  });

  it('keeps only the fields that differ, with the confirmed value beside the requested one', () => {
    expect(diffFacts(profile, { approvedBeds: 500, occupiedBeds: 38, buildingVolumeM3: 12000, fireResistanceGrade: null })).toEqual({
      before: { approvedBeds: 45, buildingVolumeM3: null, fireResistanceGrade: 2 },
      after: { approvedBeds: 500, buildingVolumeM3: 12000, fireResistanceGrade: null },
    });
    expect(diffFacts(profile, { storeys: 4, gasSupply: 'piped' })).toEqual({ before: {}, after: {} });
  });

  it('refuses null only where the profile needs a value', () => {
    expect(nullIssues({ storeys: null as never, buildingVolumeM3: null })).toEqual([{ field: 'changes.storeys', reason: 'isDefined' }]);
  });

  it('finds the values that changed since the request was filed', () => {
    expect(staleFields(profile, { approvedBeds: 45, storeys: 4 })).toEqual([]);
    expect(staleFields({ ...profile, storeys: 6 }, { approvedBeds: 45, storeys: 4 })).toEqual([{ field: 'storeys', filedAgainst: 4, now: 6 }]);
  });

  it('bureau users decide, the institution withdraws, and only a pending request moves', () => {
    expect(decideChangeRequest('pending', 'approve', 'bureau_officer')).toEqual({ next: 'approved' });
    expect(decideChangeRequest('pending', 'reject', 'bureau_admin')).toEqual({ next: 'rejected' });
    expect(decideChangeRequest('pending', 'withdraw', 'institution')).toEqual({ next: 'withdrawn' });
    expect(decideChangeRequest('pending', 'approve', 'institution')).toEqual({ refusal: 'forbidden' });
    expect(decideChangeRequest('pending', 'approve', 'inspector')).toEqual({ refusal: 'forbidden' });
    expect(decideChangeRequest('pending', 'withdraw', 'bureau_officer')).toEqual({ refusal: 'forbidden' });
    expect(decideChangeRequest('approved', 'reject', 'bureau_officer')).toEqual({ refusal: 'not_pending' });
    expect(allowedChangeRequestActions('pending', 'bureau_officer')).toEqual(['approve', 'reject']);
    expect(allowedChangeRequestActions('pending', 'institution')).toEqual(['withdraw']);
    expect(allowedChangeRequestActions('rejected', 'institution')).toEqual([]);
  });
});
