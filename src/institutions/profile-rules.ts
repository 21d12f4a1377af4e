import type { FieldIssue } from '../common/app-error';
import type { BuildingProfile } from './institution.entity';

/**
 * Cross-field rules of a building profile that single-field validators cannot see.
 * Pure, so it runs on the merged profile of a partial update as well as on a new one.
 */
export function profileIssues(p: BuildingProfile): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (p.occupiedBeds > p.approvedBeds) {
    issues.push({ field: 'occupiedBeds', reason: 'occupiedExceedsApproved', args: [p.occupiedBeds, p.approvedBeds] });
  }
  const residents = p.residentsSelfCare + p.residentsMildlyDisabled + p.residentsModeratelyDisabled + p.residentsSeverelyDisabled;
  if (residents > p.occupiedBeds) {
    issues.push({ field: 'residents', reason: 'residentsExceedOccupied', args: [residents, p.occupiedBeds] });
  }
  if (p.lowestFloor > p.storeys) {
    issues.push({ field: 'lowestFloor', reason: 'floorOutOfBuilding', args: [p.lowestFloor, 1, p.storeys] });
  }
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
