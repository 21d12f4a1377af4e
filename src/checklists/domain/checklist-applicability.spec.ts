/** Applicability of the shipped fire-safety checklist to representative institutions. */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { applicableItems } from './applicability';
import { InstitutionProfile } from './institution-profile';
import { applyLocalRules, requirementFor } from './local-rules';
import { profile } from './profile.fixture';
import { parseRuleFile } from './rule-file.loader';
import { checklistContent, localRuleSetContent } from './rule-content';

const checklist = checklistContent(parseRuleFile(
  'fire-safety-inspection.yaml',
  readFileSync(resolve(__dirname, '../../../checklists/fire-safety-inspection.yaml'), 'utf8'),
));


function run(p: InstitutionProfile) {
  const r = applicableItems(checklist, p);
  const codes = new Set(r.applicable.map((i) => i.code));
  return {
    categories: [...new Set(r.applicable.map((i) => i.category))],
    applicable: r.applicable.map((i) => i.code),
    count: r.applicable.length,
    applies: (...c: string[]) => c.filter((x) => !codes.has(x)),
    excluded: (...c: string[]) => c.filter((x) => codes.has(x)),
    reason: (code: string) => r.excluded.find((e) => e.item.code === code)?.reason,
    unverified: (code: string) => r.unverified.find((e) => e.item.code === code)?.reason,
    unverifiedCodes: r.unverified.map((e) => e.item.code),
  };
}

const ALL = ['ESC', 'REF', 'GAS', 'NET', 'FFE', 'ELE', 'WIN', 'PPE', 'MGT', 'TRN', 'FOOD', 'SVC', 'BLD'];
const REFUGE = ['REF-001', 'REF-002', 'REF-003', 'REF-004', 'REF-005', 'REF-006'];
const MASKS = ['PPE-001', 'PPE-002', 'PPE-004'];
const CONTROL_ROOM = ['NET-001', 'NET-002', 'NET-003', 'NET-006', 'TRN-006'];
const GAS_ANY = ['GAS-001', 'GAS-002', 'GAS-003', 'GAS-004', 'GAS-006'];
const FOOD = ['FOOD-001', 'FOOD-002', 'FOOD-003', 'FOOD-004', 'FOOD-005', 'FOOD-006'];
/** GB 38600 items about residents who stay (admission, bed, night rounds …): only where residents stay overnight */
const RESIDENT_CARE = ['SVC-001', 'SVC-003', 'SVC-004', 'SVC-006', 'SVC-008', 'SVC-009', 'SVC-011', 'SVC-012', 'SVC-013', 'SVC-014', 'SVC-015', 'SVC-016'];
const DUTY_24H = 'MGT-005';
const FIRE_ALARM = 'FFE-001';

