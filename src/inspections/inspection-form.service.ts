import { Injectable } from '@nestjs/common';
import { basisCitations, basisText, checklistContent, PRODUCT_SUGGESTION_TEXT } from '../checklists/domain';
import type { RuledItem } from '../checklists/domain/local-rules';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { formatChineseDate, shanghaiDate } from '../common/calendar';
import { INSPECTION_KIND_LABELS, KIND_LABELS, labelMap } from '../common/labels';
import { AuthUser } from '../common/scope';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { HazardsRepository } from '../hazards/hazards.repository';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { submissionRequirements } from './domain/submission';
import { inspectionOrThrow, pinnedItems } from './inspection-access';
import { InspectionsRepository } from './inspections.repository';
import { PreviousFinding, PreviousFindingsRepository } from './previous-findings.repository';
import { RegistersService } from '../registers/registers.service';
import { DevicesService, DUTY_ITEM_CODE } from '../devices/devices.service';
import { scopeOf } from '../common/scope';
import { isOnTeam } from '../auth/relations';
import { InspectionCodesService } from './inspection-codes.service';

/** The on-site form's read model (`GET /api/inspections/:id/form`). */
@Injectable()
export class InspectionFormService {
  constructor(
    private readonly inspections: InspectionsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly checklists: ChecklistsService,
    private readonly hazards: HazardsRepository,
    private readonly policies: PolicyService,
    private readonly previous: PreviousFindingsRepository,
    private readonly registers: RegistersService,
    private readonly devices: DevicesService,
    private readonly codes: InspectionCodesService,
  ) {}

  /** Everything the on-site form needs, for a team member (or a bureau user looking on). */
  async form(user: AuthUser, id: string) {
    const inspection = await inspectionOrThrow(this.inspections, user, id);
    const institution = (await this.institutions.findById({ kind: 'division', path: '/' }, inspection.institutionId))!;
    const { version, applicable } = await pinnedItems(this.checklists, inspection, institution);
    const content = checklistContent(version);
    const team = (await this.inspections.teams([id])).get(id) ?? [];
    // Only criteria a major finding may rest on (retrieved text) are sent: a placeholder is never shown to inspectors.
    const majorCriteria = await this.checklists.majorCriteria();
    const confirmable = new Set(majorCriteria.map((c) => c.code));
    // 上次检查: the institution's previous submitted inspection and what it found, item by item (repeat problems).
    const previous = await this.previous.previousInspection(user, id);
    const findings = new Map((previous ? await this.previous.failedAnswers(previous.id) : []).map((f) => [f.itemCode, f]));
    const previousOn = previous ? shanghaiDate(previous.submittedAt) : null;
    // 台账提示: expired certificates and statutory tests of the institution's register, by the item they concern
    const candidates = inspection.status === 'submitted' ? null : await this.registerCandidates(user, institution.id, new Set(applicable.map((i) => i.code)));
    const byCategory = (code: string) => applicable.filter((i) => i.category === code)
      .map((i) => ({ ...formItem(i, confirmable), previousFinding: previousFindingOf(findings.get(i.code), previousOn), registerCandidate: candidates?.get(i.code) ?? null }));
    const policy = await this.policies.byId(inspection.productPolicyVersionId ?? null);
    return {
      inspection: {
        id, status: inspection.status, kind: inspection.kind, kindLabel: INSPECTION_KIND_LABELS[inspection.kind],
        scheduledDate: inspection.scheduledDate, startedAt: inspection.startedAt, version: inspection.version,
      },
      institution: { id: institution.id, name: institution.name, address: institution.address, kindLabel: KIND_LABELS[institution.kind] },
      team,
      previousInspection: previous && previousOn
        ? { id: previous.id, date: previousOn, dateText: formatChineseDate(previousOn), reportNo: previous.reportNo, failedCount: findings.size }
        : null,
      checklist: { code: version.ruleSetCode, versionNo: version.versionNo, title: { zh: version.titleZh, en: version.titleEn } },
      categories: content.categories.map((c) => ({ code: c.code, title: c.title, items: byCategory(c.code) })).filter((c) => c.items.length),
      majorCriteria,
      // What the submit will check, from the same function: the device never derives these rules itself.
      requirements: submissionRequirements({ applicable, majorCriteria: confirmable, minInspectorSignatures: policy.values.team.minInspectorSignatures }),
      // The form's display names of results, scopes and severities, from the one vocabulary (common/vocabulary.ts).
      labels: { result: labelMap('responseResult'), scope: labelMap('scope'), severity: labelMap('severity'), majorStatus: labelMap('majorStatus'), hazardStatus: labelMap('hazardStatus') },
      submission: inspection.status === 'submitted'
        ? { submissionId: inspection.submissionId, hazardCount: (await this.hazards.forInspection(id)).length }
        : null,
      // 检查码: the team's own (shown to the institution on arrival, also offline from the downloaded bundle); nobody else's
      code: isOnTeam(team, user.id) ? await this.codes.teamCodeOf(id) : null,
    };
  }

