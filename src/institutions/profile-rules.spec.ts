import { FOUR_STOREY_HOME, profile } from '../checklists/domain/profile.fixture';
import { profileIssues } from './profile-rules';

const base = profile({
  ...FOUR_STOREY_HOME, approvedBeds: 200, occupiedBeds: 150,
  residentsSelfCare: 50, residentsMildlyDisabled: 40, residentsModeratelyDisabled: 30, residentsSeverelyDisabled: 20, hasMedicalUnit: true,
});

describe('profileIssues', () => {
  it('accepts a consistent profile', () => {
    expect(profileIssues(base)).toEqual([]);
  });
  it('names occupiedBeds when it exceeds the approved beds', () => {
    expect(profileIssues({ ...base, occupiedBeds: 201 })).toEqual([
      { field: 'occupiedBeds', reason: 'occupiedExceedsApproved', args: [201, 200] },
    ]);
  });
  it('names residents when the care levels add up to more than the occupied beds (70 + 40 + 30 + 20 = 160 > 150)', () => {
    expect(profileIssues({ ...base, residentsSelfCare: 70 })).toEqual([
      { field: 'residents', reason: 'residentsExceedOccupied', args: [160, 150] },
    ]);
  });
  it('requires the highest floor with disabled residents when there are some, and forbids it when there are none', () => {
    expect(profileIssues({ ...base, highestFloorWithDisabled: null })[0].reason).toBe('disabledFloorRequired');
    const none = { ...base, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0 };
    expect(profileIssues(none)[0].reason).toBe('disabledFloorWithoutResidents');
  });
  it('keeps floors inside the floors the facility occupies', () => {
    expect(profileIssues({ ...base, highestFloorWithDisabled: 5 })).toEqual([
      { field: 'highestFloorWithDisabled', reason: 'floorOutOfBuilding', args: [5, 1, 4] },
    ]);
    expect(profileIssues({ ...base, lowestFloor: 3, highestFloorWithDisabled: 2 })[0].field).toBe('highestFloorWithDisabled');
    expect(profileIssues({ ...base, lowestFloor: 5 })[0].field).toBe('lowestFloor');
  });
});
