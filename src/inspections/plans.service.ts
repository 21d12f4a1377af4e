import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../audit/audit-chain';
import { AuditService } from '../audit/audit.service';
import { ChecklistsService } from '../checklists/checklists.service';
import { PolicyService } from '../checklists/policy.service';
import { AppError } from '../common/app-error';
import { pageOf } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { UsersRepository } from '../users/users.repository';
import { DRAW_ALGORITHM, drawInspections, DrawInputError, DrawResult } from './domain/random-draw';
import { ConflictDto, CreateInspectionDto, CreatePlanDto } from './dto/inspection.dto';
import { Inspection, InspectionPlan } from './inspection.entity';
import { InspectionsRepository } from './inspections.repository';

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
  ) {}

  /** The policy and local rule set in force: every inspection pins both at creation (docs/policy.md). */
  private async pins() {
    const [policy, local] = await Promise.all([this.policies.current(), this.policies.localRuleSet()]);
    return { policy, values: { productPolicyVersionId: policy.versionId, localRuleSetVersionId: local?.versionId ?? null } };
  }

  /**
   * An ad-hoc inspection. `extra.pins` (a re-inspection): the parent's policy and local rule set pins, inherited
   * instead of the ones in force now (the team size is checked under the inherited policy).
   */
  async createAdHoc(
    user: AuthUser, dto: CreateInspectionDto,
    extra: { parentInspectionId?: string; itemCodes?: string[]; checklistVersionId?: string; pins?: { productPolicyVersionId: string | null; localRuleSetVersionId: string | null } } = {},
  ): Promise<Inspection> {
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
    return this.dataSource.transaction(async (em) => {
      const inspection = await this.inspections.insert(em, {
        kind: dto.kind, institutionId: institution.id, divisionPath: institution.divisionPath, checklistVersionId,
        scheduledDate: dto.scheduledDate ?? null, createdBy: user.id,
        parentInspectionId: extra.parentInspectionId ?? null, itemCodes: extra.itemCodes ?? null, ...pinned,
      }, [...new Set(dto.teamUserIds)].map((userId, i) => ({ userId, role: i === 0 ? 'lead' : 'member' })));
      const { pins: _pins, ...recorded } = extra;
      await this.audit.record(em, { action: 'inspection.create', entityType: 'inspection', entityId: inspection.id, scopePath: inspection.divisionPath, after: { ...dto, ...recorded, ...pinned } });
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
    const { policy, values: pinned } = await this.pins();
    const teamSize = dto.teamSize ?? policy.values.team.minSize;
    if (teamSize < policy.values.team.minSize) throw AppError.validation([{ field: 'teamSize', reason: 'teamTooSmall', args: [policy.values.team.minSize] }]);
    const version = await this.checklists.resolveVersion(dto.checklistCode ?? 'fire-safety-inspection');
    const institutionIds = await this.institutions.idsMatching(scope, division.path, dto.institutionKinds, dto.institutionStatuses ?? ['active']);
    const inspectors = await this.users.findInspectors(scope, dto.inspectorIds, division.path);
    const unknown = dto.inspectorIds.filter((id) => !inspectors.some((u) => u.id === id));
    if (unknown.length) throw AppError.validation(unknown.map((id) => ({ field: 'inspectorIds', reason: 'notInspector', args: [id] })));
    const conflictMonths = dto.conflictMonths ?? policy.values.draw.conflictMonths;
    const since = new Date();
    since.setUTCMonth(since.getUTCMonth() - conflictMonths);
    const [recent, bound] = await Promise.all([this.inspections.recentPairs(institutionIds, since), this.inspections.boundPairs(dto.inspectorIds)]);
    const drawInput = {
      seed: dto.seed ?? randomBytes(12).toString('hex'),
      institutions: institutionIds.map((id) => ({ id })),
      inspectors: inspectors.map((u) => ({ id: u.id })),
      sample: dto.kind === 'random' ? { count: dto.sampleCount, ratio: dto.sampleRatio } : { ratio: 1 },
      teamSize,
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
          checklistVersionId: version.id, scheduledDate: dto.scheduledFrom ?? null, createdBy: user.id, ...pinned,
        }, s.inspectorIds.map((userId, i) => ({ userId, role: i === 0 ? 'lead' : 'member' })));
      }
      await this.audit.record(em, {
        action: 'inspection_plan.create', entityType: 'inspection_plan', entityId: plan.id, scopePath: division.path,
        after: { name: plan.name, kind: plan.kind, seed: plan.seed, algorithm: plan.algorithm, selected: result.selected.length, unstaffed: result.unstaffed.length, ...pinned },
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