describe('applicability of the shipped checklist', () => {
  it('4-storey 5,000 m² nursing home, piped gas, control room, canteen', () => {
    const r = run(
      profile({ storeys: 4, totalAreaM2: 5000, buildingVolumeM3: 18000, approvedBeds: 200, gasSupply: 'piped', hasFireControlRoom: true, hasCanteen: true, hasSprinklers: true, highestFloorWithDisabled: 3 }),
    );
    expect(r.categories).toEqual(ALL);
    expect(r.count).toBe(88);
    expect(r.applies(...REFUGE, ...MASKS, ...CONTROL_ROOM, ...GAS_ANY, 'GAS-007', ...FOOD, 'NET-004', 'NET-005', 'FFE-001', 'FFE-003')).toEqual([]);
    expect(r.excluded('REF-007', 'GAS-005', 'NET-007', 'WIN-001', 'WIN-002', 'FFE-006', 'MGT-007', 'BLD-003', 'BLD-005', 'BLD-006')).toEqual([]);
    expect(r.reason('GAS-005')).toBe('gasSupply == lpg (实际 piped)');
    expect(r.reason('NET-007')).toBe('not hasAutoFireAlarm (实际 是)');
  });

  it('2-storey rural home with LPG, window bars, canteen, no alarm system, grade-3 building', () => {
    const r = run(
      profile({ kind: 'rural_home', totalAreaM2: 900, buildingVolumeM3: 2700, approvedBeds: 40, gasSupply: 'lpg', hasWindowBars: true, hasAutoFireAlarm: false, hasCanteen: true, fireResistanceGrade: 3 }),
    );
    expect(r.categories).toEqual(ALL.filter((c) => c !== 'REF'));
    expect(r.applies(...GAS_ANY, 'GAS-005', 'WIN-001', 'WIN-002', 'NET-007', 'FFE-001', 'BLD-006', ...FOOD)).toEqual([]);
    expect(r.excluded(...REFUGE, ...MASKS, ...CONTROL_ROOM, 'GAS-007', 'NET-004', 'NET-005', 'FFE-003', 'FFE-005')).toEqual([]);
    expect(r.reason('PPE-001')).toBe('storeys > 2 (实际 2)');
  });

  it('single-storey day-care centre without beds, gas or disabled residents', () => {
    const r = run(
      profile({ kind: 'day_care', storeys: 1, totalAreaM2: 400, buildingVolumeM3: 1400, approvedBeds: 0, occupiedBeds: 0, capacityPlaces: 15, residentsSelfCare: 25, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null, hasAutoFireAlarm: false }),
    );
    expect(r.categories).toEqual(['ESC', 'NET', 'FFE', 'ELE', 'WIN', 'PPE', 'MGT', 'TRN', 'SVC', 'BLD']);
    expect(r.count).toBe(42);
    expect(r.applies('NET-007', 'ESC-001', 'ESC-003', 'FFE-004', 'FFE-009', 'PPE-005', 'SVC-002', 'SVC-005', 'SVC-007', 'SVC-010')).toEqual([]);
    expect(r.excluded('ESC-008', 'FFE-001', 'FFE-002', 'PPE-003', ...RESIDENT_CARE, DUTY_24H, ...GAS_ANY, ...FOOD)).toEqual([]);
    expect(r.reason('FFE-001')).toBe('carePlaces >= 20 (实际 15); totalAreaM2 >= 500 (实际 400)');
    expect(r.reason('FFE-002')).toBe('none of (均不满足): hasSprinklers (实际 否) | carePlaces >= 20 (实际 15)');
    expect(r.reason('MGT-005')).toBe('residentsStayOvernight (实际 否)');
    expect(r.unverifiedCodes).toEqual([]);
  });

  it('a 600 m² day-care centre with 60 places and no beds gets the automatic fire alarm and sprinklers (beds OR places, GB 50016)', () => {
    const dayCare = { kind: 'day_care' as const, storeys: 2, totalAreaM2: 600, buildingVolumeM3: 2200, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null, hasAutoFireAlarm: false };
    const r = run(profile({ ...dayCare, capacityPlaces: 60 }));
    expect(r.applies(FIRE_ALARM, 'FFE-002')).toEqual([]);
    expect(r.unverified(FIRE_ALARM)).toBeUndefined();
    // the same centre with its capacity not recorded: the stricter reading, 待核实
    const unknown = run(profile({ ...dayCare, capacityPlaces: null }));
    expect(unknown.applies(FIRE_ALARM)).toEqual([]);
    expect(unknown.unverified(FIRE_ALARM)).toBe('适用（从严）：额定服务人数未填写，待核实');
    // fewer than 20 places is not a 老年人照料设施 in GB 50016's sense
    expect(run(profile({ ...dayCare, capacityPlaces: 12 })).excluded(FIRE_ALARM)).toEqual([]);
  });

  it('facility on floors 3–5 of another building, 3,500 m²', () => {
    const r = run(
      profile({ storeys: 5, lowestFloor: 3, facilityLowestFloor: 3, facilityHighestFloor: 5, hostBuildingStoreys: 5, insideOtherBuilding: true, totalAreaM2: 3500, buildingVolumeM3: null, approvedBeds: 80, highestFloorWithDisabled: 5, hasElevator: true }),
    );
    expect(r.unverifiedCodes).toEqual(['FFE-003']);
    expect(r.unverified('FFE-003')).toBe('适用（从严）：建筑体积未填写，待核实');
    expect(r.categories).toEqual(['ESC', 'REF', 'NET', 'FFE', 'ELE', 'WIN', 'PPE', 'MGT', 'TRN', 'SVC', 'BLD']);
    expect(r.applies(...REFUGE, ...MASKS, 'FFE-006', 'MGT-007', 'FFE-003', 'BLD-003', 'BLD-004')).toEqual([]);
    expect(r.excluded('REF-007', ...GAS_ANY, ...FOOD, 'BLD-008', 'BLD-009')).toEqual([]);
  });

  it('meal point with a gas kitchen', () => {
    const r = run(
      profile({ kind: 'meal_point', storeys: 1, totalAreaM2: 300, buildingVolumeM3: 1000, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null, hasAutoFireAlarm: false, gasSupply: 'piped' }),
    );
    expect(r.categories).toEqual(['ESC', 'GAS', 'NET', 'FFE', 'ELE', 'WIN', 'PPE', 'MGT', 'TRN', 'FOOD', 'SVC', 'BLD']);
    expect(r.applies(...GAS_ANY, 'GAS-007', ...FOOD, 'NET-007')).toEqual([]);
    expect(r.excluded('GAS-005', ...REFUGE, ...MASKS, 'PPE-003', 'FFE-001', ...RESIDENT_CARE, DUTY_24H, 'SVC-005', 'SVC-010')).toEqual([]);
    // of the GB 38600 service items only choking (meals are served) and falls apply to a meal point
    expect(r.applicable.filter((c) => c.startsWith('SVC-'))).toEqual(['SVC-002', 'SVC-007']);
    // the same meal point without gas has no kitchen on site
    const noGas = run(profile({ kind: 'meal_point', storeys: 1, totalAreaM2: 300, gasSupply: 'none' }));
    expect(noGas.reason('FOOD-001')).toBe('hasKitchen (实际 否)');
  });

  it('12-storey nursing_care with elevator, oxygen pipeline, sprinklers, medical unit, control room', () => {
    const r = run(
      profile({ kind: 'nursing_care', storeys: 12, totalAreaM2: 24000, buildingVolumeM3: 90000, approvedBeds: 400, hasElevator: true, hasOxygenPipeline: true, hasSprinklers: true, hasMedicalUnit: true, hasFireControlRoom: true, highestFloorWithDisabled: 12, fireResistanceGrade: 1 }),
    );
    expect(r.categories).toEqual(['ESC', 'REF', 'NET', 'FFE', 'ELE', 'WIN', 'PPE', 'MGT', 'TRN', 'SVC', 'BLD']);
    expect(r.count).toBe(80);
    expect(r.applies(...REFUGE, ...MASKS, ...CONTROL_ROOM, 'FFE-002', 'FFE-005', 'BLD-003', 'BLD-004', 'BLD-005', 'BLD-009')).toEqual([]);
    expect(r.excluded('BLD-008', 'BLD-006', 'NET-007', ...GAS_ANY)).toEqual([]);
    expect(r.reason('BLD-008')).toBe('hasBoiler (实际 否)');
  });

  it('3-storey 2,800 m² home: just under the refuge-room area threshold', () => {
    const r = run(profile({ storeys: 3, totalAreaM2: 2800, buildingVolumeM3: 9000, highestFloorWithDisabled: 3 }));
    expect(r.categories).toEqual(['ESC', 'NET', 'FFE', 'ELE', 'WIN', 'PPE', 'MGT', 'TRN', 'SVC', 'BLD']);
    expect(r.excluded(...REFUGE)).toEqual([]);
    expect(r.applies(...MASKS)).toEqual([]);
    expect(r.reason('REF-001')).toBe('totalAreaM2 > 3000 (实际 2800)');
    // 3,001 m² crosses the threshold
    expect(run(profile({ storeys: 3, totalAreaM2: 3001 })).applies(...REFUGE)).toEqual([]);
  });

  it('smoke masks: severely disabled residents in a 2-storey home vs a 3-storey home', () => {
    const onFloor2 = run(profile({ storeys: 2, highestFloorWithDisabled: 2, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 6 }));
    const onFloor3 = run(profile({ storeys: 3, highestFloorWithDisabled: 3, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 6 }));
    expect(onFloor2.excluded(...MASKS)).toEqual([]);
    expect(onFloor2.reason('PPE-001')).toBe('storeys > 2 (实际 2)');
    expect(onFloor3.applies(...MASKS, 'PPE-003', 'SVC-004')).toEqual([]);
    // a 3-storey home with only self-caring residents needs no masks
    const noDisabled = run(profile({ storeys: 3, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null }));
    expect(noDisabled.reason('PPE-001')).toBe('hasDisabledResidents (实际 否)');
  });

  it('explains a refuge-room exclusion for a low, small building', () => {
    const r = run(profile({}));
    expect(r.reason('REF-001')).toBe('totalAreaM2 > 3000 (实际 1500); facilityFloor3OrAbove (实际 否)');
    expect(r.reason('REF-007')).toBe('disabled in this checklist version (本版本未启用)');
  });

  describe('refuge rooms (GB 50016 5.5.24A) follow the facility\'s floors, not the host building\'s storeys', () => {
    const inTower = (over: Partial<InstitutionProfile>) => run(profile({
      storeys: 12, hostBuildingStoreys: 12, hostBuildingUse: 'commercial', buildingHeightM: 48, insideOtherBuilding: true,
      totalAreaM2: 3200, buildingVolumeM3: 12000, highestFloorWithDisabled: null, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, ...over,
    }));

    it('floors 1–2 of a 12-storey commercial building: no refuge-room item', () => {
      const r = inTower({ lowestFloor: 1, facilityLowestFloor: 1, facilityHighestFloor: 2 });
      expect(r.excluded(...REFUGE)).toEqual([]);
      expect(r.reason('REF-001')).toBe('facilityFloor3OrAbove (实际 否)');
    });

    it('floors 3–5 of the same building with more than 3,000 m²: refuge rooms apply', () => {
      const r = inTower({ lowestFloor: 3, facilityLowestFloor: 3, facilityHighestFloor: 5 });
      expect(r.applies(...REFUGE)).toEqual([]);
      expect(r.unverified('REF-001')).toBeUndefined();
    });

    it('floors not recorded: the stricter reading applies the item and says 楼层待核实', () => {
      const r = inTower({ lowestFloor: 1, facilityLowestFloor: null, facilityHighestFloor: null });
      expect(r.applies(...REFUGE)).toEqual([]);
      expect(r.unverified('REF-001')).toBe('适用（从严）：楼层未填写，待核实');
    });
  });

  it('a 睦邻点 (neighbourhood point) gets no resident-care items and no 24-hour duty', () => {
    const r = run(profile({ kind: 'neighbourhood_point', storeys: 1, totalAreaM2: 180, buildingVolumeM3: 560, approvedBeds: 0, occupiedBeds: 0, capacityPlaces: 25, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null, hasAutoFireAlarm: false }));
    expect(r.excluded(...RESIDENT_CARE, DUTY_24H, FIRE_ALARM)).toEqual([]);
    expect(r.applies('SVC-002', 'SVC-005', 'SVC-007', 'SVC-010', 'NET-007')).toEqual([]);
  });
});

