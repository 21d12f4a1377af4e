import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/audit-chain';
import { AuditService } from '../audit/audit.service';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { AppError } from '../common/app-error';
import { formatChineseDateTime, shanghaiDate } from '../common/calendar';
import { pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { UsersRepository } from '../users/users.repository';
import { label } from '../common/vocabulary';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { DRAW_ALGORITHM, drawInspections, DrawInputError, DrawResult } from './domain/random-draw';
import { drawStratified, STRATIFIED_DRAW_ALGORITHM, StratifiedDrawInput, StratifiedDrawResult } from './domain/stratified-draw';
import { CreditService } from '../credit/credit.service';
import { DRAW_INPUTS, drawsSample, editRefusal, PlanProgress, publishRefusal } from './domain/plan-rules';
import { ConflictDto, CreateInspectionDto } from './dto/inspection.dto';
import { CreatePlanDto, PlanQuery, UpdatePlanDto } from './dto/plan.dto';
import { Inspection, InspectionKind, InspectionPlan } from './inspection.entity';
import { emptyProgress, mergeSpec, pick, PlanSpec, specOf, specOfPlan } from './domain/plan-spec';
import { PlansRepository } from './plans.repository';
import { InspectionsRepository } from './inspections.repository';

/** What a re-inspection adds to an ad-hoc inspection: its parent, the items to check, the parent's checklist and pins. */
export interface AdHocExtra {
  parentInspectionId?: string;
  itemCodes?: string[];
  checklistVersionId?: string;
  pins?: { productPolicyVersionId: string | null; localRuleSetVersionId: string | null };
}

/**
 * Planning: who inspects which institution. Plans with their random draw (双随机) and its verification and
 * publication, conflicts of interest the draw avoids, and ad-hoc inspections (an institution, a team and a pinned
 * checklist version, assigned by hand instead of drawn; also the re-inspections rectification asks for).
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inspections: InspectionsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly users: UsersRepository,
    private readonly divisions: DivisionsService,
    private readonly checklists: ChecklistsService,
    private readonly policies: PolicyService,
    private readonly audit: AuditService,
    private readonly planRows: PlansRepository,
    private readonly notifications: NotificationsRepository,
    private readonly credit: CreditService,
  ) {}

  /** The policy and local rule set in force: every inspection pins both at creation (docs/policy.md). */
  private async pins() {
    const [policy, local] = await Promise.all([this.policies.current(), this.policies.localRuleSet()]);
    return { policy, values: { productPolicyVersionId: policy.versionId, localRuleSetVersionId: local?.versionId ?? null } };
  }

  /** An ad-hoc inspection in its own transaction (see `prepareAdHoc`). */
  async createAdHoc(user: AuthUser, dto: CreateInspectionDto, extra: AdHocExtra = {}): Promise<Inspection> {
    const adHoc = await this.prepareAdHoc(user, dto, extra);
    return this.dataSource.transaction((em) => adHoc.write(em));
  }

  /**
   * An ad-hoc inspection, in two steps so a caller can make it inside its own transaction: every read and check
   * (institution in scope, team members, team size, pins, checklist version; refusals name the field) happens here,
   * before any transaction — nothing inside a transaction may take a second pool connection — and `write(em)` does
   * only the writes (the inspection, its team, their notifications, the audit event) on the caller's `EntityManager`,
   * so the caller's own step (linking a complaint, a hazard, an incident) commits or rolls back with them.
   * `extra.pins` (a re-inspection): the parent's policy and local rule set pins, inherited instead of the ones in
   * force now (the team size is checked under the inherited policy).
   */
  async prepareAdHoc(user: AuthUser, dto: CreateInspectionDto, extra: AdHocExtra = {}): Promise<{ write: (em: EntityManager) => Promise<Inspection> }> {
    const scope = scopeOf(user);
    const institution = await this.institutions.findById(scope, dto.institutionId);
    if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'divisionOutOfScope' }]);
    const members = await this.users.findInspectors(scope, dto.teamUserIds, institution.divisionPath);
    const unknown = dto.teamUserIds.filter((uid) => !members.some((m) => m.id === uid));
    if (unknown.length) throw AppError.validation(unknown.map((uid) => ({ field: `teamUserIds`, reason: 'notInspector', args: [uid] })));
    const { policy, values: pinned } = extra.pins
      ? { policy: await this.policies.byId(extra.pins.productPolicyVersionId), values: { ...extra.pins } }
      : await this.pins();
    const minSize = policy.values.team.minSize;
    if (new Set(dto.teamUserIds).size < minSize) throw AppError.validation([{ field: 'teamUserIds', reason: 'teamTooSmall', args: [minSize] }]);
    const checklistVersionId = extra.checklistVersionId ?? (await this.checklists.resolveVersion(dto.checklistCode ?? 'fire-safety-inspection')).id;
    const team = [...new Set(dto.teamUserIds)];
    const write = async (em: EntityManager) => {
      const inspection = await this.inspections.insert(em, {
        kind: dto.kind, institutionId: institution.id, divisionPath: institution.divisionPath, checklistVersionId,
        scheduledDate: dto.scheduledDate ?? null, createdBy: user.id,
        parentInspectionId: extra.parentInspectionId ?? null, itemCodes: extra.itemCodes ?? null, ...pinned,
      }, team.map((userId, i) => ({ userId, role: i === 0 ? 'lead' : 'member' })));
      await this.notifyTeam(em, inspection, team, institution.name);
      const { pins: _pins, ...recorded } = extra;
      await this.audit.record(em, { action: 'inspection.create', entityType: 'inspection', entityId: inspection.id, scopePath: inspection.divisionPath, after: { ...dto, ...recorded, ...pinned } });
      return inspection;
    };
    return { write };
  }

  /**
   * The draw of a plan spec: the pool of institutions (division subtree and the pool filters), the inspectors (who
   * must be in the user's reach), the conflicts the draw avoids (bound to an institution, or inspected it within
   * `conflictMonths`), and the result of `yian-draw-v1`. Refusals name the field.
   */
  private async drawFor(user: AuthUser, spec: PlanSpec) {
    const scope = scopeOf(user);
    const division = await this.divisions.requireWithin(scope, spec.divisionCode, 'divisionCode');
    if (spec.stratified && spec.kind !== 'random') throw AppError.validation([{ field: 'stratified', reason: 'stratifiedRandomOnly' }]);
    if (spec.stratified && (spec.sampleCount != null || spec.sampleRatio != null)) throw AppError.validation([{ field: 'sampleCount', reason: 'stratifiedNoSample' }]);
    if (drawsSample(spec.kind) && !spec.stratified && (spec.sampleCount == null) === (spec.sampleRatio == null)) {
      throw AppError.validation([{ field: 'sampleCount', reason: 'isDefined' }]);
    }
    if (spec.scheduledFrom && spec.scheduledTo && spec.scheduledTo < spec.scheduledFrom) {
      throw AppError.validation([{ field: 'scheduledTo', reason: 'periodReversed', args: [spec.scheduledFrom] }]);
    }
    const { policy, values: pinned } = await this.pins();
    const teamSize = spec.teamSize ?? policy.values.team.minSize;
    if (teamSize < policy.values.team.minSize) throw AppError.validation([{ field: 'teamSize', reason: 'teamTooSmall', args: [policy.values.team.minSize] }]);
    const filtered = await this.planRows.poolInstitutionIds(scope, division.path, spec.pool);
    // 按信用频次应检: the credit level's yearly inspection count, as of now, decides who stays in the pool (recorded with the draw)
    const asOf = new Date();
    const frequency = spec.pool.creditDue ? await this.credit.frequencies(scope, filtered, asOf) : null;
    const institutionIds = frequency ? filtered.filter((id) => frequency.byInstitution.get(id)?.due) : filtered;
    const creditDue = frequency ? { creditRulesVersionId: frequency.rulesVersionId, asOf: frequency.asOf, countedKinds: frequency.countedKinds, poolBefore: filtered.length, due: institutionIds.length } : null;
    const inspectorIds = [...new Set(spec.inspectorIds)];
    const inspectors = await this.users.findInspectors(scope, inspectorIds, division.path);
    const unknown = inspectorIds.filter((id) => !inspectors.some((u) => u.id === id));
    if (unknown.length) throw AppError.validation(unknown.map((id) => ({ field: 'inspectorIds', reason: 'notInspector', args: [id] })));
    const conflictMonths = spec.conflictMonths ?? policy.values.draw.conflictMonths;
    const since = new Date();
    since.setUTCMonth(since.getUTCMonth() - conflictMonths);
    const [recent, bound] = await Promise.all([this.inspections.recentPairs(institutionIds, since), this.inspections.boundPairs(inspectorIds)]);
    const conflicts = [...bound.map((c) => ({ ...c, reason: 'bound' as const })), ...recent.map((c) => ({ ...c, reason: 'recent' as const }))];
    const seed = spec.seed ?? randomBytes(12).toString('hex');
    let drawInput: Record<string, unknown>;
    let result: DrawResult | StratifiedDrawResult;
    let algorithm: string = DRAW_ALGORITHM;
    try {
      if (spec.stratified) {
        // 差异化抽查: each institution's credit stratum as of now and each stratum's ratio, recorded with the plan
        // with 按信用频次应检 the standings the pool was filtered by (same instant), else computed for the pool now
        const [{ rulesVersionId, strata }, standings] = await Promise.all([
          this.credit.drawStrata(), frequency ? frequency.standings : this.credit.standings(scope, institutionIds, asOf),
        ]);
        const input: StratifiedDrawInput & { creditRulesVersionId: string; strataLabels: Record<string, string> } = {
          seed, institutions: institutionIds.map((id) => ({ id, stratum: standings.get(id)?.stratum ?? strata[strata.length - 1].code })),
          strata: strata.map((x) => ({ code: x.code, ratio: x.ratio })), inspectors: inspectors.map((u) => ({ id: u.id })), teamSize, conflicts,
          creditRulesVersionId: rulesVersionId, strataLabels: Object.fromEntries(strata.map((x) => [x.code, x.labelZh])),
        };
        drawInput = input as unknown as Record<string, unknown>;
        result = drawStratified(input);
        algorithm = STRATIFIED_DRAW_ALGORITHM;
      } else {
        const input = {
          seed, institutions: institutionIds.map((id) => ({ id })), inspectors: inspectors.map((u) => ({ id: u.id })),
          sample: drawsSample(spec.kind) ? { count: spec.sampleCount ?? undefined, ratio: spec.sampleRatio ?? undefined } : { ratio: 1 },
          teamSize, conflicts,
        };
        drawInput = input;
        result = drawInspections(input);
      }
    } catch (err) {
      if (err instanceof DrawInputError) throw AppError.validation([{ field: err.field, reason: 'drawInvalid', args: [err.message] }]);
      throw err;
    }
    if (creditDue) drawInput = { ...drawInput, creditDue };
    const typed = drawInput as { seed: string } & Record<string, unknown>;
    return { scope, division, pinned, teamSize, conflictMonths, drawInput: typed, result, algorithm };
  }

  /** Re-runs a recorded draw with the algorithm it was drawn with (a v1 plan keeps verifying with v1). */
  private rerun(plan: InspectionPlan): DrawResult | StratifiedDrawResult {
    if (plan.algorithm === STRATIFIED_DRAW_ALGORITHM) return drawStratified(plan.drawInput as unknown as StratifiedDrawInput);
    return drawInspections(plan.drawInput as unknown as Parameters<typeof drawInspections>[0]);
  }

  /** One inspection per staffed institution of the draw, lead first. */
  private async insertDrawnInspections(em: EntityManager, user: AuthUser, planId: string, kind: InspectionKind, checklistVersionId: string, scheduledFrom: string | null, drawn: Awaited<ReturnType<PlansService['drawFor']>>) {
    const paths = await this.institutions.divisionPathsByIds(drawn.scope, drawn.result.selected.map((s) => s.institutionId), em);
    const names = await this.institutions.namesByIds(drawn.scope, drawn.result.selected.map((s) => s.institutionId));
    for (const s of drawn.result.selected) {
      const inspection = await this.inspections.insert(em, {
        planId, kind, institutionId: s.institutionId, divisionPath: paths.get(s.institutionId)!,
        checklistVersionId, scheduledDate: scheduledFrom, createdBy: user.id, ...drawn.pinned,
      }, s.inspectorIds.map((userId, i) => ({ userId, role: i === 0 ? 'lead' : 'member' })));
      await this.notifyTeam(em, inspection, s.inspectorIds, names.get(s.institutionId) ?? null);
    }
  }

  /** 新的检查任务: each member of the team is told, in the transaction that assigns them (once per inspection and member). */
  private async notifyTeam(em: EntityManager, inspection: Inspection, userIds: string[], institutionName: string | null) {
    for (const userId of userIds) {
      await this.notifications.notify(em, {
        audience: 'user', userId, institutionId: null, divisionPath: inspection.divisionPath, kind: 'inspection.assigned',
        title: `新的检查任务：${institutionName ?? label('inspectionKind', inspection.kind)}`,
        body: `${label('inspectionKind', inspection.kind)}${inspection.scheduledDate ? `，计划检查日期 ${inspection.scheduledDate}` : ''}。出发前请在“我的检查任务”中下载今日任务。`,
        entityType: 'inspection', entityId: inspection.id, dedupKey: `inspection-assigned-${inspection.id}-${userId}`,
      });
    }
  }

  /**
   * A plan: the pool of institutions (division subtree and filters), a random draw (双随机) of institutions and teams
   * with its seed and rosters recorded, and one inspection per drawn institution — in one transaction.
   */
  async createPlan(user: AuthUser, dto: CreatePlanDto): Promise<InspectionPlan & { pool: PlanSpec['pool']; progress: PlanProgress }> {
    const spec = specOf(dto);
    const drawn = await this.drawFor(user, spec);
    const version = await this.checklists.resolveVersion(spec.pool.checklistCode ?? 'fire-safety-inspection');
    return this.dataSource.transaction(async (em) => {
      const plan = await this.inspections.insertPlan(em, {
        name: dto.name, kind: dto.kind, jointAgencies: dto.jointAgencies ?? [], divisionCode: drawn.division.code, divisionPath: drawn.division.path,
        checklistVersionId: version.id, teamSize: drawn.teamSize, conflictMonths: drawn.conflictMonths, sampleCount: dto.sampleCount ?? null,
        sampleRatio: dto.sampleRatio ?? null, scheduledFrom: dto.scheduledFrom ?? null, scheduledTo: dto.scheduledTo ?? null,
        seed: drawn.drawInput.seed, algorithm: drawn.algorithm, drawInput: drawn.drawInput, drawResult: drawn.result, createdBy: user.id,
      });
      await this.planRows.setPool(em, plan.id, spec.pool);
      await this.insertDrawnInspections(em, user, plan.id, dto.kind, version.id, dto.scheduledFrom ?? null, drawn);
      await this.audit.record(em, {
        action: 'inspection_plan.create', entityType: 'inspection_plan', entityId: plan.id, scopePath: drawn.division.path,
        after: { name: plan.name, kind: plan.kind, seed: plan.seed, algorithm: plan.algorithm, ...('strata' in drawn.result ? { strata: drawn.result.strata } : {}), pool: spec.pool, inspectors: spec.inspectorIds.length, selected: drawn.result.selected.length, unstaffed: drawn.result.unstaffed.length, ...drawn.pinned },
      });
      const progress = emptyProgress();
      progress.total = progress.assigned = drawn.result.selected.length;
      return { ...plan, pool: spec.pool, progress };
    });
  }

  /**
   * 编辑计划（公示前）: the changed fields are applied to the plan; when a draw input changed (pool, inspectors, sample,
   * team size, conflict rule, seed, kind) the untouched inspections are removed and the plan is drawn again — with
   * its own seed unless a new one is given — so the recorded seed and rosters still re-run to the shown result.
   * Refused once published or once an inspection of it started (409, naming the field).
   */
  async updatePlan(user: AuthUser, id: string, dto: UpdatePlanDto): Promise<InspectionPlan & { pool: PlanSpec['pool']; progress: PlanProgress; redrawn: boolean }> {
    const current = await this.inspections.findPlan(user, id);
    if (!current) throw AppError.notFound('plan.not_found');
    await this.refuseEdit(current);
    const before = specOfPlan(current, await this.planRows.poolOf(id));
    const { version: readVersion, ...changes } = dto;
    const after: PlanSpec = mergeSpec(before, changes);
    const redraw = DRAW_INPUTS.some((k) => canonicalJson(pick(before, k)) !== canonicalJson(pick(after, k)));
    const drawn = redraw ? await this.drawFor(user, after) : null;
    if (!drawn && after.scheduledFrom && after.scheduledTo && after.scheduledTo < after.scheduledFrom) {
      throw AppError.validation([{ field: 'scheduledTo', reason: 'periodReversed', args: [after.scheduledFrom] }]);
    }
    const checklistVersionId = drawn && after.pool.checklistCode !== before.pool.checklistCode
      ? (await this.checklists.resolveVersion(after.pool.checklistCode ?? 'fire-safety-inspection')).id : current.checklistVersionId;
    return this.dataSource.transaction(async (em) => {
      const plan = await this.planRows.lockForEdit(em, id, readVersion);
      if (!plan) throw AppError.conflict();
      await this.refuseEdit(plan);
      const touched = await this.planRows.lockTouchedInspections(em, id);
      if (touched) throw new AppError(409, 'plan.started', {}, [{ field: 'status', reason: 'planStarted', args: [touched] }]);
      const values: Partial<InspectionPlan> = {
        name: after.name, kind: after.kind, jointAgencies: after.jointAgencies, scheduledFrom: after.scheduledFrom ?? null, scheduledTo: after.scheduledTo ?? null,
      };
      if (drawn) {
        await this.planRows.removeUntouchedInspections(em, id);
        Object.assign(values, {
          divisionCode: drawn.division.code, divisionPath: drawn.division.path, checklistVersionId, teamSize: drawn.teamSize, conflictMonths: drawn.conflictMonths,
          sampleCount: drawsSample(after.kind) ? after.sampleCount ?? null : null, sampleRatio: drawsSample(after.kind) ? after.sampleRatio ?? null : null,
          seed: drawn.drawInput.seed, algorithm: drawn.algorithm, drawInput: drawn.drawInput, drawResult: drawn.result,
        });
      }
      await this.planRows.updatePlan(em, id, values);
      await this.planRows.setPool(em, id, after.pool);
      if (drawn) await this.insertDrawnInspections(em, user, id, after.kind, checklistVersionId, after.scheduledFrom ?? null, drawn);
      else if ((after.scheduledFrom ?? null) !== (before.scheduledFrom ?? null)) await this.planRows.rescheduleInspections(em, id, after.scheduledFrom ?? null);
      const changed = (Object.keys(changes) as (keyof PlanSpec)[]).filter((k) => canonicalJson(pick(before, k)) !== canonicalJson(pick(after, k)));
      await this.audit.record(em, {
        action: 'inspection_plan.update', entityType: 'inspection_plan', entityId: id, scopePath: values.divisionPath ?? plan.divisionPath,
        before: { ...Object.fromEntries(changed.map((k) => [k, pick(before, k)])), seed: plan.seed, selected: (plan.drawResult as DrawResult).selected.length },
        after: { ...Object.fromEntries(changed.map((k) => [k, pick(after, k)])), seed: values.seed ?? plan.seed, redrawn: !!drawn, selected: drawn ? drawn.result.selected.length : (plan.drawResult as DrawResult).selected.length },
      });
      const updated = await em.findOneByOrFail(InspectionPlan, { id });
      const progress = (await this.planRows.progress([id], shanghaiDate(new Date())))?.get(id) ?? emptyProgress();
      return { ...updated, pool: after.pool, progress, redrawn: !!drawn };
    });
  }

  /** 409 naming the field when a plan is past editing (published, or an inspection of it started). */
  private async refuseEdit(plan: InspectionPlan): Promise<void> {
    const progress = (await this.planRows.progress([plan.id], shanghaiDate(new Date()))).get(plan.id)!;
    const refusal = editRefusal(plan, progress);
    if (refusal === 'plan.published') {
      throw new AppError(409, refusal, {}, [{ field: 'status', reason: 'planPublished', args: [plan.publishedAt ? formatChineseDateTime(plan.publishedAt) : ''] }]);
    }
    if (refusal === 'plan.started') throw new AppError(409, refusal, {}, [{ field: 'status', reason: 'planStarted', args: [progress.total - progress.assigned] }]);
  }

  async plans(user: AuthUser, query: PlanQuery) {
    const filter = { status: query.status, kind: query.kind, periodFrom: query.periodFrom, periodTo: query.periodTo };
    const [items, total] = await this.planRows.pagePlans(user.divisionPath, filter, (query.page - 1) * query.pageSize, query.pageSize);
    const progress = await this.planRows.progress(items.map((p) => p.id), shanghaiDate(new Date()));
    return pageOf(items.map((p) => ({ ...p, progress: progress.get(p.id)! })), total, query);
  }

  async plan(user: AuthUser, id: string) {
    const plan = await this.inspections.findPlan(user, id);
    if (!plan) throw AppError.notFound('plan.not_found');
    const [progress, pool] = await Promise.all([this.planRows.progress([id], shanghaiDate(new Date())), this.planRows.poolOf(id)]);
    return { ...plan, pool, progress: progress.get(id)! };
  }

  /**
   * The plan as its page shows it: the draw with names (institution → team, lead first, and each inspection's state),
   * the unstaffed institutions with the reason, the inspector pool, and the spec the edit form starts from.
   */
  async planDetail(user: AuthUser, id: string) {
    const plan = await this.plan(user, id);
    const result = plan.drawResult as DrawResult;
    const input = plan.drawInput as { inspectors: { id: string }[]; institutions: { id: string }[]; conflicts: unknown[] };
    const inspectorIds = input.inspectors.map((i) => i.id);
    const institutionIds = [...result.selected.map((s) => s.institutionId), ...result.unstaffed.map((u) => u.institutionId)];
    const [names, inspections] = await Promise.all([this.planRows.names(institutionIds, inspectorIds), this.planRows.inspectionsOf(id)]);
    const byInstitution = new Map(inspections.map((i) => [i.institutionId, i]));
    return {
      plan, spec: specOfPlan(plan, plan.pool), poolSize: input.institutions.length, conflicts: input.conflicts.length,
      rows: result.selected.map((s) => ({
        institutionId: s.institutionId, institution: names.institutions.get(s.institutionId),
        team: s.inspectorIds.map((uid) => ({ id: uid, ...(names.users.get(uid) ?? { name: uid, divisionName: '' }) })),
        inspection: byInstitution.get(s.institutionId) ?? null,
      })),
      unstaffed: result.unstaffed.map((u) => ({ institutionId: u.institutionId, institution: names.institutions.get(u.institutionId), reason: u.reason })),
      inspectors: inspectorIds.map((uid) => ({ id: uid, ...(names.users.get(uid) ?? { name: uid, divisionName: '' }), load: result.load[uid] ?? 0 })),
    };
  }

  /** The accounts a plan may draw from and the divisions it may cover, for the plan form (scoped like the API). */
  async formOptions(user: AuthUser) {
    const scope = scopeOf(user);
    const [{ policy }, inspectors, divisions] = await Promise.all([this.pins(), this.planRows.poolInspectors(scope, user.divisionPath), this.planRows.divisionsIn(scope)]);
    return { inspectors, divisions, defaults: { teamSize: policy.values.team.minSize, conflictMonths: policy.values.draw.conflictMonths } };
  }

  /** Division code → name for the divisions of the user's scope (the plan list shows them). */
  async divisionNames(user: AuthUser): Promise<Map<string, string>> {
    return new Map((await this.planRows.divisionsIn(scopeOf(user))).map((d) => [d.code, d.name]));
  }

  /** Re-runs the recorded draw from its seed and rosters: anyone can check the published result was not chosen by hand. */
  async verifyPlan(user: AuthUser, id: string) {
    const plan = await this.plan(user, id);
    const rerun = this.rerun(plan);
    return { algorithm: plan.algorithm, seed: plan.seed, reproducible: canonicalJson(rerun) === canonicalJson(plan.drawResult), result: rerun };
  }

  /**
   * 抽查分层 for an institution (its credit page): the stratum and ratio of its current standing under the credit
   * rules in force, and the published stratified plans it was in — its stratum there and that stratum's rate, never
   * a reason for an individual draw. The caller has checked that the user may read the institution.
   */
  async strataOf(institutionId: string, current: { stratum: string }) {
    const [{ strata }, plans] = await Promise.all([this.credit.drawStrata(), this.planRows.stratifiedPlansOf(institutionId, 5)]);
    const now = strata.find((x) => x.code === current.stratum) ?? null;
    return {
      current: now ? { code: now.code, label: now.labelZh, ratio: now.ratio } : null,
      plans: plans.map((p) => {
        const s = p.strata.find((x) => x.code === p.stratum);
        return { id: p.id, name: p.name, publishedAt: p.publishedAt, stratum: p.stratum, label: p.strataLabels?.[p.stratum] ?? p.stratum, ratio: s?.ratio ?? null, poolSize: s?.poolSize ?? null, drawn: s?.drawn ?? null };
      }),
    };
  }

  /** The latest 差异化抽查 plan of the user's scope and its strata (null: none yet). */
  async latestStratified(user: AuthUser) {
    const p = await this.planRows.latestStratified(user.divisionPath);
    if (!p) return null;
    return { id: p.id, name: p.name, status: p.status, createdAt: p.createdAt, strata: p.strata.map((x) => ({ ...x, label: p.strataLabels?.[x.code] ?? x.code })) };
  }

  /** 公示: the plan's results become public once every inspection in it is submitted or cancelled. */
  async publishPlan(user: AuthUser, id: string, version: number) {
    return this.dataSource.transaction(async (em) => {
      const plan = await this.inspections.findPlan(user, id, em);
      if (!plan) throw AppError.notFound('plan.not_found');
      const progress = (await this.planRows.progress([id], shanghaiDate(new Date()))).get(id)!;
      const refusal = publishRefusal(plan, progress);
      if (refusal) throw AppError.conflict(refusal);
      if (!(await this.inspections.publishPlan(em, id, version))) throw AppError.conflict();
      await this.audit.record(em, { action: 'inspection_plan.publish', entityType: 'inspection_plan', entityId: id, scopePath: plan.divisionPath, after: { status: 'published', submitted: progress.submitted, cancelled: progress.cancelled } });
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
