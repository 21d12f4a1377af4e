import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { AppError, FieldIssue } from '../common/app-error';
import { formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, scopeOf, SYSTEM_SCOPE } from '../common/scope';
import { DOCUMENT_SERIES, documentNoPrefix, seriesKey } from '../documents/document-numbers';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { EvidenceService } from '../evidence/evidence.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { OutboxService } from '../outbox/outbox.service';
import { HazardsRepository } from '../hazards/hazards.repository';
import { hazardsFrom, submissionIssues } from './domain/submission';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../common/validation';
import { label } from '../common/vocabulary';
import { DraftAnswerDto, DraftDto, InspectionQuery, SubmitInspectionDto } from './dto/inspection.dto';
import { answerKey, DraftAnswer, identical, ItemChange, ItemVersion, mergeDraftItems, resolveConflict } from './domain/draft-merge';
import { inspectionOrThrow, onTeamOrThrow, pinnedItems } from './inspection-access';
import { isOnTeam } from '../auth/relations';
import { Inspection } from './inspection.entity';
import { InspectionsRepository, TeamMemberView } from './inspections.repository';
import { normaliseTrail } from './domain/answer-trail';
import { InspectionCodesRepository } from './inspection-codes.repository';
import { NotificationsRepository } from '../notifications/notifications.repository';

export interface SubmissionResult {
  inspectionId: string;
  submissionId: string;
  hazardCount: number;
  hazards: { id: string; itemCode: string; dueDate: string }[];
  reportNo: string;
  reportUrl: string;
}

const SIGNATURE_MAX_BYTES = 300 * 1024;
/** 草稿每项上限: one item's draft answer (texts, up to 20 photos with their markup, the trail) stays within this. */
export const DRAFT_ITEM_MAX_BYTES = 64 * 1024;

