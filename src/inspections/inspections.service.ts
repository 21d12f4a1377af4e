import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { AppError, FieldIssue } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf, SYSTEM_SCOPE } from '../common/scope';
import { DocumentNumbers, formatDocumentNo } from '../documents/document-numbers';
import { IssuingBureau, IssuingBureaus } from '../documents/issuing-bureau';
import { EvidenceService } from '../evidence/evidence.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { OutboxService } from '../outbox/outbox.service';
import { HazardsRepository } from '../hazards/hazards.repository';
import { hazardsFrom, submissionIssues } from './domain/submission';
import { InspectionQuery, SubmitInspectionDto } from './dto/inspection.dto';
import { inspectionOrThrow, onTeamOrThrow, pinnedItems } from './inspection-access';
import { Inspection } from './inspection.entity';
import { InspectionsRepository, TeamMemberView } from './inspections.repository';

export interface SubmissionResult {
  inspectionId: string;
  submissionId: string;
  hazardCount: number;
  hazards: { id: string; itemCode: string; dueDate: string }[];
  reportNo: string;
  reportUrl: string;
}

const SIGNATURE_MAX_BYTES = 300 * 1024;

/**
 * The inspection lifecycle: reading inspections, and the team's actions on one (start, draft, finding photos,
 * submit). Planning is `PlansService`; the on-site form's read model is `InspectionFormService`.
 */
