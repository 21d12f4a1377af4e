import { EntityManager } from 'typeorm';
import { isOnTeam } from '../auth/relations';
import { ChecklistsService } from '../checklists/checklists.service';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { Inspection } from './inspection.entity';
import { InspectionsRepository } from './inspections.repository';

/** Access checks and reads shared by InspectionsService and InspectionFormService (no state, no Nest). */

/** The inspection in the user's scope, or 404. */
export async function inspectionOrThrow(inspections: InspectionsRepository, user: AuthUser, id: string): Promise<Inspection> {
  const found = await inspections.findById(user, id);
  if (!found) throw AppError.notFound('inspection.not_found');
  return found;
}

/** The inspection, if the user is on its team: bureau users see the inspection but only its team may act on it. */
export async function onTeamOrThrow(inspections: InspectionsRepository, user: AuthUser, id: string, em?: EntityManager, lock = false): Promise<Inspection> {
  const inspection = await inspections.findById(user, id, em, lock);
  if (!inspection) throw AppError.notFound('inspection.not_found');
  const team = (await inspections.teams([id], em)).get(id) ?? [];
  if (!isOnTeam(team, user.id)) throw AppError.forbidden();
  return inspection;
}

/** The pinned version's items for the institution; a re-inspection holds only the items it was created for. */
export async function pinnedItems(checklists: ChecklistsService, inspection: Inspection, institution: Parameters<ChecklistsService['pinnedApplicability']>[1]) {
  const split = await checklists.pinnedApplicability(inspection.checklistVersionId, institution, inspection.localRuleSetVersionId);
  if (!inspection.itemCodes) return split;
  const keep = new Set(inspection.itemCodes);
  return {
    ...split,
    applicable: split.applicable.filter((i) => keep.has(i.code)),
    excluded: [...split.excluded, ...split.applicable.filter((i) => !keep.has(i.code)).map((item) => ({ item, reason: 'not in this re-inspection' }))],
  };
}