/** The team's merged draft (GET/PUT /api/inspections/:id/draft). `draft`: the one document the previous release's page reads. */
export interface TeamDraftView {
  savedAt: Date | null;
  me: string;
  items: Record<string, ItemVersion & { byName: string | null }>;
  conflicts: { id: string; itemCode: string; createdAt: Date; sides: { by: string | null; byName: string | null; at: string; answer: DraftAnswer }[] }[];
  assignments: { categoryCode: string; userId: string; displayName: string }[];
  draft: { v: 1; inspectionId: string; answers: Record<string, DraftAnswer> } | null;
}

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
    private readonly bureaus: IssuingBureaus,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly policies: PolicyService,
    private readonly codes: InspectionCodesRepository,
    private readonly notifications: NotificationsRepository,
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

  /**
   * 开始检查 (the form's first answer). Never refused for want of the institution's 检查码 confirmation (no signal on
   * site is common): the start records whether it was confirmed (`codeConfirmed`, null without a code), and the
   * record says so (InspectionCodesService.verification).
   */
  async start(user: AuthUser, id: string): Promise<Inspection & { codeConfirmed: boolean | null }> {
    return this.dataSource.transaction(async (em) => {
      const inspection = await onTeamOrThrow(this.inspections, user, id, em);
      if (!(await this.inspections.markStarted(em, id))) throw AppError.conflict('inspection.not_open');
      const codeConfirmed = await this.codeConfirmed(id, em);
      await this.audit.record(em, { action: 'inspection.start', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath, before: { status: inspection.status }, after: { status: 'in_progress', codeConfirmed } });
      return Object.assign((await this.inspections.findById(user, id, em))!, { codeConfirmed });
    });
  }

  /** Whether the institution confirmed the inspection's 检查码 (null: the inspection has no code). */
  private async codeConfirmed(id: string, em: EntityManager): Promise<boolean | null> {
    const code = await this.codes.ofInspection(id, em);
    return code?.code ? code.confirmedAt !== null : null;
  }

  /**
   * Saves a device's changed items into the team's draft, merged per item (domain/draft-merge.ts): disjoint answers
   * all land, a real conflict is kept with both answers until a person resolves it. A whole-document draft from the
   * previous release's page is taken item by item (its base unknown). Answers the merged draft of the whole team.
   */
  async saveDraft(user: AuthUser, id: string, dto: DraftDto): Promise<TeamDraftView> {
    if (Buffer.byteLength(JSON.stringify(dto.items ?? dto.draft ?? null)) > 512 * 1024) throw new AppError(413, 'request.too_large');
    const savedAt = new Date(dto.savedAt);
    const legacy = dto.items ? null : legacyChanges(dto.draft, savedAt);
    const changes: ItemChange[] = dto.items
      ? dto.items.map((c) => ({ itemCode: c.itemCode, answer: c.answer as DraftAnswer, baseRev: c.baseRev ?? null, at: instantOr(c.answeredAt, savedAt) }))
      : legacy!.changes;
    // Only items of the inspection's pinned checklist, each answer within its size (read before the transaction:
    // the checklist is cached, but a miss must not wait for a second pool connection inside it).
    const pre = await onTeamOrThrow(this.inspections, user, id);
    const known = new Set((await this.checklists.pinnedItems(pre.checklistVersionId, pre.localRuleSetVersionId)).map((i) => i.code));
    const issues: FieldIssue[] = changes.flatMap((c, i): FieldIssue[] => {
      const field = dto.items ? `items.${i}` : `draft.answers.${c.itemCode}`;
      if (!known.has(c.itemCode)) return [{ field: dto.items ? `${field}.itemCode` : field, reason: 'draftItemUnknown', args: [c.itemCode] }];
      if (Buffer.byteLength(JSON.stringify(c.answer)) > DRAFT_ITEM_MAX_BYTES) return [{ field: `${field}${dto.items ? '.answer' : ''}`, reason: 'draftItemTooLarge', args: [DRAFT_ITEM_MAX_BYTES / 1024] }];
      return [];
    });
    if (legacy) issues.unshift(...legacy.issues);
    if (issues.length) throw AppError.validation(issues);
    return this.dataSource.transaction(async (em) => {
      // The inspection row is locked: two team members saving at once merge one after the other.
      const inspection = await onTeamOrThrow(this.inspections, user, id, em, true);
      if (inspection.status === 'submitted' || inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
      // One connection (the transaction's): the reads go one after the other.
      const { items: current, conflicts: open } = await this.inspections.draftState(id, em);
      const outcome = mergeDraftItems(current, open, changes, user.id);
      await this.inspections.writeDraftItems(em, id, outcome.writes);
      for (const [itemCode, c] of outcome.conflicts) {
        if (c.id) { await this.inspections.updateDraftConflictSides(em, c.id, c.sides); continue; }
        const conflictId = await this.inspections.insertDraftConflict(em, id, itemCode, c.sides);
        await this.audit.record(em, {
          action: 'inspection.draft_conflict', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath,
          after: { conflictId, itemCode, sides: c.sides.map((s) => ({ by: s.by, at: s.at, result: s.answer.result ?? null })) },
        });
      }
      for (const a of outcome.agreed) {
        await this.inspections.closeDraftConflict(em, a.id, { status: 'agreed' });
        await this.audit.record(em, { action: 'inspection.draft_conflict_agreed', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath, after: { conflictId: a.id, itemCode: a.itemCode } });
      }
      await this.inspections.touchDraft(em, id, savedAt);
      return this.teamDraft(user, id, em, savedAt);
    });
  }

  /**
   * The team's merged draft. After the submission it reads empty (200: no items, no conflicts, `draft` null — the
   * rows were deleted with the submission, which holds what was filed), so a page still open finds nothing to restore.
   */
  async draft(user: AuthUser, id: string): Promise<TeamDraftView> {
    await onTeamOrThrow(this.inspections, user, id);
    const { savedAt } = await this.inspections.draftOf(id);
    return this.teamDraft(user, id, this.dataSource.manager, savedAt);
  }

  /**
   * A team member chooses one side of a conflict: the item takes that answer (with its author and time), the other
   * answers stay in the conflict's record; audited. Only while the inspection is open.
   */
  async resolveDraftConflict(user: AuthUser, id: string, conflictId: string, side: number): Promise<TeamDraftView> {
    return this.dataSource.transaction(async (em) => {
      const inspection = await onTeamOrThrow(this.inspections, user, id, em, true);
      if (inspection.status === 'submitted' || inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
      const open = [...(await this.inspections.openDraftConflicts(id, em)).values()].find((c) => c.id === conflictId);
      if (!open) throw AppError.notFound('team.conflict_not_found');
      if (!Number.isInteger(side) || side < 0 || side >= open.sides.length) throw AppError.validation([{ field: 'side', reason: 'conflictSideUnknown', args: [open.sides.length] }]);
      const current = (await this.inspections.draftItems(id, em)).get(open.itemCode);
      const version = resolveConflict(open, side, current);
      await this.inspections.writeDraftItems(em, id, new Map([[open.itemCode, version]]));
      if (!(await this.inspections.closeDraftConflict(em, conflictId, { status: 'resolved', chosenSide: side, by: user.id }))) throw AppError.conflict('team.conflict_not_open');
      await this.audit.record(em, {
        action: 'inspection.draft_resolve', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath,
        before: { conflictId, itemCode: open.itemCode, sides: open.sides.map((s) => ({ by: s.by, at: s.at, result: s.answer.result ?? null })) },
        after: { conflictId, itemCode: open.itemCode, chosenSide: side, answeredBy: version.by, result: version.answer.result ?? null },
      });
      return this.teamDraft(user, id, em, new Date());
    });
  }

  /** 分工: the team lead assigns categories of the checklist to team members (replacing the earlier assignment). */
  async assignSections(user: AuthUser, id: string, rows: { categoryCode: string; userId: string }[]): Promise<TeamDraftView> {
    // The categories of the pinned checklist (read before the transaction, like the submission's checklist reads).
    const pre = await onTeamOrThrow(this.inspections, user, id);
    const categories = new Set((await this.checklists.pinnedItems(pre.checklistVersionId, pre.localRuleSetVersionId)).map((i) => i.category));
    return this.dataSource.transaction(async (em) => {
      const inspection = await onTeamOrThrow(this.inspections, user, id, em, true);
      if (inspection.status === 'submitted' || inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
      const team = (await this.inspections.teams([id], em)).get(id) ?? [];
      if (!team.some((m) => m.userId === user.id && m.role === 'lead')) throw AppError.forbidden('team.lead_only');
      const seen = new Set<string>();
      const issues: FieldIssue[] = rows.flatMap((r, i) => {
        const out: FieldIssue[] = [];
        if (!categories.has(r.categoryCode)) out.push({ field: `assignments.${i}.categoryCode`, reason: 'categoryUnknown', args: [r.categoryCode] });
        else if (seen.has(r.categoryCode)) out.push({ field: `assignments.${i}.categoryCode`, reason: 'categoryDuplicate', args: [r.categoryCode] });
        seen.add(r.categoryCode);
        if (!team.some((m) => m.userId === r.userId)) out.push({ field: `assignments.${i}.userId`, reason: 'notOnTeam' });
        return out;
      });
      if (issues.length) throw AppError.validation(issues);
      const before = await this.inspections.sectionAssignments(id, em);
      await this.inspections.replaceSectionAssignments(em, id, rows, user.id);
      await this.audit.record(em, { action: 'inspection.assign_sections', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath, before: { assignments: before }, after: { assignments: rows } });
      return this.teamDraft(user, id, em, new Date());
    });
  }

  /** The team's merged draft as a device needs it, plus the one document the previous release's page reads. */
  private async teamDraft(user: AuthUser, id: string, em: EntityManager, savedAt: Date | null): Promise<TeamDraftView> {
    // Sequential: `em` may be a transaction's single connection.
    const { items, conflicts: open } = await this.inspections.draftState(id, em);
    const team = await this.inspections.teams([id], em);
    const assignments = await this.inspections.sectionAssignments(id, em);
    const names = new Map((team.get(id) ?? []).map((m) => [m.userId, m.displayName]));
    const nameOf = (by: string | null) => (by ? names.get(by) ?? null : null);
    const answers: Record<string, DraftAnswer> = {};
    const out: TeamDraftView['items'] = {};
    for (const [code, { own: _own, ...v }] of items) { // who wrote which words stays on the server
      answers[code] = v.answer;
      out[code] = { ...v, byName: nameOf(v.by) };
    }
    return {
      savedAt, me: user.id, items: out,
      conflicts: [...open.values()].map((c) => ({ id: c.id, itemCode: c.itemCode, createdAt: c.createdAt, sides: c.sides.map((s) => ({ ...s, byName: nameOf(s.by) })) })),
      assignments: assignments.map((a) => ({ ...a, displayName: names.get(a.userId) ?? '' })),
      draft: items.size ? { v: 1, inspectionId: id, answers } : null,
    };
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
      // The inspection row locked, then what the checks below need in one read: team, team draft, finding photos.
      const inspection = await this.inspections.findById(user, id, em, true);
      if (!inspection) throw AppError.notFound('inspection.not_found');
      const { team, items: draftItems, conflicts, photos } = await this.inspections.submissionState(id, em);
      if (!isOnTeam(team, user.id)) throw AppError.forbidden();
      if (inspection.status === 'submitted') {
        if (inspection.submissionId === dto.submissionId) return { replay: true, result: await this.resultOf(inspection, em) };
        throw AppError.conflict('inspection.already_submitted');
      }
      if (inspection.status === 'cancelled') throw AppError.conflict('inspection.not_open');
      // 团队草稿: an answer two team members gave differently must be chosen by a person before filing.
      const openConflicts = [...conflicts.values()];
      if (openConflicts.length) {
        throw new AppError(409, 'team.conflicts_open', { count: openConflicts.length },
          openConflicts.map((c) => ({ field: `responses.${c.itemCode}`, reason: 'draftConflictOpen', args: [c.itemCode] })));
      }
      // A submission never silently overwrites a teammate's different answer: an item whose team-draft answer was
      // given by another member, with another result or grade, must be looked at (synced, chosen) first.
      const differing = dto.responses.flatMap((r) => {
        const v = draftItems.get(r.itemCode);
        if (!v || !v.by || v.by === user.id || !v.answer.result) return [];
        const mine = responseAnswer(r);
        if (answerKey(mine) === answerKey(v.answer) || identical(mine, v.answer)) return [];
        return [{ itemCode: r.itemCode, by: v.by, at: v.at, theirs: answerKey(v.answer), submitted: answerKey(mine) }];
      });
      if (differing.length) {
        const nameOf = (by: string) => team.find((m) => m.userId === by)?.displayName ?? '';
        throw new AppError(409, 'team.answer_differs', { count: differing.length }, differing.map((d) => ({
          field: `responses.${d.itemCode}`, reason: 'answerDiffers',
          args: [d.itemCode, nameOf(d.by), answerText(d.theirs), answerText(d.submitted)],
        })));
      }

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
      const newHazards = hazardsFrom(applicable, dto.responses, now, { policy: policy.values, calendar });
      // Responses with their 作答轨迹 (when and where each answer was given; older clients send none), evidence links
      // and the hazards found, in one statement.
      const { trailItems, hazards } = await this.inspections.insertResponses(em, id, dto.responses.map((r) => ({
        itemCode: r.itemCode, result: r.result, note: r.note?.trim() || null, location: r.location?.trim() || null,
        // A suspected major finding is general until the bureau decides (it carries no criterion).
        severity: r.result !== 'fail' ? null : r.suspectedMajor ? 'general' : r.severity ?? null,
        majorCriterion: r.result === 'fail' && !r.suspectedMajor && r.severity === 'major' ? r.majorCriterion ?? null : null,
        scope: r.result === 'fail' ? r.scope ?? null : null, evidenceIds: [...new Set(r.evidenceIds ?? [])], trail: normaliseTrail(r.trail),
      })), newHazards.map((h) => ({
        ...h, inspectionId: id, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, checklistVersionId: inspection.checklistVersionId,
        productPolicyVersionId: inspection.productPolicyVersionId ?? null, suspectedBy: h.majorStatus === 'suspected' ? user.id : null,
        createdAt: now, // = submitted_at below: the dashboard counts found days from hazard.created_at, the ledger from submitted_at
      })));
      const signatureEvidence = await this.evidence.recordMany(em, user, storedSignatures, {
        purpose: 'signature', inspectionId: id, itemCode: null, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, takenAt: now,
      });
      await this.inspections.insertSignatures(em, dto.signatures.map((s, i) => ({
        inspectionId: id, role: s.role, userId: s.role === 'inspector' ? s.userId! : null, signerName: s.signerName.trim(), evidenceId: signatureEvidence[i], signedAt: now,
      })));
      const codeConfirmed = await this.codeConfirmed(id, em);
      const ratingWindowDays = (await this.policies.byId(inspection.productPolicyVersionId ?? null)).values.inspectionCodes.ratingWindowDays;
      // 评价: the institution is told it may rate the visit (the team's names, the window; only the bureau reads ratings).
      await this.notifications.notify(em, {
        audience: 'institution', institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, kind: 'inspection.rating_invited',
        title: `请评价本次检查：${label('inspectionKind', inspection.kind)}`,
        body: `检查组（${team.map((m) => m.displayName).join('、')}）已于 ${formatChineseDateTime(now)} 提交检查记录。请在 ${ratingWindowDays} 天内对检查人员执法规范、问题是否指出清楚作出评价；评价只有主管部门可见。`,
        entityType: 'inspection', entityId: id, dedupKey: `inspection-rating-invited-${id}`,
      });
      await this.outbox.addMany(em, [
        { name: 'inspection.report', jobId: `inspection-report-${id}`, payload: { inspectionId: id } },
        { name: 'score.recompute', jobId: `score-${inspection.institutionId}-${randomUUID()}`, payload: { institutionId: inspection.institutionId } },
      ]);
      // Filed with its report number, and the team's draft rows (notes, photo keys, positions) deleted: the submission
      // holds what was filed. The last write before the audit event, so a gapless series' counter row (ADR 0002)
      // would be locked only for the audit's insert and the commit; the default series takes a sequence's number.
      const year = Number(shanghaiDate(now).slice(0, 4));
      const { reportNo, draftRows } = await this.inspections.markSubmitted(em, id, {
        submissionId: dto.submissionId, submittedBy: user.id, at: now,
        reportNo: { series: seriesKey(bureau.series, 'inspection-report'), year, prefix: documentNoPrefix(bureau.abbreviation, DOCUMENT_SERIES['inspection-report'].type, year), gapless: DOCUMENT_SERIES['inspection-report'].gapless },
      });
      await this.audit.record(em, {
        action: 'inspection.submit', entityType: 'inspection', entityId: id, scopePath: inspection.divisionPath,
        before: { status: inspection.status },
        after: {
          status: 'submitted', submissionId: dto.submissionId, reportNo, responses: dto.responses.length, hazards: newHazards.map((h) => h.itemCode),
          suspectedMajor: newHazards.filter((h) => h.majorStatus === 'suspected').map((h) => h.itemCode),
          trailItems, draftRowsDeleted: draftRows, codeConfirmed,
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

/** A device's instant, or the save's when absent or unreadable. */
function instantOr(at: string | undefined, fallback: Date): string {
  const t = at ? Date.parse(at) : NaN;
  return new Date(Number.isNaN(t) ? fallback.getTime() : t).toISOString();
}

/**
 * The previous release's whole-document draft, item by item (its base unknown, so merged, never overwriting). Each
 * answer is checked like a device's changed item (DraftAnswerDto: known fields and values, bounded); a bad one is
 * an issue naming `draft.answers.<code>.<field>` (the caller refuses the save with every issue).
 */
function legacyChanges(draft: Record<string, unknown> | undefined, savedAt: Date): { changes: ItemChange[]; issues: FieldIssue[] } {
  const answers = draft && typeof draft.answers === 'object' && draft.answers && !Array.isArray(draft.answers) ? (draft.answers as Record<string, unknown>) : {};
  const issues: FieldIssue[] = [];
  const changes: ItemChange[] = [];
  for (const [code, a] of Object.entries(answers)) {
    const field = `draft.answers.${code}`;
    if (!/^[A-Z]{2,8}-\d{3}$/.test(code)) { issues.push({ field, reason: 'draftItemUnknown', args: [code] }); continue; }
    if (!a || typeof a !== 'object' || Array.isArray(a)) { issues.push({ field, reason: 'isObject' }); continue; }
    const dto = plainToInstance(DraftAnswerDto, a);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) { issues.push(...flattenValidationErrors(errors, field)); continue; }
    changes.push({ itemCode: code, answer: JSON.parse(JSON.stringify(dto)) as DraftAnswer, baseRev: null, at: instantOr((a as { answeredAt?: string }).answeredAt, savedAt) });
  }
  return { changes, issues };
}

/** A submitted response as a draft answer, to compare with the team draft's (result and grade). */
function responseAnswer(r: SubmitInspectionDto['responses'][number]): DraftAnswer {
  return { result: r.result, severity: r.severity ?? null, suspectedMajor: r.suspectedMajor ?? false };
}

/** `answerKey` in words: 合格 / 不合格（重大隐患）/ 不合格（疑似重大隐患）… */
function answerText(key: string): string {
  const [result, grade] = key.split('/');
  const text = label('responseResult', result);
  if (!grade) return text;
  return `${text}（${grade === 'suspected' ? '疑似重大隐患' : label('severity', grade)}）`;
}