  /**
   * 台账提示: the finding candidates by item code — the register's (expired certificates and statutory tests) and the
   * devices' (offline or faulty beyond the policy's hours, and the cloud-assisted duty record of 常州 NET-901); none
   * for a viewer who may read neither.
   */
  private async registerCandidates(user: AuthUser, institutionId: string, onForm: ReadonlySet<string>): Promise<Map<string, { note: string; asOf: string; info?: true }> | null> {
    const [register, devices] = await Promise.all([this.registerHints(user, institutionId), this.deviceHints(user, institutionId, onForm)]);
    if (!register && !devices) return null;
    const out = new Map<string, { note: string; asOf: string; info?: true }>(register ?? []);
    for (const [code, hint] of devices ?? []) {
      const before = out.get(code);
      out.set(code, before ? { note: `${before.note}\n${hint.note}`, asOf: before.asOf } : hint);
    }
    return out;
  }

  private async registerHints(user: AuthUser, institutionId: string): Promise<Map<string, { note: string; asOf: string }> | null> {
    if (!can(user, 'register.read')) return null;
    let found;
    try {
      found = await this.registers.findingCandidates(user, institutionId);
    } catch (err) {
      // a viewer of the form (the team, the demo's seeding account) whose register scope does not reach the institution: no hints
      if (err instanceof AppError && err.status < 500) return null;
      throw err;
    }
    return new Map(found.items.map((i) => [i.itemCode, { note: i.candidates.map((c) => c.note).join('\n'), asOf: found.asOf }]));
  }

  /** `info`: a record to weigh (the duty record), not a finding to confirm — the form offers no 记为不符合 for it. */
  private async deviceHints(user: AuthUser, institutionId: string, onForm: ReadonlySet<string>): Promise<Map<string, { note: string; asOf: string; info?: true }> | null> {
    if (!can(user, 'device.read')) return null;
    const now = this.devices.now();
    const found = await this.devices.findingCandidates(scopeOf(user), institutionId, now, onForm.has(DUTY_ITEM_CODE));
    const asOf = shanghaiDate(now);
    return new Map([...found].map(([code, c]) => [code, { note: c.notes.join('\n'), asOf, ...(c.info ? { info: true as const } : {}) }]));
  }
}

/**
 * An item as the form shows it: an escalation criterion without retrieved text is left out (the form offers
 * 疑似重大隐患); `requiredBy` names the deploying city's local rule set that requires the item (null: the national rules).
 */
function formItem(i: RuledItem, confirmable: ReadonlySet<string>) {
  return {
    code: i.code, title: i.title, check: i.check, severity: i.severity, majorCriterion: i.majorCriterion ?? null,
    escalatesTo: i.escalatesTo && confirmable.has(i.escalatesTo) ? i.escalatesTo : null, deadlineDays: i.deadlineDays,
    evidence: { photoRequiredWhenFailed: i.evidence.photoRequiredWhenFailed, minPhotos: i.evidence.minPhotos ?? (i.evidence.photoRequiredWhenFailed ? 1 : 0) },
    basisText: basisText(i),
    guidance: itemGuidance(i),
    requiredBy: i.requiredBy ? { code: i.requiredBy.code, title: i.requiredBy.title, document: i.requiredBy.document, clause: i.requiredBy.clause } : null,
  };
}

/**
 * 检查要点与依据, folded under the item: only what the checklist files hold — the printable citations of `basis`
 * (never a clause that is not verified, see basis-text.ts), how to check (`check`) and the 临时管控措施 (`interim`).
 * The checklist files have no "what counts as failure" text yet, so none is sent (never invented on the way).
 */
export function itemGuidance(i: RuledItem) {
  const citations = basisCitations(i);
  return {
    basis: citations.length ? citations : [PRODUCT_SUGGESTION_TEXT],
    suggestionOnly: !citations.length,
    howToCheck: i.check?.zh ? i.check : null,
    interim: i.interim ? i.interim.measure : null,
  };
}

/** The previous inspection's 不合格 answer to the item (null: it passed, did not apply, or there was none). */
function previousFindingOf(f: PreviousFinding | undefined, date: string | null) {
  if (!f || !date) return null;
  return { date, note: f.note, location: f.location, severity: f.severity, scope: f.scope, hazardStatus: f.hazardStatus };
}
