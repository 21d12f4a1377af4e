import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../auth/permissions';
import { AppError } from '../common/app-error';
import { daysBetween, shanghaiDate } from '../common/calendar';
import { pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { DOCUMENT_SERIES, documentNoPrefix, seriesKey } from '../documents/document-numbers';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { EvidenceService } from '../evidence/evidence.service';
import { InspectionsRepository } from '../inspections/inspections.repository';
import { PlansService } from '../inspections/plans.service';
import { JobContext, JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { OutboxService } from '../outbox/outbox.service';
import { PolicyService } from '../checklists/policy.service';
import type { PolicyVersion, WorkingCalendar } from '../checklists/domain/policy';
import { Actor, availability, decide, HazardAction, HazardMove, LifecycleContext, Refusal, secondRound } from './domain/hazard-lifecycle';
import { checkLedgerQuery, DecisionDto, DeadlineDto, ExtensionRequestDto, ObjectionDto, PlanDto, ReinspectionDto, RespondDto, VerifyDto } from './dto/rectification.dto';
import { latestDueDate, maxDeadlineDays } from '../hazards/domain/deadlines';
import { Hazard } from '../hazards/hazard.entity';
import { HazardFilter, HazardsRepository } from '../hazards/hazards.repository';
import { MajorHazardsService } from './major-hazards.service';
import { RectificationRepository } from './rectification.repository';

/** What a move needs from outside its transaction: the policy the hazard pins and the working-day calendar. */
interface Rules {
  policy: PolicyVersion;
  calendar: WorkingCalendar;
}

/**
 * The hazard loop (整改闭环). Every move loads the hazard's pinned policy and the calendar (before the transaction),
 * then locks the hazard, builds the lifecycle context, asks `decide()` (domain/hazard-lifecycle.ts), writes its
 * changes and the audit event in one transaction; the database trigger refuses any transition decide() refuses.
 */
@Injectable()
export class RectificationService {
  private readonly logger = new Logger(RectificationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: RectificationRepository,
    private readonly hazards: HazardsRepository,
    private readonly inspections: InspectionsRepository,
    private readonly plans: PlansService,
    private readonly bureaus: IssuingBureaus,
    private readonly evidence: EvidenceService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly policies: PolicyService,
    private readonly majorHazards: MajorHazardsService,
  ) {}

  // ---------------------------------------------------------------- reading

  /** 隐患台账: the ledger page and GET /api/hazards (the exports read the same condition: hazardLedgerWhere). Newest found first unless sorted. */
  async ledger(user: AuthUser, filter: HazardFilter & { page: number; pageSize: number }) {
    checkLedgerQuery(filter);
    const [items, total] = await this.hazards.page(scopeOf(user), { ...filter, sort: filter.sort ?? '-found' }, (filter.page - 1) * filter.pageSize, filter.pageSize);
    return pageOf(items, total, filter);
  }

  /** A hazard, its history, its 陈述申辩 deadline and what the caller may do with it now (`allowedActions`, with the reasons for the rest). */
  async hazard(user: AuthUser, id: string) {
    const h = await this.repo.hazard(scopeOf(user), id);
    if (!h) throw AppError.notFound('hazard.not_found');
    const rules = await this.rules(h);
    const [history, ctx, notice, findings] = await Promise.all([
      this.repo.history(id), this.context(this.dataSource.manager, h, rules), this.repo.noticeOfInspection(this.dataSource.manager, h.inspectionId),
      this.evidence.forInspection(h.inspectionId, 'finding'),
    ]);
    const timeline = await this.repo.timelineEvents(h, notice?.id ?? null);
    const actions = availability(h, actorOf(user), ctx);
    // Dates counted in a year without a calendar file fall back to Monday–Friday: say so next to them.
    const calendarWarnings = [...new Set([
      ...rules.calendar.warnings(shanghaiDate(h.createdAt), h.dueDate),
      ...(ctx.objectionDeadline && ctx.objectionWindowFrom ? rules.calendar.warnings(ctx.objectionWindowFrom, ctx.objectionDeadline) : []),
    ])];
    const today = shanghaiDate(new Date());
    return {
      hazard: h, history, objectionDeadline: ctx.objectionDeadline, calendarWarnings,
      /** 整改前: the inspection's photos of this item (its evidence); the after-photos are the responses' `evidenceIds` */
      beforePhotoIds: findings.filter((e) => e.itemCode === h.itemCode).map((e) => e.id),
      notice: notice ? { id: notice.id, noticeNo: notice.noticeNo, issuedAt: notice.issuedAt, acknowledgedAt: notice.acknowledgedAt } : null,
      /** what happened, oldest first, with who (the audit trail of the hazard, its finding, its notice and its re-inspection) */
      timeline,
      /** the latest due date a deadline set today may have (the pinned policy's maximum for the severity) */
      deadlinePolicy: { maxDays: maxDeadlineDays(h.severity, rules.policy.values), latest: latestDueDate(h.severity, today, rules.policy.values, rules.calendar) },
      allowedActions: actions.filter((a) => a.allowed).map((a) => a.action),
      refusals: Object.fromEntries(actions.filter((a) => !a.allowed && a.refusal!.refusal !== 'request.forbidden').map((a) => [a.action, a.refusal!.refusal])) as Partial<Record<HazardAction, string>>,
    };
  }

  /**
   * The hazard's re-inspection: whether it is still to be done (then no second one may be scheduled) and whether the
   * viewer may open it (an institution sees an inspection only once it is submitted).
   */
  async reinspectionState(user: AuthUser, reinspectionId: string): Promise<{ open: boolean; visible: boolean }> {
    const [open, seen] = await Promise.all([this.repo.isOpenInspection(reinspectionId), this.inspections.findById(user, reinspectionId)]);
    return { open, visible: seen != null };
  }

  /** How many of an inspection's hazards are not closed (what a re-inspection of it would check). */
  async openHazardCount(user: AuthUser, inspectionId: string): Promise<number> {
    if (!(await this.inspections.findById(user, inspectionId))) return 0;
    return (await this.hazards.forInspection(inspectionId)).filter((h) => h.status !== 'closed').length;
  }

  async notices(user: AuthUser, query: { page: number; pageSize: number }) {
    const [items, total] = await this.repo.pageNotices(scopeOf(user), (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async notice(user: AuthUser, id: string) {
    const notice = await this.repo.notice(scopeOf(user), id);
    if (!notice) throw AppError.notFound('notice.not_found');
    return { notice, hazards: await this.hazards.forInspection(notice.inspectionId) };
  }

  // ---------------------------------------------------------------- notices

  /** 整改通知书: one per inspection with hazards, numbered gaplessly per issuing bureau and year; the PDF goes to the queue. */
  /** `expectedNo`: the number the preview showed; when another notice took it first, nothing is issued (409). */
  async issueNotice(user: AuthUser, inspectionId: string, expectedNo?: string) {
    if (!can(user, 'notice.issue')) throw AppError.forbidden();
    const found = await this.inspections.findById(user, inspectionId);
    if (!found || found.status !== 'submitted') throw AppError.notFound('inspection.not_found');
    const bureau = await this.bureaus.of(found.divisionPath);
    const result = await this.dataSource.transaction(async (em) => {
      const inspection = await this.inspections.findById(user, inspectionId, em, true);
      if (!inspection || inspection.status !== 'submitted') throw AppError.notFound('inspection.not_found');
      const existing = await this.repo.noticeOfInspection(em, inspectionId);
      if (existing) return { notice: existing, created: false };
      const hazards = await this.hazards.forInspection(inspectionId, em);
      if (!hazards.length) throw AppError.conflict('notice.no_hazards');
      const now = new Date();
      const year = Number(shanghaiDate(now).slice(0, 4));
      const id = randomUUID();
      // Everything that does not need the number first: the bureau's counter row is locked from the numbered insert
      // to commit, so only the writes that carry the number (the notification, the audit event) follow it.
      await this.outbox.add(em, 'notice.pdf', `notice-pdf-${id}`, { noticeId: id });
      const notice = await this.repo.insertNumberedNotice(em, {
        id, inspectionId, institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, issuedBy: user.id, at: now,
        verifyToken: randomBytes(16).toString('hex'),
        number: { series: seriesKey(bureau.series, 'notice'), year, prefix: documentNoPrefix(bureau.abbreviation, DOCUMENT_SERIES.notice.type, year) },
      });
      const noticeNo = notice.noticeNo;
      // Thrown inside the transaction: the number taken is given back with the rollback (the series stays gapless).
      if (expectedNo !== undefined && expectedNo !== noticeNo) throw AppError.conflict('notice.number_changed', { expected: expectedNo, actual: noticeNo });
      await this.repo.notify(em, {
        audience: 'institution', institutionId: inspection.institutionId, divisionPath: inspection.divisionPath, kind: 'notice.issued',
        title: `收到整改通知书 ${noticeNo}`, body: `共 ${hazards.length} 项隐患，请在期限内整改并在线回复。`, entityType: 'notice', entityId: id, dedupKey: `notice-issued-${id}`,
      });
      await this.audit.record(em, { action: 'notice.issue', entityType: 'notice', entityId: id, scopePath: inspection.divisionPath, after: { noticeNo, inspectionId, hazards: hazards.length } });
      return { notice, created: true };
    });
    if (result.created) this.outbox.kick();
    return result;
  }

  /** The institution confirms receipt (送达). */
  async acknowledge(user: AuthUser, noticeId: string) {
    if (!can(user, 'notice.acknowledge')) throw AppError.forbidden();
    return this.dataSource.transaction(async (em) => {
      const notice = await this.repo.notice(scopeOf(user), noticeId, em);
      if (!notice) throw AppError.notFound('notice.not_found');
      if (!(await this.repo.acknowledge(em, noticeId, user.id, new Date()))) throw AppError.conflict('notice.already_acknowledged');
      await this.audit.record(em, { action: 'notice.acknowledge', entityType: 'notice', entityId: noticeId, scopePath: notice.divisionPath, after: { acknowledgedBy: user.id } });
      return (await this.repo.notice(scopeOf(user), noticeId, em))!;
    });
  }

  // ---------------------------------------------------------------- the institution's moves

  /** The institution (or an officer on its behalf, e.g. from a paper reply) reports what it fixed, with after-photos. */
  async respond(user: AuthUser, hazardId: string, dto: RespondDto) {
    if (!can(user, 'hazard.respond')) throw AppError.forbidden();
    return this.move(user, hazardId, { type: 'respond' }, async (em, h) => {
      const ids = dto.evidenceIds ?? [];
      const photos = await this.evidence.byIds(ids, em);
      const foreign = ids.filter((id) => !photos.some((p) => p.id === id && p.purpose === 'rectification' && p.inspectionId === h.inspectionId && p.itemCode === h.itemCode));
      if (foreign.length) throw AppError.validation([{ field: 'evidenceIds', reason: 'evidenceNotFound', args: [h.itemCode, foreign.join(', ')] }]);
      const responseId = await this.repo.insertResponse(em, { hazardId, ...dto, submittedBy: user.id, at: new Date(), evidenceIds: ids });
      await this.repo.notify(em, {
        audience: 'bureau', institutionId: null, divisionPath: h.divisionPath, kind: 'hazard.responded', title: `隐患已整改待复核：${h.itemCode}`,
        body: h.titleZh, entityType: 'hazard', entityId: hazardId, dedupKey: `hazard-responded-${responseId}`,
      });
      return { changes: {}, after: { responseId, ...dto } };
    });
  }

  async uploadRectificationPhoto(user: AuthUser, hazardId: string, file: Buffer | undefined, meta: { takenAt?: Date; lat?: number; lng?: number; originalName?: string }) {
    if (!can(user, 'hazard.photo')) throw AppError.forbidden();
    const h = await this.repo.hazard(scopeOf(user), hazardId);
    if (!h) throw AppError.notFound('hazard.not_found');
    if (h.status !== 'open' && h.status !== 'returned') throw AppError.conflict('hazard.wrong_status');
    const stored = await this.evidence.storeImage(file);
    return this.dataSource.transaction(async (em) => {
      const ev = await this.evidence.record(em, user, stored, {
        purpose: 'rectification', inspectionId: h.inspectionId, itemCode: h.itemCode, institutionId: h.institutionId, divisionPath: h.divisionPath,
        takenAt: meta.takenAt ?? null, gps: meta.lat !== undefined && meta.lng !== undefined ? { lat: meta.lat, lng: meta.lng } : null, originalName: meta.originalName ?? null,
      });
      await this.audit.record(em, { action: 'evidence.upload', entityType: 'evidence', entityId: ev.id, scopePath: h.divisionPath, after: { hazardId, sha256: ev.sha256 } });
      return ev;
    });
  }

  /** 延期申请: only before the deadline; one pending request at a time. */
  async requestExtension(user: AuthUser, hazardId: string, dto: ExtensionRequestDto) {
    if (!can(user, 'extension.request')) throw AppError.forbidden();
    const rules = await this.rulesOf(user, hazardId);
    return this.dataSource.transaction(async (em) => {
      const h = await this.lockHazard(user, hazardId, em);
      await this.decided(em, user, h, { type: 'extend_request', requestedDueDate: dto.requestedDueDate }, rules);
      const id = await this.repo.insertExtension(em, { hazardId, requestedBy: user.id, at: new Date(), previousDueDate: h.dueDate, requestedDueDate: dto.requestedDueDate, reason: dto.reason })
        .catch((e) => { throw isUnique(e) ? AppError.conflict('hazard.extension_pending') : e; });
      await this.audit.record(em, { action: 'hazard.extension_request', entityType: 'hazard', entityId: hazardId, scopePath: h.divisionPath, after: { extensionId: id, ...dto } });
      return { id, status: 'pending', ...dto };
    });
  }

  async decideExtension(user: AuthUser, extensionId: string, dto: DecisionDto) {
    if (!can(user, 'extension.decide')) throw AppError.forbidden();
    const rules = await this.rulesOfRequest(user, 'hazard_extension', extensionId, 'extension.not_found');
    return this.changing(async (em) => {
      const [ext, h] = await this.lockRequest(user, em, await this.repo.extension(em, extensionId), 'extension.not_found');
      if (ext.status !== 'pending') throw AppError.conflict('extension.decided');
      const { changes } = await this.decided(em, user, h, { type: 'extend_decide', approve: dto.approve }, rules);
      if (!(await this.repo.decideExtension(em, extensionId, dto.approve, user.id, dto.reason, new Date()))) throw AppError.conflict('extension.decided');
      if (Object.keys(changes).length) await this.updateHazard(em, h, changes);
      await this.repo.notify(em, {
        audience: 'institution', institutionId: h.institutionId, divisionPath: h.divisionPath, kind: 'extension.decided',
        title: dto.approve ? `延期申请已批准：${h.itemCode}` : `延期申请未批准：${h.itemCode}`,
        body: dto.approve ? `新的整改期限 ${ext.requestedDueDate}。理由：${dto.reason}` : `整改期限仍为 ${h.dueDate}。理由：${dto.reason}`,
        entityType: 'hazard', entityId: h.id, dedupKey: `extension-decided-${extensionId}`,
      });
      await this.audit.record(em, {
        action: dto.approve ? 'hazard.extension_approve' : 'hazard.extension_refuse', entityType: 'hazard', entityId: h.id, scopePath: h.divisionPath,
        before: { dueDate: h.dueDate }, after: { dueDate: dto.approve ? ext.requestedDueDate : h.dueDate, reason: dto.reason },
      });
      return { id: extensionId, hazardId: h.id, status: dto.approve ? 'approved' : 'refused' };
    });
  }

  /** 陈述申辩: within the pinned policy's working days (by the calendar file) after the notice's service or a later major confirmation (any time before a notice). */
  async fileObjection(user: AuthUser, hazardId: string, dto: ObjectionDto) {
    if (!can(user, 'objection.file')) throw AppError.forbidden();
    const rules = await this.rulesOf(user, hazardId);
    return this.changing(async (em) => {
      const h = await this.lockHazard(user, hazardId, em);
      const ctx = await this.context(em, h, rules);
      const d = decide(h, { type: 'object' }, actorOf(user), ctx);
      if (!d.ok) throw refusalError(d);
      const { changes } = d;
      // Round 2: against a major confirmation that came after the first objection was filed.
      const round = secondRound(h, ctx) ? 2 : 1;
      const id = await this.repo.insertObjection(em, { hazardId, statement: dto.statement, filedBy: user.id, at: new Date(), round })
        .catch((e) => { throw isUnique(e) ? AppError.conflict('hazard.objection_exists') : e; });
      // A hazard listed before this release while its window was open comes off the list until the objection is decided.
      if (Object.keys(changes).length) await this.updateHazard(em, h, changes);
      await this.audit.record(em, {
        action: 'hazard.objection_file', entityType: 'hazard', entityId: hazardId, scopePath: h.divisionPath,
        before: { listed: h.listed }, after: { objectionId: id, round, listed: changes.listed ?? h.listed },
      });
      return { id, status: 'pending' };
    });
  }

  /** Decided by an officer who was not on the inspection team. Upheld: the finding is withdrawn and the hazard closed. */
  async decideObjection(user: AuthUser, objectionId: string, dto: DecisionDto) {
    if (!can(user, 'objection.decide')) throw AppError.forbidden();
    const rules = await this.rulesOfRequest(user, 'hazard_objection', objectionId, 'objection.not_found');
    return this.changing(async (em) => {
      const [, h] = await this.lockRequest(user, em, await this.repo.objection(em, objectionId), 'objection.not_found');
      const { status, changes } = await this.decided(em, user, h, { type: 'object_decide', approve: dto.approve }, rules);
      // The objection is decided first: the trigger refuses listing a hazard whose objection is still pending.
      if (!(await this.repo.decideObjection(em, objectionId, dto.approve, user.id, dto.reason, new Date()))) throw AppError.conflict('objection.decided');
      if (Object.keys(changes).length || status !== h.status) {
        if (!(await this.updateHazard(em, h, { ...changes, status }))) throw AppError.conflict('hazard.wrong_status', { status: h.status });
      }
      await this.repo.notify(em, {
        audience: 'institution', institutionId: h.institutionId, divisionPath: h.divisionPath, kind: 'objection.decided',
        title: dto.approve ? `陈述申辩成立：${h.itemCode}` : `陈述申辩未被采纳：${h.itemCode}`,
        body: dto.approve ? `该隐患已撤销。理由：${dto.reason}` : `请按期整改（期限 ${h.dueDate}）。理由：${dto.reason}`,
        entityType: 'hazard', entityId: h.id, dedupKey: `objection-decided-${objectionId}`,
      });
      await this.audit.record(em, {
        action: dto.approve ? 'hazard.objection_uphold' : 'hazard.objection_reject', entityType: 'hazard', entityId: h.id, scopePath: h.divisionPath,
        before: { status: h.status, listed: h.listed }, after: { status, listed: changes.listed ?? h.listed, reason: dto.reason },
      });
      return { id: objectionId, hazardId: h.id, status: dto.approve ? 'upheld' : 'rejected' };
    });
  }

  /** 五到位 plan of a major hazard (interim measures, measures, funds, responsible person, deadline, emergency plan). */
  async submitPlan(user: AuthUser, hazardId: string, dto: PlanDto) {
    if (!can(user, 'hazard.plan_submit')) throw AppError.forbidden();
    const rules = await this.rulesOf(user, hazardId);
    return this.dataSource.transaction(async (em) => {
      const h = await this.lockHazard(user, hazardId, em);
      await this.decided(em, user, h, { type: 'plan_submit' }, rules);
      await this.repo.upsertPlan(em, { hazardId, ...dto, submittedBy: user.id, at: new Date() });
      await this.audit.record(em, { action: 'hazard.plan_submit', entityType: 'hazard', entityId: hazardId, scopePath: h.divisionPath, after: { ...dto } });
      return { hazardId, ...dto };
    });
  }

  // ---------------------------------------------------------------- the bureau's moves

  /** 复核: someone other than the responder closes (销号) or returns the hazard with a reason and a new deadline. */
  async verify(user: AuthUser, hazardId: string, dto: VerifyDto) {
    if (!can(user, 'hazard.verify')) throw AppError.forbidden();
    if (!dto.accept && (!dto.reason?.trim() || !dto.newDueDate)) {
      throw AppError.validation([
        ...(!dto.reason?.trim() ? [{ field: 'reason', reason: 'isNotEmpty' }] : []),
        ...(!dto.newDueDate ? [{ field: 'newDueDate', reason: 'isDefined' }] : []),
      ]);
    }
    const move: HazardMove = dto.accept ? { type: 'accept' } : { type: 'return', reason: dto.reason, newDueDate: dto.newDueDate };
    return this.move(user, hazardId, move, async (em, h) => {
      const response = await this.repo.latestResponse(em, hazardId);
      if (!response) throw AppError.conflict('hazard.wrong_status');
      const now = new Date();
      await this.repo.insertVerification(em, {
        hazardId, responseId: response.id, responderId: response.submittedBy, verifierId: user.id, accepted: dto.accept,
        reason: dto.reason?.trim() || null, newDueDate: dto.accept ? null : dto.newDueDate!, onSite: dto.onSite ?? false, at: now,
      });
      await this.repo.notify(em, {
        audience: 'institution', institutionId: h.institutionId, divisionPath: h.divisionPath, kind: dto.accept ? 'hazard.closed' : 'hazard.returned',
        title: dto.accept ? `隐患已销号：${h.itemCode}` : `整改被退回：${h.itemCode}`, body: dto.accept ? h.titleZh : `${dto.reason}（新期限 ${dto.newDueDate}）`,
        entityType: 'hazard', entityId: hazardId, dedupKey: `hazard-verified-${response.id}`,
      });
      return dto.accept
        ? { changes: { closedAt: now }, after: { accepted: true } }
        : { changes: {}, after: { accepted: false, reason: dto.reason, newDueDate: dto.newDueDate } };
    });
  }

  async changeDeadline(user: AuthUser, hazardId: string, dto: DeadlineDto) {
    if (!can(user, 'hazard.deadline_change')) throw AppError.forbidden();
    const rules = await this.rulesOf(user, hazardId);
    return this.changing(async (em) => {
      const h = await this.lockHazard(user, hazardId, em);
      // Never in the past, never beyond the policy's maximum for the severity; the escalation starts afresh.
      const { changes } = await this.decided(em, user, h, { type: 'change_deadline', dueDate: dto.dueDate }, rules);
      await this.updateHazard(em, h, changes);
      await this.audit.record(em, { action: 'hazard.deadline_change', entityType: 'hazard', entityId: h.id, scopePath: h.divisionPath, before: { dueDate: h.dueDate }, after: { ...dto } });
      return (await this.repo.hazard(scopeOf(user), hazardId, em))!;
    });
  }

  /** One action for a site visit: a re-inspection holding only the inspection's hazards that are not closed. */
  async createReinspection(user: AuthUser, inspectionId: string, dto: ReinspectionDto) {
    if (!can(user, 'reinspection.schedule')) throw AppError.forbidden();
    const parent = await this.inspections.findById(user, inspectionId);
    if (!parent || parent.status !== 'submitted') throw AppError.notFound('inspection.not_found');
    const open = (await this.hazards.forInspection(inspectionId)).filter((h) => h.status !== 'closed');
    if (!open.length) throw AppError.conflict('notice.no_hazards');
    const adHoc = await this.plans.prepareAdHoc(user, {
      institutionId: parent.institutionId, kind: 'reinspection', teamUserIds: dto.teamUserIds, scheduledDate: dto.scheduledDate,
    }, {
      parentInspectionId: inspectionId, itemCodes: open.map((h) => h.itemCode), checklistVersionId: parent.checklistVersionId,
      // A re-inspection checks the parent's findings under the parent's rules, not the ones in force now.
      pins: { productPolicyVersionId: parent.productPolicyVersionId ?? null, localRuleSetVersionId: parent.localRuleSetVersionId ?? null },
    });
    // one transaction: the re-inspection and the hazards' link to it commit together; while one is still open for
    // these hazards a second is refused (a double click, or a second officer), under the parent inspection's lock
    return this.dataSource.transaction(async (em) => {
      if ((await this.repo.lockOpenReinspections(em, inspectionId, open.map((h) => h.id))).length) throw AppError.conflict('reinspection.already_scheduled');
      const created = await adHoc.write(em);
      await this.repo.linkReinspection(em, open.map((h) => h.id), created.id);
      await this.audit.record(em, {
        action: 'hazard.reinspection_schedule', entityType: 'inspection', entityId: created.id, scopePath: parent.divisionPath,
        after: { parentInspectionId: inspectionId, hazards: open.map((h) => h.itemCode) },
      });
      return created;
    });
  }

  // ---------------------------------------------------------------- queue work

  /** The hourly job: a scheduled run sweeps as of its scheduled time, so a retried run does the same work once. */
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.hazardsSweep })
  sweepJob(data: { at?: string }, job: JobContext): Promise<{ escalated: number; reminded: number; listed: number; lateDecisions: number }> {
    return this.sweep(new Date(data.at ?? job.timestamp));
  }

  /**
   * The hourly sweep: escalates each hazard overdue as of `at` once (the one overdue definition; bureau notified),
   * lists (挂牌督办) the major hazards whose objection window has closed with no objection pending, and sends the
   * reminders the hazard's policy asks for (days before the deadline). Running it twice for the same moment changes
   * nothing more.
   */
  async sweep(at: Date): Promise<{ escalated: number; reminded: number; listed: number; lateDecisions: number }> {
    const today = shanghaiDate(at);
    const escalated = await this.dataSource.transaction(async (em) => {
      const rows = await this.repo.escalateOverdue(em, today, at);
      for (const h of rows) {
        await this.repo.notify(em, {
          audience: 'bureau', institutionId: null, divisionPath: h.divisionPath, kind: 'hazard.overdue',
          title: `隐患逾期未整改：${h.itemCode}${h.severity === 'major' ? (h.listed ? '（重大隐患，挂牌督办）' : '（重大隐患）') : ''}`, body: `${h.titleZh}，期限 ${h.dueDate}`,
          entityType: 'hazard', entityId: h.id, dedupKey: `hazard-overdue-${h.id}-${h.dueDate}`,
        });
        await this.repo.notify(em, {
          audience: 'institution', institutionId: h.institutionId, divisionPath: h.divisionPath, kind: 'hazard.overdue',
          title: `整改已逾期：${h.itemCode}`, body: `${h.titleZh}，期限 ${h.dueDate}。请尽快整改并在线提交整改情况。`,
          entityType: 'hazard', entityId: h.id, dedupKey: `hazard-overdue-institution-${h.id}-${h.dueDate}`,
        });
        await this.outbox.add(em, 'score.recompute', `score-${h.institutionId}-${randomUUID()}`, { institutionId: h.institutionId });
        await this.audit.record(em, { action: 'hazard.escalate', entityType: 'hazard', entityId: h.id, scopePath: h.divisionPath, after: { overdue: true, dueDate: h.dueDate, listed: h.listed } });
      }
      return rows.length;
    });
    const listed = await this.listDue(at);
    let reminded = 0;
    // Each hazard is reminded on the days its own pinned policy names.
    const pins = await this.repo.openPolicyPins();
    const reminderDays = new Map<string | null, number[]>();
    for (const pin of pins) reminderDays.set(pin, (await this.policies.byId(pin)).values.reminders.daysBefore);
    const allDays = [...new Set([...reminderDays.values()].flat())];
    const due = allDays.length ? (await this.repo.dueWithin(today, allDays))
      .filter((h) => (reminderDays.get(h.productPolicyVersionId ?? null) ?? []).includes(daysBetween(today, h.dueDate))) : [];
    await this.dataSource.transaction(async (em) => {
      for (const h of due) {
        const days = Math.round((Date.parse(h.dueDate) - Date.parse(today)) / 86_400_000);
        if (await this.repo.notify(em, {
          audience: 'institution', institutionId: h.institutionId, divisionPath: h.divisionPath, kind: 'hazard.reminder',
          title: `整改期限还有 ${days} 天：${h.itemCode}`, body: `${h.titleZh}，期限 ${h.dueDate}`, entityType: 'hazard', entityId: h.id,
          dedupKey: `hazard-reminder-${days}d-${h.id}-${h.dueDate}`,
        })) reminded++;
      }
    });
    // 疑似重大隐患 still undecided after the policy's confirmation date: the bureau is told (once per hazard and date).
    const lateDecisions = await this.majorHazards.notifyLateDecisions(at);
    if (escalated || listed) this.outbox.kick();
    if (escalated || reminded || listed || lateDecisions) {
      this.logger.log(`sweep ${today}: ${escalated} escalated, ${listed} listed, ${reminded} reminders, ${lateDecisions} late major-hazard decisions`);
    }
    return { escalated, reminded, listed, lateDecisions };
  }

  /**
   * 挂牌督办: the listing step. Each open major hazard not yet listed, whose notice was issued and without a pending
   * objection is asked `decide(list)` as of `at` (its objection window counted by the calendar from the notice's
   * service, or from a later major confirmation: `objectionWindowFrom`); those that pass are
   * listed, audited and reported to the bureau. The trigger refuses a listing while an objection is pending.
   */
  private async listDue(at: Date): Promise<number> {
    const today = shanghaiDate(at);
    const calendar = await this.policies.calendar();
    const due: Hazard[] = [];
    for (const h of await this.repo.listingCandidates()) {
      const policy = await this.policies.byId(h.productPolicyVersionId ?? null);
      const ctx = this.contextOf(h, { policy, calendar }, {
        team: [], responderIds: [], awaitingResponse: false, pendingExtension: null,
        objection: h.objectionStatus ? { status: h.objectionStatus, filedOn: h.objectionFiledOn ?? undefined } : null,
        windowFrom: objectionWindowFrom(h, { acknowledgedAt: null, issuedAt: h.servedAt }),
      }, today, at);
      if (decide(h, 'list', null, ctx).ok) due.push(h);
    }
    if (!due.length) return 0;
    return this.dataSource.transaction(async (em) => {
      let n = 0;
      for (const h of due) {
        if (!(await this.repo.setListed(em, h.id))) continue;
        n++;
        await this.repo.notify(em, {
          audience: 'bureau', institutionId: null, divisionPath: h.divisionPath, kind: 'hazard.listed',
          title: `重大隐患挂牌督办：${h.itemCode}`, body: `${h.titleZh}，期限 ${h.dueDate}`,
          entityType: 'hazard', entityId: h.id, dedupKey: `hazard-listed-${h.id}`,
        });
        await this.audit.record(em, { action: 'hazard.list', entityType: 'hazard', entityId: h.id, scopePath: h.divisionPath, before: { listed: false }, after: { listed: true } });
      }
      return n;
    });
  }


  // ---------------------------------------------------------------- helpers

  private async move(user: AuthUser, hazardId: string, move: HazardMove, work: (em: EntityManager, h: Hazard) => Promise<{ changes: Partial<Hazard>; after: object }>) {
    const rules = await this.rulesOf(user, hazardId);
    return this.changing(async (em) => {
      const h = await this.lockHazard(user, hazardId, em);
      const decided = await this.decided(em, user, h, move, rules);
      const { changes, after } = await work(em, h);
      const next = decided.status;
      if (!(await this.updateHazard(em, h, { ...decided.changes, ...changes, status: next }))) throw AppError.conflict('hazard.wrong_status', { status: h.status });
      const action = move.type;
      await this.audit.record(em, { action: `hazard.${action}`, entityType: 'hazard', entityId: h.id, scopePath: h.divisionPath, before: { status: h.status }, after: { status: next, ...after } });
      return (await this.repo.hazard(scopeOf(user), hazardId, em))!;
    });
  }

  /** Asks the lifecycle about a move of the locked hazard; a refusal becomes the error it names. */
  private async decided(em: EntityManager, user: AuthUser, h: Hazard, move: HazardMove, rules: Rules) {
    const d = decide(h, move, actorOf(user), await this.context(em, h, rules));
    if (!d.ok) throw refusalError(d);
    return d;
  }

  /** The policy the hazard pins (null → the legacy values) and the calendar; read before any transaction. */
  private async rules(h: Pick<Hazard, 'productPolicyVersionId'>): Promise<Rules> {
    const [policy, calendar] = await Promise.all([this.policies.byId(h.productPolicyVersionId ?? null), this.policies.calendar()]);
    return { policy, calendar };
  }

  private async rulesOf(user: AuthUser, hazardId: string): Promise<Rules> {
    const h = await this.repo.hazard(scopeOf(user), hazardId);
    if (!h) throw AppError.notFound('hazard.not_found');
    return this.rules(h);
  }

  private async rulesOfRequest(user: AuthUser, table: 'hazard_extension' | 'hazard_objection', id: string, notFound: string): Promise<Rules> {
    const hazardId = await this.repo.requestHazardId(table, id);
    if (!hazardId) throw AppError.notFound(notFound);
    const h = await this.repo.hazard(scopeOf(user), hazardId);
    if (!h) throw AppError.notFound(notFound);
    return this.rules(h);
  }

  /** The lifecycle context of a hazard: the finding team, the responders, the pending requests, the objection window. */
  private async context(em: EntityManager, h: Hazard, rules: Rules, at = new Date()): Promise<LifecycleContext> {
    // One after another: these share the transaction's connection, which runs one query at a time anyway.
    const teams = await this.inspections.teams([h.inspectionId], em);
    const facts = await this.repo.lifecycleFacts(em, h.id);
    const notice = await this.repo.noticeOfInspection(em, h.inspectionId);
    return this.contextOf(h, rules, {
      ...facts, team: (teams.get(h.inspectionId) ?? []).map((m) => m.userId),
      windowFrom: objectionWindowFrom(h, notice),
    }, shanghaiDate(at), at);
  }

  private contextOf(
    h: Hazard, rules: Rules,
    facts: Pick<LifecycleContext, 'team' | 'responderIds' | 'awaitingResponse' | 'pendingExtension' | 'objection'> & { windowFrom: Date | null },
    today: string, at: Date,
  ): LifecycleContext {
    return {
      today, now: at, policy: rules.policy.values, calendar: rules.calendar,
      team: facts.team, responderIds: facts.responderIds, awaitingResponse: facts.awaitingResponse,
      pendingExtension: facts.pendingExtension, objection: facts.objection,
      objectionDeadline: facts.windowFrom ? objectionDeadline(facts.windowFrom, rules) : null,
      objectionWindowFrom: facts.windowFrom ? shanghaiDate(facts.windowFrom) : null,
    };
  }

  /**
   * Every change to a hazard goes through here: the row moves only from the status it was read in, and the
   * institution's safety score is queued for recomputation in the same transaction.
   */
  private async updateHazard(em: EntityManager, h: Hazard, changes: Partial<Hazard>): Promise<boolean> {
    if (!(await this.repo.update(em, h.id, h.status, changes))) return false;
    await this.outbox.add(em, 'score.recompute', `score-${h.institutionId}-${randomUUID()}`, { institutionId: h.institutionId });
    return true;
  }

  /** A transaction that changes hazards; after it commits, the outbox relay is woken to enqueue the work it left. */
  private async changing<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.outbox.kick();
    return result;
  }

  /** An extension request or objection (already locked by its query) and its hazard, locked in the user's scope. */
  private async lockRequest<T extends { hazardId: string }>(user: AuthUser, em: EntityManager, request: T | null, notFound: string): Promise<[T, Hazard]> {
    if (!request) throw AppError.notFound(notFound);
    return [request, await this.lockHazard(user, request.hazardId, em)];
  }

  private async lockHazard(user: AuthUser, id: string, em: EntityManager): Promise<Hazard> {
    const h = await this.repo.hazard(scopeOf(user), id, em, true);
    if (!h) throw AppError.notFound('hazard.not_found');
    return h;
  }
}

/**
 * When the 陈述申辩 window opens: the notice's acknowledgement (else its issue) — null while no notice was issued —
 * or, for a hazard confirmed major after that, the confirmation (the institution may object to the major
 * determination; `major_decided_at` records it).
 */
export function objectionWindowFrom(h: Pick<Hazard, 'majorStatus' | 'majorDecidedAt'>, notice: { acknowledgedAt: Date | null; issuedAt: Date } | null): Date | null {
  if (!notice) return null;
  const served = new Date(notice.acknowledgedAt ?? notice.issuedAt);
  const confirmed = h.majorStatus === 'confirmed' && h.majorDecidedAt ? new Date(h.majorDecidedAt) : null;
  return confirmed && confirmed > served ? confirmed : served;
}

/**
 * The last day of the 陈述申辩 window: the policy's working days (policy.objection.workingDays, by the calendar file)
 * after the day it opened (`objectionWindowFrom`).
 */
export function objectionDeadline(from: Date, rules: Rules): string {
  return rules.calendar.addWorkingDays(shanghaiDate(from), rules.policy.values.objection.workingDays);
}

function actorOf(user: AuthUser): Actor {
  return { id: user.id, role: user.role };
}

/** A lifecycle refusal as the error the API answers with: 400 naming the field, 403 or 409 with the message code. */
function refusalError(r: Refusal): AppError {
  if (r.status === 400) return AppError.validation([{ field: r.field ?? 'request', reason: r.refusal, ...(r.args ? { args: r.args } : {}) }]);
  if (r.status === 403) return AppError.forbidden(r.refusal);
  return AppError.conflict(r.refusal, r.params ?? {});
}

function isUnique(e: unknown): boolean {
  return (e as { code?: string }).code === '23505';
}
