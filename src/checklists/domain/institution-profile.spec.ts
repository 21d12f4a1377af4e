import { deriveFacts, gradingApplies, residentsStayOvernight } from './institution-profile';
import { profile } from './profile.fixture';

describe('derived facts of the building profile', () => {
  describe('facilityFloor3OrAbove (GB 50016 5.5.24A: the facility\'s own storeys / floors, not the host building\'s)', () => {
    const inside = (over: object) => deriveFacts(profile({ insideOtherBuilding: true, storeys: 12, hostBuildingStoreys: 12, lowestFloor: 1, ...over }));

    it('a stand-alone building: its storeys', () => {
      expect(deriveFacts(profile({ storeys: 2 })).facilityFloor3OrAbove).toBe(false);
      expect(deriveFacts(profile({ storeys: 3 })).facilityFloor3OrAbove).toBe(true);
    });

    it('inside another building: the floors the facility occupies', () => {
      expect(inside({ facilityLowestFloor: 1, facilityHighestFloor: 2 }).facilityFloor3OrAbove).toBe(false);
      expect(inside({ facilityLowestFloor: 3, facilityHighestFloor: 5, lowestFloor: 3 }).facilityFloor3OrAbove).toBe(true);
      // a facility on floors 2–4 reaches floor 3
      expect(inside({ facilityLowestFloor: 2, facilityHighestFloor: 4, lowestFloor: 2 }).facilityFloor3OrAbove).toBe(true);
      // only the lowest floor recorded, and it is already 3 or above
      expect(inside({ facilityLowestFloor: 4, facilityHighestFloor: null, lowestFloor: 4 }).facilityFloor3OrAbove).toBe(true);
    });

    it('unknown (null) when the floors are not recorded and the host building is taller than 2 storeys', () => {
      expect(inside({ facilityLowestFloor: 1, facilityHighestFloor: null }).facilityFloor3OrAbove).toBeNull();
      expect(inside({ facilityLowestFloor: null, facilityHighestFloor: null }).facilityFloor3OrAbove).toBeNull();
      // a 2-storey host building cannot put the facility on floor 3
      expect(inside({ storeys: 2, hostBuildingStoreys: 2, facilityHighestFloor: null }).facilityFloor3OrAbove).toBe(false);
    });
  });

  it('residentsStayOvernight: residential kinds, and a community complex with beds', () => {
    expect(['nursing_home', 'nursing_care', 'rural_home'].map((kind) => residentsStayOvernight({ kind: kind as never, approvedBeds: 0 }))).toEqual([true, true, true]);
    expect(residentsStayOvernight({ kind: 'community_complex', approvedBeds: 10 })).toBe(true);
    expect(residentsStayOvernight({ kind: 'community_complex', approvedBeds: 0 })).toBe(false);
    expect(['day_care', 'meal_point', 'neighbourhood_point'].map((kind) => residentsStayOvernight({ kind: kind as never, approvedBeds: 8 }))).toEqual([false, false, false]);
  });

  it('carePlaces: beds or capacity places, whichever is larger; unknown for a facility without overnight stay and no capacity', () => {
    expect(deriveFacts(profile({ approvedBeds: 60 })).carePlaces).toBe(60);
    expect(deriveFacts(profile({ kind: 'day_care', approvedBeds: 0, capacityPlaces: 60 })).carePlaces).toBe(60);
    expect(deriveFacts(profile({ kind: 'day_care', approvedBeds: 8, capacityPlaces: 40 })).carePlaces).toBe(40);
    expect(deriveFacts(profile({ kind: 'day_care', approvedBeds: 8, capacityPlaces: null })).carePlaces).toBeNull();
  });

  it('gradingApplies: the GB/T 37276 form only where residents stay overnight, with a reason otherwise', () => {
    expect(gradingApplies({ kind: 'nursing_home', approvedBeds: 60 })).toEqual({ applies: true });
    expect(gradingApplies({ kind: 'community_complex', approvedBeds: 20 })).toEqual({ applies: true });
    const meal = gradingApplies({ kind: 'meal_point', approvedBeds: 0 });
    expect(meal.applies).toBe(false);
    expect(!meal.applies && meal.reason).toContain('GB/T 37276');
    expect(gradingApplies({ kind: 'community_complex', approvedBeds: 0 })).toMatchObject({ applies: false, reason: expect.stringContaining('未设床位') });
  });
});
