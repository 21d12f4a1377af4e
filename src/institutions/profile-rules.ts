import type { FieldIssue } from '../common/app-error';
import { residentsStayOvernight } from './institution-kinds';
import type { BuildingProfile, Institution } from './institution.entity';

/**
 * The profile the cross-field rules read: the building profile and the institution's kind (whether residents stay
 * overnight decides what the resident counts are checked against). Callers pass the merged institution row, which
 * carries `kind`; without it the residential reading applies (residents against beds).
 */
export type CheckedProfile = BuildingProfile & Partial<Pick<Institution, 'kind'>>;

/**
 * Cross-field rules of a building profile that single-field validators cannot see.
 * Pure, so it runs on the merged profile of a partial update as well as on a new one.
 */
export function profileIssues(p: CheckedProfile): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (p.occupiedBeds > p.approvedBeds) {
    issues.push({ field: 'occupiedBeds', reason: 'occupiedExceedsApproved', args: [p.occupiedBeds, p.approvedBeds] });
  }
  issues.push(...residentIssues(p));
  if (p.lowestFloor > p.storeys) {
    issues.push({ field: 'lowestFloor', reason: 'floorOutOfBuilding', args: [p.lowestFloor, 1, p.storeys] });
  }
  issues.push(...facilityFloorIssues(p));
  const disabled = p.residentsModeratelyDisabled + p.residentsSeverelyDisabled;
  if (disabled > 0 && p.highestFloorWithDisabled == null) {
    issues.push({ field: 'highestFloorWithDisabled', reason: 'disabledFloorRequired' });
  } else if (disabled === 0 && p.highestFloorWithDisabled != null) {
    issues.push({ field: 'highestFloorWithDisabled', reason: 'disabledFloorWithoutResidents' });
  } else if (p.highestFloorWithDisabled != null && (p.highestFloorWithDisabled < p.lowestFloor || p.highestFloorWithDisabled > p.storeys)) {
    issues.push({ field: 'highestFloorWithDisabled', reason: 'floorOutOfBuilding', args: [p.highestFloorWithDisabled, p.lowestFloor, p.storeys] });
  }
  return issues;
}

/**
 * The resident counts by care level add up to at most what the facility holds: the occupied beds where residents stay
 * overnight; for a facility without overnight stay (day care, meal point, 睦邻点, a community complex without beds)
 * the attendees are checked against its 额定服务人数 `capacityPlaces` when recorded (it has no beds to count them in).
 */
function residentIssues(p: CheckedProfile): FieldIssue[] {
  const residents = p.residentsSelfCare + p.residentsMildlyDisabled + p.residentsModeratelyDisabled + p.residentsSeverelyDisabled;
  const overnight = p.kind === undefined || residentsStayOvernight({ kind: p.kind, approvedBeds: p.approvedBeds });
  if (overnight) {
    return residents > p.occupiedBeds ? [{ field: 'residents', reason: 'residentsExceedOccupied', args: [residents, p.occupiedBeds] }] : [];
  }
  if (p.capacityPlaces != null && residents > p.capacityPlaces) {
    return [{ field: 'residents', reason: 'residentsExceedCapacity', args: [residents, p.capacityPlaces] }];
  }
  return [];
}

/** The building the facility's floors are counted in: the host building when inside another one, else its own. */
function buildingStoreys(p: BuildingProfile): number {
  return p.insideOtherBuilding && p.hostBuildingStoreys != null ? p.hostBuildingStoreys : p.storeys;
}

function facilityFloorIssues(p: BuildingProfile): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const top = buildingStoreys(p);
  const low = p.facilityLowestFloor ?? null;
  const high = p.facilityHighestFloor ?? null;
  if (low !== null && low > top) issues.push({ field: 'facilityLowestFloor', reason: 'floorOutOfBuilding', args: [low, 1, top] });
  if (high !== null && (high > top || (low !== null && high < low))) {
    issues.push({ field: 'facilityHighestFloor', reason: 'floorOutOfBuilding', args: [high, low ?? 1, top] });
  }
  if (low !== null && low !== p.lowestFloor) issues.push({ field: 'lowestFloor', reason: 'mustMatch', args: ['facilityLowestFloor', low] });
  if (p.insideOtherBuilding && p.hostBuildingStoreys != null && p.hostBuildingStoreys !== p.storeys) {
    issues.push({ field: 'storeys', reason: 'mustMatch', args: ['hostBuildingStoreys', p.hostBuildingStoreys] });
  }
  return issues;
}

/**
 * The legacy columns follow the new facts: `lowestFloor` mirrors `facilityLowestFloor`, and for a facility inside
 * another building `storeys` is the host building's (`hostBuildingStoreys`). Given the changes of a create
 * (`current` absent) or of an update / change request, returns them with the counterpart filled in when only one of
 * the pair was sent. On create, a stand-alone building's own floors are known (1 … storeys); inside another building
 * floors not sent stay unrecorded (null, 待核实).
 */
export function withLegacyFloors<T extends Partial<BuildingProfile>>(changes: T, current?: BuildingProfile): T {
  const out: Partial<BuildingProfile> = { ...changes };
  if (current) {
    // A form sends every field: of a pair, the member left at its confirmed value follows the one that changed.
    dropUnchangedTwin(out, current, 'lowestFloor', 'facilityLowestFloor');
    dropUnchangedTwin(out, current, 'storeys', 'hostBuildingStoreys');
  }
  if (out.facilityLowestFloor != null && out.lowestFloor === undefined) out.lowestFloor = out.facilityLowestFloor;
  if (out.lowestFloor !== undefined && out.facilityLowestFloor === undefined) out.facilityLowestFloor = out.lowestFloor;
  const inside = out.insideOtherBuilding ?? current?.insideOtherBuilding ?? false;
  if (inside && out.hostBuildingStoreys != null && out.storeys === undefined) out.storeys = out.hostBuildingStoreys;
  if (inside && out.storeys !== undefined && out.hostBuildingStoreys === undefined) out.hostBuildingStoreys = out.storeys;
  if (current === undefined && !inside) {
    if (out.facilityLowestFloor === undefined) out.facilityLowestFloor = 1;
    if (out.facilityHighestFloor === undefined && out.storeys !== undefined) out.facilityHighestFloor = out.storeys;
  }
  return out as T;
}

function dropUnchangedTwin(out: Partial<BuildingProfile>, current: BuildingProfile, legacy: 'lowestFloor' | 'storeys', fact: 'facilityLowestFloor' | 'hostBuildingStoreys'): void {
  if (out[legacy] === undefined || out[fact] === undefined || out[legacy] === out[fact]) return;
  const legacyChanged = out[legacy] !== current[legacy];
  const factChanged = (out[fact] ?? null) !== (current[fact] ?? null);
  if (factChanged && !legacyChanged) delete out[legacy];
  else if (legacyChanged && !factChanged) delete out[fact];
}
