import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/audit-chain';
import { AuditService } from '../audit/audit.service';
import { isOnTeam } from '../auth/relations';
import { ChecklistItem, checklistContent } from '../checklists/domain';
import { ChecklistsService } from '../checklists/checklists.service';
import { AppError, FieldIssue } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { INSPECTION_KIND_LABELS, KIND_LABELS, labelMap } from '../common/labels';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf, SYSTEM_SCOPE } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { DocumentNumbers, formatDocumentNo } from '../documents/document-numbers';
import { IssuingBureau, IssuingBureaus } from '../documents/issuing-bureau';
import { EvidenceService } from '../evidence/evidence.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { OutboxService } from '../outbox/outbox.service';
import { HazardsRepository } from '../hazards/hazards.repository';
import { UsersRepository } from '../users/users.repository';
import { DRAW_ALGORITHM, drawInspections, DrawInputError, DrawResult } from './domain/random-draw';
import { hazardsFrom, MIN_INSPECTOR_SIGNATURES, submissionIssues, submissionRequirements } from './domain/submission';
import { ConflictDto, CreateInspectionDto, CreatePlanDto, InspectionQuery, SubmitInspectionDto } from './dto/inspection.dto';
import { Inspection, InspectionPlan } from './inspection.entity';
import { InspectionsRepository, TeamMemberView } from './inspections.repository';

export { INSPECTION_KIND_LABELS };

export interface SubmissionResult {
  inspectionId: string;
  submissionId: string;
  hazardCount: number;
  hazards: { id: string; itemCode: string; dueDate: string }[];
  reportNo: string;
  reportUrl: string;
}

const SIGNATURE_MAX_BYTES = 300 * 1024;