describe('the 常州 local rules on the shipped checklist depend on where disabled residents live, not on the building\'s storeys', () => {
  const changzhou = applyLocalRules(checklist.items, localRuleSetContent(parseRuleFile(
    'local-changzhou.yaml',
    readFileSync(resolve(__dirname, '../../../checklists/local-changzhou.yaml'), 'utf8'),
  )));
  function runLocal(p: InstitutionProfile) {
    const r = applicableItems({ items: changzhou }, p);
    return {
      applicable: new Map(r.applicable.map((i) => [i.code, requirementFor(i, p)])),
      reason: (code: string) => r.excluded.find((e) => e.item.code === code)?.reason,
    };
  }
  /** Floors of a 12-storey host building, 1,200 m²: below the national refuge-room trigger (> 3000 m²). */
  const inTower = (over: Partial<InstitutionProfile>) => profile({
    storeys: 12, hostBuildingStoreys: 12, insideOtherBuilding: true, hostBuildingUse: 'residential', totalAreaM2: 1200,
    residentsModeratelyDisabled: 6, residentsSeverelyDisabled: 0, ...over,
  });

  it('REF-007 (避难间 on the floors with disabled residents): not for a facility on floor 1 only of a 12-storey building', () => {
    const r = runLocal(inTower({ lowestFloor: 1, facilityLowestFloor: 1, facilityHighestFloor: 1, highestFloorWithDisabled: 1 }));
    expect(r.applicable.has('REF-007')).toBe(false);
    expect(r.reason('REF-007')).toBe('highestFloorWithDisabled >= 2 (实际 1)');
  });

  it('REF-007: required by 常州 when the disabled residents live on floor 3 of that building', () => {
    const r = runLocal(inTower({ lowestFloor: 1, facilityLowestFloor: 1, facilityHighestFloor: 3, highestFloorWithDisabled: 3 }));
    expect(r.applicable.get('REF-007')?.requiredBy?.code).toBe('changzhou');
  });

  it('REF-007: a stand-alone 2-storey home with its disabled residents on the ground floor only gets none; on floor 2 it does', () => {
    expect(runLocal(profile({ storeys: 2, highestFloorWithDisabled: 1 })).applicable.has('REF-007')).toBe(false);
    expect(runLocal(profile({ storeys: 2, highestFloorWithDisabled: 2 })).applicable.get('REF-007')?.requiredBy?.code).toBe('changzhou');
  });

  it('PPE-001 (masks for every moderately/severely disabled resident) follows the disabled residents, whatever the storeys', () => {
    const dayCare = {
      kind: 'day_care' as const, storeys: 1, approvedBeds: 0, occupiedBeds: 0, capacityPlaces: 60,
      residentsSelfCare: 30, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 5, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 1,
    };
    expect(runLocal(profile(dayCare)).applicable.get('PPE-001')?.requiredBy?.code).toBe('changzhou');
    expect(runLocal(profile({ ...dayCare, residentsModeratelyDisabled: 0, highestFloorWithDisabled: null })).reason('PPE-001')).toBe('hasDisabledResidents (实际 否)');
    // a 12-storey host building without disabled residents: no masks under the local rule
    expect(runLocal(inTower({ facilityLowestFloor: 1, facilityHighestFloor: 1, residentsModeratelyDisabled: 0, highestFloorWithDisabled: null })).reason('PPE-001'))
      .toBe('hasDisabledResidents (实际 否)');
  });
});
