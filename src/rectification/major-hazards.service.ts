import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { AppError } from '../common/app-error';
import { shanghaiDate } from '../common/calendar';
import { AuthUser, scopeOf } from '../common/scope';
import { Hazard } from '../hazards/hazard.entity';
import { InspectionsRepository } from '../inspections/inspections.repository';
import { OutboxService } from '../outbox/outbox.service';
import { deadlineFor } from '../hazards/domain/deadlines';
import { decide, Decision, LifecycleContext, Refusal } from './domain/hazard-lifecycle';
import { MajorHazardsRepository } from './major-hazards.repository';
import { RectificationRepository } from './rectification.repository';

/** The bureau's decision on a 疑似重大隐患 (POST /api/hazards/:id/major-decision). */
export interface MajorDecisionInput {
  /** true: 认定为重大隐患 against `criterionCode`; false: 不认定 (stays general) */
  confirm: boolean;
  criterionCode?: string;
  reason: string;
}

/**
 * 疑似重大隐患的认定: an inspector files a finding as suspected major (general until decided); a bureau officer not
 * on the finding team confirms it against a criterion of the criteria in force (retrieved text only — a
 * placeholder is refused) or downgrades it. Confirmed: the hazard becomes major with the criterion, the major
 * deadline and the 五到位 plan due date (`deadlineFor` under the policy pinned on the hazard, counted from the
 * decision), the institution is told, the safety score is recomputed. Listing (挂牌督办) follows later, by the
 * lifecycle's `list` after the objection window, which for a hazard confirmed after the notice's service opens at
 * the confirmation. A pending extension request is refused with the confirmation (it was asked for a general
 * deadline; approving it later would set the due date back beyond the major rule — the institution may ask again
 * under the major deadline). A decision past `majorConfirmDue` is still taken (late, not void).
 */
