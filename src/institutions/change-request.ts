import type { FieldIssue } from '../common/app-error';
import { roleCan } from '../auth/permissions';
import type { Role } from '../common/roles';
import { BuildingProfile, PROFILE_FIELDS, ProfileField } from './institution.entity';

/**
 * 机构档案变更申请 — the rules of an institution's change to its confirmed facts.
 *
 * The building profile (beds and residents by care level decide the operating subsidy; the rest decides which
 * checklist items apply) is confirmed by the bureau: an institution account cannot write it directly, it files a
 * change request that a bureau user approves or rejects. Until then every computation reads the institution row,
 * which holds only confirmed values. Contacts and address stay the institution's own to edit.
 */
export const CONFIRMED_FIELDS: readonly ProfileField[] = PROFILE_FIELDS;

export const CHANGE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];
export type ChangeRequestAction = 'approve' | 'reject' | 'withdraw';

/** The profile fields the database allows to be empty. */
const NULLABLE = new Set<string>([
  'buildingVolumeM3', 'highestFloorWithDisabled', 'fireResistanceGrade',
  'facilityLowestFloor', 'facilityHighestFloor', 'hostBuildingStoreys', 'buildingHeightM', 'hostBuildingUse', 'capacityPlaces',
]);

export type FactValues = Partial<Record<ProfileField, BuildingProfile[ProfileField]>>;

/** The confirmed fields an update touches (what an institution account must file as a change request instead). */
export function confirmedFieldsIn(changes: object): ProfileField[] {
  const keys = new Set(Object.keys(changes).filter((k) => (changes as Record<string, unknown>)[k] !== undefined));
  return CONFIRMED_FIELDS.filter((f) => keys.has(f));
}

/** `null` sent for a field that must have a value. */
export function nullIssues(requested: FactValues): FieldIssue[] {
  return Object.entries(requested)
    .filter(([k, v]) => v === null && !NULLABLE.has(k))
    .map(([k]) => ({ field: `changes.${k}`, reason: 'isDefined' }));
}

/** Only the fields whose requested value differs from the confirmed one, with both values. */
export function diffFacts(current: BuildingProfile, requested: FactValues): { before: FactValues; after: FactValues } {
  const before: FactValues = {};
  const after: FactValues = {};
  for (const f of CONFIRMED_FIELDS) {
    if (!(f in requested) || requested[f] === undefined) continue;
    const next = requested[f] ?? null;
    if (sameValue(current[f], next)) continue;
    (before as Record<string, unknown>)[f] = current[f] ?? null;
    (after as Record<string, unknown>)[f] = next;
  }
  return { before, after };
}

/**
 * The fields whose confirmed value is no longer what the request was filed against (someone changed the row since):
 * approving it would overwrite a decision nobody saw, so it is refused.
 */
export function staleFields(current: BuildingProfile, before: FactValues): { field: ProfileField; filedAgainst: unknown; now: unknown }[] {
  return (Object.keys(before) as ProfileField[])
    .filter((f) => !sameValue(current[f], before[f] ?? null))
    .map((f) => ({ field: f, filedAgainst: before[f] ?? null, now: current[f] ?? null }));
}

function sameValue(a: unknown, b: unknown): boolean {
  // numeric columns come back as numbers; jsonb keeps numbers; compare as numbers when both are numeric
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return (a ?? null) === (b ?? null);
}


/**
 * The one lifecycle function: the next status of a request for an action by a role, or the refusal code.
 * Who decides and who withdraws is the permissions table's (`change_request.decide`, `change_request.withdraw`).
 */
export function decideChangeRequest(status: ChangeRequestStatus, action: ChangeRequestAction, role: Role):
  { next: ChangeRequestStatus } | { refusal: 'forbidden' | 'not_pending' } {
  const allowed = roleCan(role, action === 'withdraw' ? 'change_request.withdraw' : 'change_request.decide');
  if (!allowed) return { refusal: 'forbidden' };
  if (status !== 'pending') return { refusal: 'not_pending' };
  return { next: action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'withdrawn' };
}

/** What a role may do with a request in a status (for pages: show only the forms the service would accept). */
export function allowedChangeRequestActions(status: ChangeRequestStatus, role: Role): ChangeRequestAction[] {
  return (['approve', 'reject', 'withdraw'] as const).filter((a) => 'next' in decideChangeRequest(status, a, role));
}
