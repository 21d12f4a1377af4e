import { FOUR_STOREY_HOME, profile } from '../checklists/domain/profile.fixture';
import { profileIssues, withLegacyFloors } from './profile-rules';

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
  describe('facilities where residents do not stay overnight (day care, meal point, 睦邻点): attendees count against capacityPlaces', () => {
    const dayCare = {
      ...base, kind: 'day_care' as const, storeys: 1, approvedBeds: 0, occupiedBeds: 0, capacityPlaces: 60,
      residentsSelfCare: 40, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 5, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 1,
    };
    it('accepts a day-care centre without beds recording its disabled attendees within its 60 places', () => {
      expect(profileIssues(dayCare)).toEqual([]);
      expect(profileIssues({ ...dayCare, kind: 'neighbourhood_point', capacityPlaces: 55 })).toEqual([]);
      expect(profileIssues({ ...dayCare, kind: 'community_complex' })).toEqual([]); // a complex without beds
    });
    it('names residents when the attendees exceed capacityPlaces (40 + 10 + 5 + 10 = 65 > 60)', () => {
      expect(profileIssues({ ...dayCare, residentsSelfCare: 50 })).toEqual([
        { field: 'residents', reason: 'residentsExceedCapacity', args: [65, 60] },
      ]);
    });
    it('with capacityPlaces not recorded, the attendees are not checked against the beds', () => {
      expect(profileIssues({ ...dayCare, capacityPlaces: null })).toEqual([]);
    });
    it('residential kinds, and a community complex with beds, keep the check against the occupied beds', () => {
      expect(profileIssues({ ...dayCare, kind: 'nursing_home' })).toEqual([
        { field: 'residents', reason: 'residentsExceedOccupied', args: [55, 0] },
      ]);
      expect(profileIssues({ ...base, kind: 'community_complex', capacityPlaces: 500, residentsSelfCare: 70 })).toEqual([
        { field: 'residents', reason: 'residentsExceedOccupied', args: [160, 150] },
      ]);
    });
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

describe('facility floors and the host building', () => {
  const tower = { ...base, insideOtherBuilding: true, storeys: 12, hostBuildingStoreys: 12, highestFloorWithDisabled: 4 };
  it('accepts a facility on floors 3–5 of a 12-storey building', () => {
    expect(profileIssues({ ...tower, lowestFloor: 3, facilityLowestFloor: 3, facilityHighestFloor: 5 })).toEqual([]);
  });
  it('names facilityHighestFloor when it is below the lowest floor or above the building', () => {
    expect(profileIssues({ ...tower, lowestFloor: 3, facilityLowestFloor: 3, facilityHighestFloor: 2, highestFloorWithDisabled: 3 })).toEqual([
      { field: 'facilityHighestFloor', reason: 'floorOutOfBuilding', args: [2, 3, 12] },
    ]);
    expect(profileIssues({ ...tower, lowestFloor: 3, facilityLowestFloor: 3, facilityHighestFloor: 13 })).toEqual([
      { field: 'facilityHighestFloor', reason: 'floorOutOfBuilding', args: [13, 3, 12] },
    ]);
  });
  it('names the legacy column that disagrees with the new fact', () => {
    expect(profileIssues({ ...tower, lowestFloor: 1, facilityLowestFloor: 3, facilityHighestFloor: 5 })).toEqual([
      { field: 'lowestFloor', reason: 'mustMatch', args: ['facilityLowestFloor', 3] },
    ]);
    expect(profileIssues({ ...tower, hostBuildingStoreys: 10 })).toEqual([
      { field: 'storeys', reason: 'mustMatch', args: ['hostBuildingStoreys', 10] },
    ]);
  });
});

describe('withLegacyFloors', () => {
  it('on create, a stand-alone building occupies its floors 1 … storeys', () => {
    expect(withLegacyFloors({ storeys: 4 })).toEqual({ storeys: 4, facilityLowestFloor: 1, facilityHighestFloor: 4 });
  });
  it('on create inside another building, floors not sent stay unrecorded; the host storeys are the storeys', () => {
    expect(withLegacyFloors({ storeys: 12, insideOtherBuilding: true })).toEqual({ storeys: 12, insideOtherBuilding: true, hostBuildingStoreys: 12 });
    expect(withLegacyFloors({ hostBuildingStoreys: 12, insideOtherBuilding: true, facilityLowestFloor: 3 }))
      .toEqual({ hostBuildingStoreys: 12, storeys: 12, insideOtherBuilding: true, facilityLowestFloor: 3, lowestFloor: 3 });
  });
  it('on update from a form that sends every field, the member of a pair left unchanged follows the one that changed', () => {
    const current = { ...base, lowestFloor: 1, facilityLowestFloor: 1 };
    expect(withLegacyFloors({ lowestFloor: 1, facilityLowestFloor: 3 }, current)).toEqual({ facilityLowestFloor: 3, lowestFloor: 3 });
    expect(withLegacyFloors({ lowestFloor: 2, facilityLowestFloor: 1 }, current)).toEqual({ lowestFloor: 2, facilityLowestFloor: 2 });
    // both changed to different values: kept as sent, so validation names the disagreement
    expect(withLegacyFloors({ lowestFloor: 2, facilityLowestFloor: 3 }, current)).toEqual({ lowestFloor: 2, facilityLowestFloor: 3 });
  });
  it('on update, the counterpart of a sent floor follows it', () => {
    expect(withLegacyFloors({ lowestFloor: 2 }, base)).toEqual({ lowestFloor: 2, facilityLowestFloor: 2 });
    expect(withLegacyFloors({ facilityLowestFloor: 3 }, base)).toEqual({ facilityLowestFloor: 3, lowestFloor: 3 });
  });
});
