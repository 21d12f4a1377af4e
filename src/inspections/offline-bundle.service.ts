import { Injectable } from '@nestjs/common';
import { GAS_LABELS, HAZARD_STATUS_LABELS, KIND_LABELS, SEVERITY_LABELS } from '../common/labels';
import { AuthUser } from '../common/scope';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { InspectionFormService } from './inspection-form.service';
import { OfflineBundleRepository, PreviousFindingRow } from './offline-bundle.repository';

/** At most this many open tasks go into one download (a day's work is a handful; the rest stay online). */
export const OFFLINE_BUNDLE_LIMIT = 30;

/**
 * 下载今日任务: in one request, everything the inspector's phone needs to work offline — each open assignment's
 * form payload (the same read model as GET /api/inspections/:id/form, with its checklist version), the
 * institution's profile and the findings of its last submitted inspection. Only the caller's own assignments.
 */
@Injectable()
export class OfflineBundleService {
  constructor(
    private readonly bundles: OfflineBundleRepository,
    private readonly forms: InspectionFormService,
    private readonly institutions: InstitutionsRepository,
  ) {}

  async bundle(user: AuthUser, now: Date = new Date()) {
    const ids = await this.bundles.openAssignmentIds(user.id, OFFLINE_BUNDLE_LIMIT);
    // The form service checks the same team scope again for each inspection (no second rule to drift).
    const forms = await Promise.all(ids.map((id) => this.forms.form(user, id)));
    const institutionIds = [...new Set(forms.map((f) => f.institution.id))];
    const [profiles, findings] = await Promise.all([
      Promise.all(institutionIds.map((iid) => this.institutions.findById({ kind: 'division', path: '/' }, iid))),
      this.bundles.previousFindings(institutionIds),
    ]);
    const profileOf = new Map(profiles.filter((p) => !!p).map((p) => [p!.id, p!]));
    return {
      generatedAt: now.toISOString(),
      // Whose tasks these are: a shared phone shows a bundle only to the inspector it was downloaded for.
      user: { id: user.id, displayName: user.displayName },
      inspections: forms.map((form) => {
        const p = profileOf.get(form.institution.id);
        return {
          id: form.inspection.id,
          pages: { fill: `/inspections/${form.inspection.id}/fill`, detail: `/inspections/${form.inspection.id}` },
          form,
          institution: p ? {
            id: p.id, name: p.name, kindLabel: KIND_LABELS[p.kind] ?? p.kind, address: p.address,
            contactName: p.contactName, contactPhone: p.contactPhone, storeys: p.storeys, totalAreaM2: p.totalAreaM2,
            approvedBeds: p.approvedBeds, occupiedBeds: p.occupiedBeds,
            residentsDisabled: p.residentsMildlyDisabled + p.residentsModeratelyDisabled + p.residentsSeverelyDisabled,
            hasAutoFireAlarm: p.hasAutoFireAlarm, hasSprinklers: p.hasSprinklers, gasSupply: GAS_LABELS[p.gasSupply] ?? p.gasSupply,
            hasCanteen: p.hasCanteen, hasElevator: p.hasElevator,
          } : null,
          previousFindings: previousOf(findings.filter((f) => f.institutionId === form.institution.id)),
        };
      }),
    };
  }
}

/** The last inspection's failed items, or null when the institution was never inspected before. */
function previousOf(rows: PreviousFindingRow[]) {
  if (!rows.length) return null;
  const first = rows[0];
  return {
    inspectionId: first.inspectionId,
    submittedAt: new Date(first.submittedAt).toISOString(),
    reportNo: first.reportNo,
    items: rows.map((r) => ({
      itemCode: r.itemCode, title: r.title, note: r.note, location: r.location,
      severity: r.severity, severityLabel: r.severity ? SEVERITY_LABELS[r.severity] ?? r.severity : null,
      hazardStatus: r.hazardStatus, hazardStatusLabel: r.hazardStatus ? HAZARD_STATUS_LABELS[r.hazardStatus] ?? r.hazardStatus : null,
    })),
  };
}