@Injectable()
export class InspectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inspections: InspectionsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly checklists: ChecklistsService,
    private readonly evidence: EvidenceService,
    private readonly hazards: HazardsRepository,
    private readonly numbers: DocumentNumbers,
    private readonly bureaus: IssuingBureaus,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly policies: PolicyService,
  ) {}

  // ---------------------------------------------------------------- reading

  async list(user: AuthUser, query: InspectionQuery & { mine?: boolean }): Promise<Page<Inspection & { institutionName: string; team: TeamMemberView[] }>> {
    const [rows, total] = await this.inspections.page(user, query, (query.page - 1) * query.pageSize, query.pageSize);
    const teams = await this.inspections.teams(rows.map((r) => r.id));
    // The inspections were read in the caller's scope (an inspector's team may work outside its own division).
    const names = await this.institutions.namesByIds(SYSTEM_SCOPE, rows.map((r) => r.institutionId));
    return pageOf(rows.map((r) => ({ ...r, institutionName: names.get(r.institutionId) ?? '', team: teams.get(r.id) ?? [] })), total, query);
  }

  get(user: AuthUser, id: string): Promise<Inspection> {
    return inspectionOrThrow(this.inspections, user, id);
  }

  async detail(user: AuthUser, id: string) {
    const inspection = await this.get(user, id);
    const institution = (await this.institutions.findById(scopeOf(user).kind === 'institution' ? scopeOf(user) : { kind: 'division', path: '/' }, inspection.institutionId))!;
    const [teams, responses, hazards] = await Promise.all([
      this.inspections.teams([id]), this.inspections.responses(id), this.hazards.forInspection(id),
    ]);
    return { inspection, institution, team: teams.get(id) ?? [], responses, hazards };
  }

  // ---------------------------------------------------------------- team actions

  async start(user: AuthUser, id: string): Promise<Inspection> {
    return this.dataSource.transaction(async (em) => {
      const inspection = await onTeamOrThrow(this.inspections, user, id, em);
      if (!(await this.inspections.markStarted(em, id))) throw AppError.conflict('inspection.not_open');
      await this.audit.record(em, { action: 'inspection.start', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath, before: { status: inspection.status }, after: { status: 'in_progress' } });
      return (await this.inspections.findById(user, id, em))!;
    });
  }

  async saveDraft(user: AuthUser, id: string, draft: unknown, savedAt: Date): Promise<{ savedAt: Date }> {
    const inspection = await onTeamOrThrow(this.inspections, user, id);
    if (inspection.status === 'submitted' || inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
    if (Buffer.byteLength(JSON.stringify(draft)) > 512 * 1024) throw new AppError(413, 'request.too_large');
    await this.inspections.saveDraft(id, draft, savedAt);
    return { savedAt };
  }

  async draft(user: AuthUser, id: string) {
    await onTeamOrThrow(this.inspections, user, id);
    return this.inspections.draftOf(id);
  }

  /**
   * Where a finding photo may go: an open inspection the user is on, and an item of its pinned checklist.
   * Checked before the upload's bytes are accepted, and again when they are stored.
   */
  async photoTarget(user: AuthUser, inspectionId: string, itemCode: string): Promise<Inspection> {
    const inspection = await onTeamOrThrow(this.inspections, user, inspectionId);
    if (inspection.status === 'submitted' || inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
    if (!(await this.checklists.hasItem(inspection.checklistVersionId, itemCode, inspection.localRuleSetVersionId))) throw AppError.validation([{ field: 'itemCode', reason: 'itemNotApplicable' }]);
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
    const { applicable, excluded } = await pinnedItems(this.checklists, before, institution);
    const majorCriteria = new Set((await this.checklists.majorCriteria()).map((c) => c.code));
    // The policy pinned on the inspection decides signatures and deadlines (null: the values before policies were data).
    const policy = await this.policies.byId(before.productPolicyVersionId ?? null);
    const calendar = await this.policies.calendar();
    const bureau = await this.bureaus.of(before.divisionPath);
    let created: string[] = [];
    const outcome = await this.dataSource.transaction(async (em) => {
      const inspection = await onTeamOrThrow(this.inspections, user, id, em, true);
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
        minInspectorSignatures: policy.values.team.minInspectorSignatures,
      }, dto.responses, dto.signatures);
      if (issues.length) throw new AppError(422, 'inspection.incomplete', {}, issues);

      // Every check has passed: only now are the signature files written (file I/O, no second pool connection).
      const written = await this.evidence.put(signatureImages);
      created = written.created;
      const storedSignatures = written.stored;
      const now = new Date();
      await this.inspections.insertResponses(em, id, dto.responses.map((r) => ({
        itemCode: r.itemCode, result: r.result, note: r.note?.trim() || null, location: r.location?.trim() || null,
        // A suspected major finding is general until the bureau decides (it carries no criterion).
        severity: r.result !== 'fail' ? null : r.suspectedMajor ? 'general' : r.severity ?? null,
        majorCriterion: r.result === 'fail' && !r.suspectedMajor && r.severity === 'major' ? r.majorCriterion ?? null : null,
        scope: r.result === 'fail' ? r.scope ?? null : null, evidenceIds: [...new Set(r.evidenceIds ?? [])],
      })));
      const signatureEvidence = await this.evidence.recordMany(em, user, storedSignatures, {
        purpose: 'signature', inspectionId: id, itemCode: null, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, takenAt: now,
      });
      await this.inspections.insertSignatures(em, dto.signatures.map((s, i) => ({
        inspectionId: id, role: s.role, userId: s.role === 'inspector' ? s.userId! : null, signerName: s.signerName.trim(), evidenceId: signatureEvidence[i], signedAt: now,
      })));
      const newHazards = hazardsFrom(applicable, dto.responses, now, { policy: policy.values, calendar });
      const hazards = await this.hazards.insertMany(em, newHazards.map((h) => ({
        ...h, inspectionId: id, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, checklistVersionId: inspection.checklistVersionId,
        productPolicyVersionId: inspection.productPolicyVersionId ?? null, suspectedBy: h.majorStatus === 'suspected' ? user.id : null,
        createdAt: now, // = submitted_at below: the dashboard counts found days from hazard.created_at, the ledger from submitted_at
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
        after: {
          status: 'submitted', submissionId: dto.submissionId, reportNo, responses: dto.responses.length, hazards: newHazards.map((h) => h.itemCode),
          suspectedMajor: newHazards.filter((h) => h.majorStatus === 'suspected').map((h) => h.itemCode),
        },
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