@Injectable()
export class MajorHazardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: RectificationRepository,
    private readonly majorRepo: MajorHazardsRepository,
    private readonly inspections: InspectionsRepository,
    private readonly checklists: ChecklistsService,
    private readonly policies: PolicyService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  async decideMajor(user: AuthUser, hazardId: string, input: MajorDecisionInput): Promise<Hazard> {
    // Read before the transaction (never through the pool inside it): the pinned policy, the calendar, the
    // criteria in force and the hazard's checklist item.
    const seen = await this.repo.hazard(scopeOf(user), hazardId);
    if (!seen) throw AppError.notFound('hazard.not_found');
    const [policy, calendar, criteria, items] = await Promise.all([
      this.policies.byId(seen.productPolicyVersionId ?? null), this.policies.calendar(),
      this.checklists.majorCriteria(),
      this.inspections.findUnscoped(seen.inspectionId).then((i) => this.checklists.pinnedItems(seen.checklistVersionId, i?.localRuleSetVersionId ?? null)),
    ]);
    const item = items.find((i) => i.code === seen.itemCode);
    const now = new Date();

    const result = await this.dataSource.transaction(async (em) => {
      const h = await this.repo.hazard(scopeOf(user), hazardId, em, true);
      if (!h) throw AppError.notFound('hazard.not_found');
      const team = ((await this.inspections.teams([h.inspectionId], em)).get(h.inspectionId) ?? []).map((m) => m.userId);
      const ctx: LifecycleContext = {
        today: shanghaiDate(now), now, policy: policy.values, team, responderIds: [], awaitingResponse: false,
        pendingExtension: null, objection: null, objectionDeadline: shanghaiDate(now),
      };
      const actor = { id: user.id, role: user.role };
      const action = input.confirm ? 'confirm_major' : 'downgrade_major';
      // Who may decide, and on what, before the arguments (a team member is refused whatever he sends).
      throwIfRefused(decide(h, action, actor, ctx));

      const reason = input.reason?.trim() ?? '';
      if (!reason) throw AppError.validation([{ field: 'reason', reason: 'isNotEmpty' }]);
      let changes: Partial<Hazard>;
      if (input.confirm) {
        const code = input.criterionCode?.trim() ?? '';
        if (!code) throw AppError.validation([{ field: 'criterionCode', reason: 'isNotEmpty' }]);
        if (!criteria.some((c) => c.code === code)) throw AppError.validation([{ field: 'criterionCode', reason: 'criterionNotConfirmable', args: [code] }]);
        if (!item) throw AppError.conflict('hazard.wrong_status', { status: h.status });
        const decided = throwIfRefused(decide(h, { type: 'confirm_major', criterion: code, reason }, actor, ctx));
        const deadline = deadlineFor(item, 'major', policy.values, calendar, now);
        changes = {
          ...decided.changes, deadlineDays: deadline.deadlineDays, dueDate: deadline.dueDate, planDueDate: deadline.planDueDate,
          escalatedOverdue: false, escalatedAt: null,
        };
      } else {
        changes = { ...throwIfRefused(decide(h, { type: 'downgrade_major', reason }, actor, ctx)).changes };
      }

      if (!(await this.repo.update(em, h.id, h.status, changes))) throw AppError.conflict('hazard.wrong_status', { status: h.status });
      // Confirmed: a pending extension (asked under the general deadline) is refused with the decision.
      let refusedExtensionId: string | null = null;
      if (input.confirm) {
        const pending = (await this.repo.lifecycleFacts(em, h.id)).pendingExtension;
        if (pending && (await this.repo.decideExtension(em, pending.id, false, user.id, EXTENSION_REFUSED_BY_CONFIRMATION, now))) refusedExtensionId = pending.id;
      }
      await this.outbox.add(em, 'score.recompute', `score-${h.institutionId}-${randomUUID()}`, { institutionId: h.institutionId });
      await this.repo.notify(em, input.confirm
        ? {
          audience: 'institution', institutionId: h.institutionId, divisionPath: h.divisionPath, kind: 'hazard.major_confirmed',
          title: `认定为重大隐患：${h.itemCode}`,
          body: `${h.titleZh}（判定标准 ${changes.majorCriterion}）。整改期限 ${changes.dueDate}；“五到位”整改方案须于 ${changes.planDueDate} 前提交。`
            + (refusedExtensionId ? `${EXTENSION_REFUSED_BY_CONFIRMATION}。` : ''),
          entityType: 'hazard', entityId: h.id, dedupKey: `hazard-major-decision-${h.id}`,
        }
        : {
          audience: 'institution', institutionId: h.institutionId, divisionPath: h.divisionPath, kind: 'hazard.major_downgraded',
          title: `不认定为重大隐患：${h.itemCode}`, body: `${h.titleZh}：按一般隐患整改，期限 ${h.dueDate}。`,
          entityType: 'hazard', entityId: h.id, dedupKey: `hazard-major-decision-${h.id}`,
        });
      await this.audit.record(em, {
        action: input.confirm ? 'hazard.major_confirm' : 'hazard.major_downgrade', entityType: 'hazard', entityId: h.id, scopePath: h.divisionPath,
        before: { severity: h.severity, majorStatus: h.majorStatus, dueDate: h.dueDate, majorConfirmDue: h.majorConfirmDue },
        after: {
          severity: changes.severity ?? h.severity, majorStatus: changes.majorStatus, majorCriterion: changes.majorCriterion ?? null, reason,
          dueDate: changes.dueDate ?? h.dueDate, planDueDate: changes.planDueDate ?? h.planDueDate, late: !!h.majorConfirmDue && ctx.today > h.majorConfirmDue,
          ...(refusedExtensionId ? { refusedExtensionId } : {}),
        },
      });
      return (await this.repo.hazard(scopeOf(user), hazardId, em))!;
    });
    this.outbox.kick();
    return result;
  }

  /**
   * For the hourly sweep: tells the bureau of each suspected major hazard still undecided after its confirmation
   * date (once per hazard and date). The decision stays possible — late, not void.
   */
  async notifyLateDecisions(at: Date): Promise<number> {
    const today = shanghaiDate(at);
    return this.dataSource.transaction(async (em) => {
      let notified = 0;
      for (const h of await this.majorRepo.lateDecisions(em, today)) {
        if (await this.repo.notify(em, {
          audience: 'bureau', institutionId: null, divisionPath: h.divisionPath, kind: 'hazard.major_decision_late',
          title: `疑似重大隐患逾期未认定：${h.itemCode}`, body: `${h.titleZh}，应于 ${h.majorConfirmDue} 前认定或不认定`,
          entityType: 'hazard', entityId: h.id, dedupKey: `hazard-major-late-${h.id}-${h.majorConfirmDue}`,
        })) notified++;
      }
      return notified;
    });
  }
}

/** The decision reason recorded on a pending extension refused by a major confirmation (and told to the institution). */
export const EXTENSION_REFUSED_BY_CONFIRMATION = '已认定为重大隐患，原延期申请不予批准，可按重大隐患整改期限重新申请延期';

/** A lifecycle refusal as the one error shape: 400 naming the field, 403 or 409 with the message code. */
function throwIfRefused(d: Decision): Extract<Decision, { ok: true }> {
  if (d.ok) return d;
  const r = d as Refusal;
  if (r.status === 400) throw AppError.validation([{ field: r.field ?? 'request', reason: r.refusal, ...(r.args ? { args: r.args } : {}) }]);
  if (r.status === 403) throw AppError.forbidden(r.refusal);
  throw AppError.conflict(r.refusal, r.params ?? {});
}