@Injectable()
export class InspectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inspections: InspectionsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly users: UsersRepository,
    private readonly divisions: DivisionsService,
    private readonly checklists: ChecklistsService,
    private readonly evidence: EvidenceService,
    private readonly hazards: HazardsRepository,
    private readonly numbers: DocumentNumbers,
    private readonly bureaus: IssuingBureaus,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  // ---------------------------------------------------------------- reading

  async list(user: AuthUser, query: InspectionQuery & { mine?: boolean }): Promise<Page<Inspection & { institutionName: string; team: TeamMemberView[] }>> {
    const [rows, total] = await this.inspections.page(user, query, (query.page - 1) * query.pageSize, query.pageSize);
    const teams = await this.inspections.teams(rows.map((r) => r.id));
    // The inspections were read in the caller's scope (an inspector's team may work outside its own division).
    const names = await this.institutions.namesByIds(SYSTEM_SCOPE, rows.map((r) => r.institutionId));
    return pageOf(rows.map((r) => ({ ...r, institutionName: names.get(r.institutionId) ?? '', team: teams.get(r.id) ?? [] })), total, query);
  }

  async get(user: AuthUser, id: string): Promise<Inspection> {
    const found = await this.inspections.findById(user, id);
    if (!found) throw AppError.notFound('inspection.not_found');
    return found;
  }

  async detail(user: AuthUser, id: string) {
    const inspection = await this.get(user, id);
    const institution = (await this.institutions.findById(scopeOf(user).kind === 'institution' ? scopeOf(user) : { kind: 'division', path: '/' }, inspection.institutionId))!;
    const [teams, responses, hazards] = await Promise.all([
      this.inspections.teams([id]), this.inspections.responses(id), this.hazards.forInspection(id),
    ]);
    return { inspection, institution, team: teams.get(id) ?? [], responses, hazards };
  }

  /** Everything the on-site form needs, for a team member (or a bureau user looking on). */
  async form(user: AuthUser, id: string) {
    const inspection = await this.get(user, id);
    const institution = (await this.institutions.findById({ kind: 'division', path: '/' }, inspection.institutionId))!;
    const { version, applicable } = await this.itemsOf(inspection, institution);
    const content = checklistContent(version);
    const team = (await this.inspections.teams([id])).get(id) ?? [];
    const byCategory = (code: string) => applicable.filter((i) => i.category === code).map(formItem);
    const majorCriteria = await this.checklists.majorCriteria();
    return {
      inspection: {
        id, status: inspection.status, kind: inspection.kind, kindLabel: INSPECTION_KIND_LABELS[inspection.kind],
        scheduledDate: inspection.scheduledDate, startedAt: inspection.startedAt, version: inspection.version,
      },
      institution: { id: institution.id, name: institution.name, address: institution.address, kindLabel: KIND_LABELS[institution.kind] },
      team,
      checklist: { code: version.ruleSetCode, versionNo: version.versionNo, title: { zh: version.titleZh, en: version.titleEn } },
      categories: content.categories.map((c) => ({ code: c.code, title: c.title, items: byCategory(c.code) })).filter((c) => c.items.length),
      majorCriteria,
      // What the submit will check, from the same function: the device never derives these rules itself.
      requirements: submissionRequirements({ applicable, majorCriteria: new Set(majorCriteria.map((c) => c.code)), minInspectorSignatures: MIN_INSPECTOR_SIGNATURES }),
      // The form's display names of results, scopes and severities, from the one vocabulary (common/vocabulary.ts).
      labels: { result: labelMap('responseResult'), scope: labelMap('scope'), severity: labelMap('severity') },
      submission: inspection.status === 'submitted'
        ? { submissionId: inspection.submissionId, hazardCount: (await this.hazards.forInspection(id)).length }
        : null,
    };
  }

  // ---------------------------------------------------------------- team actions

  async start(user: AuthUser, id: string): Promise<Inspection> {
    return this.dataSource.transaction(async (em) => {
      const inspection = await this.onTeamOrThrow(user, id, em);
      if (!(await this.inspections.markStarted(em, id))) throw AppError.conflict('inspection.not_open');
      await this.audit.record(em, { action: 'inspection.start', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath, before: { status: inspection.status }, after: { status: 'in_progress' } });
      return (await this.inspections.findById(user, id, em))!;
    });
  }

  async saveDraft(user: AuthUser, id: string, draft: unknown, savedAt: Date): Promise<{ savedAt: Date }> {
    const inspection = await this.onTeamOrThrow(user, id);
    if (inspection.status === 'submitted' || inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
    if (Buffer.byteLength(JSON.stringify(draft)) > 512 * 1024) throw new AppError(413, 'request.too_large');
    await this.inspections.saveDraft(id, draft, savedAt);
    return { savedAt };
  }

  async draft(user: AuthUser, id: string) {
    await this.onTeamOrThrow(user, id);
    return this.inspections.draftOf(id);
  }

  /**
   * Where a finding photo may go: an open inspection the user is on, and an item of its pinned checklist.
   * Checked before the upload's bytes are accepted, and again when they are stored.
   */
  async photoTarget(user: AuthUser, inspectionId: string, itemCode: string): Promise<Inspection> {
    const inspection = await this.onTeamOrThrow(user, inspectionId);
    if (inspection.status === 'submitted' || inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
    if (!(await this.checklists.hasItem(inspection.checklistVersionId, itemCode))) throw AppError.validation([{ field: 'itemCode', reason: 'itemNotApplicable' }]);
    return inspection;
  }

  /** A finding photo, uploaded while the inspection is open by a member of its team; stored as a canonical JPEG. */
  async uploadPhoto(user: AuthUser, inspectionId: string, itemCode: string, file: Buffer | undefined, meta: { takenAt?: Date; lat?: number; lng?: number; originalName?: string }) {
    const inspection = await this.photoTarget(user, inspectionId, itemCode);
    const prepared = await this.evidence.prepareImage(file, 'file', 'photo');
    const { stored: [stored], created } = await this.evidence.put([prepared]);
    return this.dataSource.transaction(async (em) => {
      const ev = await this.evidence.record(em, user, stored, {
        purpose: 'finding', inspectionId, itemCode, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath,
        takenAt: meta.takenAt ?? null, gps: meta.lat !== undefined && meta.lng !== undefined ? { lat: meta.lat, lng: meta.lng } : null,
        originalName: meta.originalName ?? null,
      });
      await this.audit.record(em, { action: 'evidence.upload', entityType: 'evidence', entityId: ev.id, scopePath: inspection.divisionPath, after: { inspectionId, itemCode, sha256: ev.sha256 } });
      return ev;
    }).catch(async (err) => {
      await this.evidence.discardUnreferenced(created);
      throw err;
    });
  }

  /**
   * Files the inspection: responses against the pinned checklist version, one hazard per failed item with its
   * due date, signatures, a report number and the report job (outbox) — all in one transaction, audited.
   * Idempotent on submissionId: a retry returns the first result and writes nothing.
   */
  async submit(user: AuthUser, id: string, dto: SubmitInspectionDto): Promise<{ replay: boolean; result: SubmissionResult }> {
    // Signatures are decoded and re-encoded in memory first (a bad one is a 400 naming it); they are written
    // to the store only once every check below has passed, so a refused submission leaves nothing on disk.
    const signatureImages = await Promise.all(dto.signatures.map((s, i) =>
      this.evidence.prepareImage(decodeSignature(s.image, `signatures.${i}.image`), `signatures.${i}.image`, 'signature')));
    // Everything read from other tables is read before the transaction: a transaction must never wait for a
    // second pool connection, or enough concurrent submissions exhaust the pool and deadlock.
    const before = await this.inspections.findById(user, id);
    if (!before) throw AppError.notFound('inspection.not_found');
    const institution = (await this.institutions.findById({ kind: 'division', path: '/' }, before.institutionId))!;
    const { applicable, excluded } = await this.itemsOf(before, institution);
    const majorCriteria = new Set((await this.checklists.majorCriteria()).map((c) => c.code));
    const bureau = await this.bureaus.of(before.divisionPath);
    let created: string[] = [];
    const outcome = await this.dataSource.transaction(async (em) => {
      const inspection = await this.onTeamOrThrow(user, id, em, true);
      if (inspection.status === 'submitted') {
        if (inspection.submissionId === dto.submissionId) return { replay: true, result: await this.resultOf(inspection, em) };
        throw AppError.conflict('inspection.already_submitted');
      }
      if (inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');

      const team = (await this.inspections.teams([id], em)).get(id) ?? [];
      const photos = await this.evidence.forInspection(id, 'finding', em);
      const issues: FieldIssue[] = submissionIssues({
        applicable, excludedCodes: new Set(excluded.map((e) => e.item.code)), team,
        evidence: new Map(photos.map((p) => [p.id, { itemCode: p.itemCode }])),
        majorCriteria,
        minInspectorSignatures: MIN_INSPECTOR_SIGNATURES,
      }, dto.responses, dto.signatures);
      if (issues.length) throw new AppError(422, 'inspection.incomplete', {}, issues);

      // Every check has passed: only now are the signature files written (file I/O, no second pool connection).
      const written = await this.evidence.put(signatureImages);
      created = written.created;
      const storedSignatures = written.stored;
      const now = new Date();
      await this.inspections.insertResponses(em, id, dto.responses.map((r) => ({
        itemCode: r.itemCode, result: r.result, note: r.note?.trim() || null, location: r.location?.trim() || null,
        severity: r.result === 'fail' ? r.severity ?? null : null, majorCriterion: r.result === 'fail' && r.severity === 'major' ? r.majorCriterion ?? null : null,
        scope: r.result === 'fail' ? r.scope ?? null : null, evidenceIds: [...new Set(r.evidenceIds ?? [])],
      })));
      const signatureEvidence = await this.evidence.recordMany(em, user, storedSignatures, {
        purpose: 'signature', inspectionId: id, itemCode: null, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, takenAt: now,
      });
      await this.inspections.insertSignatures(em, dto.signatures.map((s, i) => ({
        inspectionId: id, role: s.role, userId: s.role === 'inspector' ? s.userId! : null, signerName: s.signerName.trim(), evidenceId: signatureEvidence[i], signedAt: now,
      })));
      const newHazards = hazardsFrom(applicable, dto.responses, now);
      const hazards = await this.hazards.insertMany(em, newHazards.map((h) => ({
        ...h, inspectionId: id, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, checklistVersionId: inspection.checklistVersionId,
      })));
      // The bureau's counter row stays locked until commit: take the number as late as possible.
      const reportNo = await this.nextReportNo(em, bureau, now);
      await this.inspections.markSubmitted(em, id, { submissionId: dto.submissionId, submittedBy: user.id, reportNo, at: now });
      await this.outbox.addMany(em, [
        { name: 'inspection.report', jobId: `inspection-report-${id}`, payload: { inspectionId: id } },
        { name: 'score.recompute', jobId: `score-${inspection.institutionId}-${randomUUID()}`, payload: { institutionId: inspection.institutionId } },
      ]);
      await this.audit.record(em, {
        action: 'inspection.submit', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath,
        before: { status: inspection.status },
        after: { status: 'submitted', submissionId: dto.submissionId, reportNo, responses: dto.responses.length, hazards: newHazards.map((h) => h.itemCode) },
      });
      const result: SubmissionResult = {
        inspectionId: id, submissionId: dto.submissionId, hazardCount: hazards.length, hazards, reportNo, reportUrl: `/api/inspections/${id}/report.pdf`,
      };
      return { replay: false, result };
    }).catch(async (err) => {
      // Refused after the files were written (e.g. the unique index below): take back the signature files this request wrote.
      await this.evidence.discardUnreferenced(created);
      // Two different inspections submitted with one submissionId: the unique index answers.
      if ((err as { code?: string }).code === '23505' && String((err as { detail?: string }).detail).includes('submission_id')) {
        throw AppError.conflict('inspection.already_submitted');
      }
      throw err;
    });
    if (!outcome.replay) this.outbox.kick();
    return outcome;
  }

  /** The pinned version's items for the institution; a re-inspection holds only the items it was created for. */
  private async itemsOf(inspection: Inspection, institution: Parameters<ChecklistsService['pinnedApplicability']>[1]) {
    const split = await this.checklists.pinnedApplicability(inspection.checklistVersionId, institution);
    if (!inspection.itemCodes) return split;
    const keep = new Set(inspection.itemCodes);
    return {
      ...split,
      applicable: split.applicable.filter((i) => keep.has(i.code)),
      excluded: [...split.excluded, ...split.applicable.filter((i) => !keep.has(i.code)).map((item) => ({ item, reason: 'not in this re-inspection' }))],
    };
  }

  private async resultOf(inspection: Inspection, em: EntityManager): Promise<SubmissionResult> {
    const hazards = await this.hazards.forInspection(inspection.id, em);
    return {
      inspectionId: inspection.id, submissionId: inspection.submissionId!, hazardCount: hazards.length,
      hazards: hazards.map((h) => ({ id: h.id, itemCode: h.itemCode, dueDate: h.dueDate })),
      reportNo: inspection.reportNo!, reportUrl: `/api/inspections/${inspection.id}/report.pdf`,
    };
  }

  /** 常天民安检〔2026〕第0001号: numbered per issuing bureau (the institution's district) and year. */
  private async nextReportNo(em: EntityManager, bureau: IssuingBureau, at: Date): Promise<string> {
    const year = Number(shanghaiDate(at).slice(0, 4));
    const n = await this.numbers.next(em, `${bureau.series}:inspection-report`, year);
    return formatDocumentNo(bureau.abbreviation, '民安检', year, n);
  }

  private async onTeamOrThrow(user: AuthUser, id: string, em?: EntityManager, lock = false): Promise<Inspection> {
    const inspection = await this.inspections.findById(user, id, em, lock);
    if (!inspection) throw AppError.notFound('inspection.not_found');
    const team = (await this.inspections.teams([id], em)).get(id) ?? [];
    if (!isOnTeam(team, user.id)) {
      // Bureau users see the inspection but only its team may act on it.
      throw AppError.forbidden();
    }
    return inspection;
  }

  // ---------------------------------------------------------------- planning

  async createAdHoc(user: AuthUser, dto: CreateInspectionDto, extra: { parentInspectionId?: string; itemCodes?: string[]; checklistVersionId?: string } = {}): Promise<Inspection> {
    const scope = scopeOf(user);
    const institution = await this.institutions.findById(scope, dto.institutionId);
    if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'divisionOutOfScope' }]);
    const members = await this.users.findInspectors(scope, dto.teamUserIds, institution.divisionPath);
    const unknown = dto.teamUserIds.filter((uid) => !members.some((m) => m.id === uid));
    if (unknown.length) throw AppError.validation(unknown.map((uid) => ({ field: `teamUserIds`, reason: 'notInspector', args: [uid] })));
    if (new Set(dto.teamUserIds).size < 2) throw AppError.validation([{ field: 'teamUserIds', reason: 'teamTooSmall', args: [2] }]);
    const checklistVersionId = extra.checklistVersionId ?? (await this.checklists.resolveVersion(dto.checklistCode ?? 'fire-safety-inspection')).id;
    return this.dataSource.transaction(async (em) => {
      const inspection = await this.inspections.insert(em, {
        kind: dto.kind, institutionId: institution.id, divisionPath: institution.divisionPath, checklistVersionId,
        scheduledDate: dto.scheduledDate ?? null, createdBy: user.id,
        parentInspectionId: extra.parentInspectionId ?? null, itemCodes: extra.itemCodes ?? null,
      }, [...new Set(dto.teamUserIds)].map((userId, i) => ({ userId, role: i === 0 ? 'lead' : 'member' })));
      await this.audit.record(em, { action: 'inspection.create', entityType: 'inspection', entityId: inspection.id, scopePath: inspection.divisionPath, after: { ...dto, ...extra } });
      return inspection;
    });
  }

  /**
   * A plan: the pool of institutions (division subtree, kinds, statuses), a random draw (双随机) of institutions
   * and teams with its seed and rosters recorded, and one inspection per drawn institution — in one transaction.
   */
  async createPlan(user: AuthUser, dto: CreatePlanDto): Promise<InspectionPlan & { progress: { total: number; done: number } }> {
    const scope = scopeOf(user);
    const division = await this.divisions.requireWithin(scope, dto.divisionCode, 'divisionCode');
    if (dto.kind === 'random' && (dto.sampleCount === undefined) === (dto.sampleRatio === undefined)) {
      throw AppError.validation([{ field: 'sampleCount', reason: 'isDefined' }]);
    }
    const version = await this.checklists.resolveVersion(dto.checklistCode ?? 'fire-safety-inspection');
    const institutionIds = await this.institutions.idsMatching(scope, division.path, dto.institutionKinds, dto.institutionStatuses ?? ['active']);
    const inspectors = await this.users.findInspectors(scope, dto.inspectorIds, division.path);
    const unknown = dto.inspectorIds.filter((id) => !inspectors.some((u) => u.id === id));
    if (unknown.length) throw AppError.validation(unknown.map((id) => ({ field: 'inspectorIds', reason: 'notInspector', args: [id] })));
    const conflictMonths = dto.conflictMonths ?? 12;
    const since = new Date();
    since.setUTCMonth(since.getUTCMonth() - conflictMonths);
    const [recent, bound] = await Promise.all([this.inspections.recentPairs(institutionIds, since), this.inspections.boundPairs(dto.inspectorIds)]);
    const drawInput = {
      seed: dto.seed ?? randomBytes(12).toString('hex'),
      institutions: institutionIds.map((id) => ({ id })),
      inspectors: inspectors.map((u) => ({ id: u.id })),
      sample: dto.kind === 'random' ? { count: dto.sampleCount, ratio: dto.sampleRatio } : { ratio: 1 },
      teamSize: dto.teamSize ?? 2,
      conflicts: [...bound.map((c) => ({ ...c, reason: 'bound' as const })), ...recent.map((c) => ({ ...c, reason: 'recent' as const }))],
    };
    let result: DrawResult;
    try {
      result = drawInspections(drawInput);
    } catch (err) {
      if (err instanceof DrawInputError) throw AppError.validation([{ field: err.field, reason: 'drawInvalid', args: [err.message] }]);
      throw err;
    }
    return this.dataSource.transaction(async (em) => {
      const plan = await this.inspections.insertPlan(em, {
        name: dto.name, kind: dto.kind, jointAgencies: dto.jointAgencies ?? [], divisionCode: division.code, divisionPath: division.path,
        checklistVersionId: version.id, teamSize: drawInput.teamSize, conflictMonths, sampleCount: dto.sampleCount ?? null,
        sampleRatio: dto.sampleRatio ?? null, scheduledFrom: dto.scheduledFrom ?? null, scheduledTo: dto.scheduledTo ?? null,
        seed: drawInput.seed, algorithm: DRAW_ALGORITHM, drawInput, drawResult: result, createdBy: user.id,
      });
      const paths = await this.institutions.divisionPathsByIds(scope, result.selected.map((s) => s.institutionId), em);
      for (const s of result.selected) {
        await this.inspections.insert(em, {
          planId: plan.id, kind: dto.kind, institutionId: s.institutionId, divisionPath: paths.get(s.institutionId)!,
          checklistVersionId: version.id, scheduledDate: dto.scheduledFrom ?? null, createdBy: user.id,
        }, s.inspectorIds.map((userId, i) => ({ userId, role: i === 0 ? 'lead' : 'member' })));
      }
      await this.audit.record(em, {
        action: 'inspection_plan.create', entityType: 'inspection_plan', entityId: plan.id, scopePath: division.path,
        after: { name: plan.name, kind: plan.kind, seed: plan.seed, algorithm: plan.algorithm, selected: result.selected.length, unstaffed: result.unstaffed.length },
      });
      return { ...plan, progress: { total: result.selected.length, done: 0 } };
    });
  }

  async plans(user: AuthUser, query: { page: number; pageSize: number }) {
    const [items, total] = await this.inspections.pagePlans(user, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(await Promise.all(items.map(async (p) => ({ ...p, progress: await this.inspections.planProgress(p.id) }))), total, query);
  }

  async plan(user: AuthUser, id: string) {
    const plan = await this.inspections.findPlan(user, id);
    if (!plan) throw AppError.notFound('plan.not_found');
    return { ...plan, progress: await this.inspections.planProgress(id) };
  }

  /** Re-runs the recorded draw from its seed and rosters: anyone can check the published result was not chosen by hand. */
  async verifyPlan(user: AuthUser, id: string) {
    const plan = await this.plan(user, id);
    const rerun = drawInspections(plan.drawInput as unknown as Parameters<typeof drawInspections>[0]);
    return { algorithm: plan.algorithm, seed: plan.seed, reproducible: canonicalJson(rerun) === canonicalJson(plan.drawResult), result: rerun };
  }

  /** 公示: the plan's results become public once every inspection in it is submitted or cancelled. */
  async publishPlan(user: AuthUser, id: string, version: number) {
    return this.dataSource.transaction(async (em) => {
      const plan = await this.inspections.findPlan(user, id, em);
      if (!plan) throw AppError.notFound('plan.not_found');
      const progress = await this.inspections.planProgress(id);
      if (progress.done < progress.total) throw AppError.conflict('plan.not_finished');
      if (!(await this.inspections.publishPlan(em, id, version))) throw AppError.conflict();
      await this.audit.record(em, { action: 'inspection_plan.publish', entityType: 'inspection_plan', entityId: id, scopePath: plan.divisionPath, after: { status: 'published' } });
      return { ...(await this.inspections.findPlan(user, id, em))!, progress };
    });
  }

  async declareConflict(user: AuthUser, dto: ConflictDto): Promise<void> {
    const scope = scopeOf(user);
    const institution = await this.institutions.findById(scope, dto.institutionId);
    if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'divisionOutOfScope' }]);
    const [inspector] = await this.users.findInspectors(scope, [dto.userId], institution.divisionPath);
    if (!inspector) throw AppError.validation([{ field: 'userId', reason: 'notInspector', args: [dto.userId] }]);
    await this.dataSource.transaction(async (em) => {
      await this.inspections.declareConflict(em, dto.userId, dto.institutionId, dto.note);
      await this.audit.record(em, { action: 'conflict_of_interest.declare', entityType: 'user', entityId: dto.userId, scopePath: institution.divisionPath, after: { ...dto } });
    });
  }

}

