/**
 * The one institution-profile factory of the unit specs: `profile(overrides)` is a 2-storey, 1,500 m² nursing home
 * with an alarm system, no sprinklers, no gas, no canteen, and moderately/severely disabled residents up to floor 2.
 * A spec that needs another kind of building states the difference as overrides (e.g. `FOUR_STOREY_HOME`).
 */
import type { InstitutionProfile } from './institution-profile';

export function profile(overrides: Partial<InstitutionProfile> = {}): InstitutionProfile {
  return {
    kind: 'nursing_home',
    storeys: 2,
    lowestFloor: 1,
    facilityLowestFloor: null,
    facilityHighestFloor: null,
    hostBuildingStoreys: null,
    buildingHeightM: null,
    hostBuildingUse: null,
    capacityPlaces: null,
    totalAreaM2: 1500,
    buildingVolumeM3: 4000,
    approvedBeds: 60,
    occupiedBeds: 50,
    residentsSelfCare: 20,
    residentsMildlyDisabled: 10,
    residentsModeratelyDisabled: 10,
    residentsSeverelyDisabled: 10,
    highestFloorWithDisabled: 2,
    hasFireControlRoom: false,
    hasAutoFireAlarm: true,
    hasSprinklers: false,
    gasSupply: 'none',
    hasCanteen: false,
    hasMedicalUnit: false,
    hasElevator: false,
    hasBoiler: false,
    hasOxygenPipeline: false,
    insideOtherBuilding: false,
    fireResistanceGrade: 2,
    hasWindowBars: false,
    ...overrides,
  };
}

/** A 4-storey, 5,000 m² home with a fire-control room, sprinklers, piped gas, a canteen and a lift (volume not recorded). */
export const FOUR_STOREY_HOME: Partial<InstitutionProfile> = {
  storeys: 4, totalAreaM2: 5000, buildingVolumeM3: null, highestFloorWithDisabled: 3,
  hasFireControlRoom: true, hasSprinklers: true, gasSupply: 'piped', hasCanteen: true, hasElevator: true,
};