function formItem(i: ChecklistItem) {
  return {
    code: i.code, title: i.title, check: i.check, severity: i.severity, majorCriterion: i.majorCriterion ?? null,
    escalatesTo: i.escalatesTo ?? null, deadlineDays: i.deadlineDays,
    evidence: { photoRequiredWhenFailed: i.evidence.photoRequiredWhenFailed, minPhotos: i.evidence.minPhotos ?? (i.evidence.photoRequiredWhenFailed ? 1 : 0) },
    basisText: basisText(i),
  };
}

export function basisText(i: Pick<ChecklistItem, 'basis'>): string {
  return i.basis.map((b) => {
    const entry = b as { document?: string; clause?: string; kind?: string; note?: string };
    if (entry.kind === 'product_default') return `产品默认（${entry.note ?? ''}）`;
    return [entry.document, entry.clause].filter(Boolean).join(' ');
  }).join('；');
}

/** A data:image/png;base64 signature, at most 300 KB (decoded and re-encoded by `EvidenceService.prepareImage`). */
function decodeSignature(dataUrl: string, field: string): Buffer {
  const m = typeof dataUrl === 'string' ? /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl) : null;
  const buf = m ? Buffer.from(m[1], 'base64') : Buffer.alloc(0);
  if (!m || buf.length < 8 || buf.length > SIGNATURE_MAX_BYTES || buf.readUInt32BE(0) !== 0x89504e47) {
    throw AppError.validation([{ field, reason: 'signatureImageInvalid' }]);
  }
  return buf;
}
