import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { divisionScope, Scope, scopeCondition } from '../common/scope';
import { PlanProgress, riskBounds, RiskLevel } from './domain/plan-rules';
import { InspectionPlan } from './inspection.entity';

const PLAN_SCOPE = { divisionPath: 'p.division_path' } as const;
const INSTITUTION_SCOPE = { divisionPath: 'i.division_path', institutionId: 'i.id' } as const;

/** The filters a plan's institution pool was drawn from (inspection_plan.pool). */
export interface PlanPool {
  institutionKinds?: string[];
  institutionStatuses?: string[];
  riskLevels?: RiskLevel[];
  lastInspectedBefore?: string;
  checklistCode?: string;
}

export interface PlanFilter {
  status?: string;
  kind?: string;
  periodFrom?: string;
  periodTo?: string;
}

/** An account that may be put in a plan's inspector pool, with the division it belongs to (its 单位). */
export interface PoolInspector {
  id: string;
  displayName: string;
  role: string;
  divisionCode: string;
  divisionName: string;
}

/**
 * The plan pages' queries (检查计划): the pool of institutions by the plan's filters, the inspectors a plan may draw
 * from, progress by state, and the edits of a plan before publication. Plans are seen in the subtree of the user's
 * division, like InspectionsRepository.findPlan.
 */
@Injectable()
export class PlansRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Institutions of the division subtree (and the scope) matching the pool filters, ids in no particular order. */
  async poolInstitutionIds(scope: Scope, divisionPath: string, pool: PlanPool): Promise<string[]> {
    const values: unknown[] = [];
    const where = [scopeCondition(scope, INSTITUTION_SCOPE).bind(values), scopeCondition(divisionScope(divisionPath), INSTITUTION_SCOPE).bind(values)];
    values.push(pool.institutionStatuses?.length ? pool.institutionStatuses : ['active']);
    where.push(`i.status = ANY($${values.length})`);
    if (pool.institutionKinds?.length) {
      values.push(pool.institutionKinds);
      where.push(`i.kind = ANY($${values.length})`);
    }
    if (pool.riskLevels?.length) {
      const bands = pool.riskLevels.map((level) => {
        if (level === 'unscored') return 's.score IS NULL';
        const { min, max } = riskBounds(level);
        const parts = ['s.score IS NOT NULL'];
        if (min !== null) parts.push(`s.score >= $${values.push(min)}`);
        if (max !== null) parts.push(`s.score < $${values.push(max)}`);
        return `(${parts.join(' AND ')})`;
      });
      where.push(`(${bands.join(' OR ')})`);
    }
    if (pool.lastInspectedBefore) {
      // Never inspected counts as "before"; the day is a Shanghai calendar day.
      values.push(pool.lastInspectedBefore);
      where.push(`NOT EXISTS (SELECT 1 FROM inspection x WHERE x.institution_id = i.id AND x.status = 'submitted'
        AND (x.submitted_at AT TIME ZONE 'Asia/Shanghai')::date >= $${values.length}::date)`);
    }
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT i.id FROM institution i LEFT JOIN institution_score s ON s.institution_id = i.id WHERE ${where.join(' AND ')}`, values);
    return rows.map((r) => r.id);
  }

  /**
   * The accounts a plan of the user's scope may draw from: active inspectors and officers of the scope, and those
   * of the divisions above the user's own (a city's inspectors join a district's plan) — what
   * UsersRepository.findInspectors accepts. Inspectors first, then by division and name.
   */
  poolInspectors(scope: Scope, userDivisionPath: string): Promise<PoolInspector[]> {
    if (scope.kind !== 'division') return Promise.resolve([]);
    const values: unknown[] = [];
    const inScope = scopeCondition(scope, { divisionPath: 'u.division_path' }).bind(values);
    values.push(userDivisionPath);
    return this.dataSource.query(
      `SELECT u.id, u.display_name AS "displayName", u.role, u.division_code AS "divisionCode", d.name AS "divisionName"
         FROM app_user u JOIN division d ON d.code = u.division_code
        WHERE u.role IN ('inspector','bureau_officer') AND u.status = 'active'
          AND (${inScope} OR $${values.length} LIKE u.division_path || '%')
        ORDER BY u.role <> 'inspector', u.division_path, u.display_name, u.id`, values);
  }

  /** The divisions of the scope, for the division picker (outermost first). */
  divisionsIn(scope: Scope): Promise<{ code: string; name: string; level: string; path: string }[]> {
    if (scope.kind !== 'division') return Promise.resolve([]);
    const values: unknown[] = [];
    const inScope = scopeCondition(scope, { divisionPath: 'd.path' }).bind(values);
    return this.dataSource.query(`SELECT d.code, d.name, d.level, d.path FROM division d WHERE ${inScope} AND d.level IN ('province','city','district','street') ORDER BY d.path LIMIT 500`, values);
  }

  /** Plans in the user's subtree, newest first, with the list filters (the period overlaps [from, to]). */
  pagePlans(userDivisionPath: string, filter: PlanFilter, offset: number, limit: number): Promise<[InspectionPlan[], number]> {
    const inScope = scopeCondition(divisionScope(userDivisionPath), PLAN_SCOPE);
    const qb = this.dataSource.getRepository(InspectionPlan).createQueryBuilder('p').where(inScope.sql, inScope.params);
    if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
    if (filter.kind) qb.andWhere('p.kind = :kind', { kind: filter.kind });
    if (filter.periodFrom) qb.andWhere('COALESCE(p.scheduled_to, p.scheduled_from, (p.created_at AT TIME ZONE \'Asia/Shanghai\')::date) >= :pf', { pf: filter.periodFrom });
    if (filter.periodTo) qb.andWhere('COALESCE(p.scheduled_from, p.scheduled_to, (p.created_at AT TIME ZONE \'Asia/Shanghai\')::date) <= :pt', { pt: filter.periodTo });
    return qb.orderBy('p.created_at', 'DESC').addOrderBy('p.id').skip(offset).take(limit).getManyAndCount();
  }

  /** Counts of the plan's inspections by state; overdue = not done although the plan's period ended before `today`. */
  async progress(planIds: string[], today: string): Promise<Map<string, PlanProgress>> {
    const out = new Map<string, PlanProgress>(planIds.map((id) => [id, { total: 0, done: 0, assigned: 0, started: 0, submitted: 0, cancelled: 0, overdue: 0 }]));
    if (!planIds.length) return out;
    const rows: (PlanProgress & { planId: string })[] = await this.dataSource.query(
      `SELECT i.plan_id AS "planId", count(*)::int AS total,
              count(*) FILTER (WHERE i.status IN ('submitted','cancelled'))::int AS done,
              count(*) FILTER (WHERE i.status = 'assigned')::int AS assigned,
              count(*) FILTER (WHERE i.status = 'in_progress')::int AS started,
              count(*) FILTER (WHERE i.status = 'submitted')::int AS submitted,
              count(*) FILTER (WHERE i.status = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE i.status IN ('assigned','in_progress') AND COALESCE(p.scheduled_to, i.scheduled_date) < $2::date)::int AS overdue
         FROM inspection i JOIN inspection_plan p ON p.id = i.plan_id
        WHERE i.plan_id = ANY($1) GROUP BY i.plan_id`, [planIds, today]);
    for (const r of rows) out.set(r.planId, { total: r.total, done: r.done, assigned: r.assigned, started: r.started, submitted: r.submitted, cancelled: r.cancelled, overdue: r.overdue });
    return out;
  }

  /** The plan's inspections with their status, for the result table (institution id → state). */
  inspectionsOf(planId: string): Promise<{ id: string; institutionId: string; status: string; submittedAt: Date | null }[]> {
    return this.dataSource.query(
      `SELECT id, institution_id AS "institutionId", status, submitted_at AS "submittedAt" FROM inspection WHERE plan_id = $1`, [planId]);
  }

  /** Names of institutions and of accounts (the draw result shows them; the ids come from a plan the user sees). */
  async names(institutionIds: string[], userIds: string[]): Promise<{ institutions: Map<string, { name: string; divisionName: string }>; users: Map<string, { name: string; divisionName: string }> }> {
    const [inst, users]: [{ id: string; name: string; divisionName: string }[], { id: string; name: string; divisionName: string }[]] = await Promise.all([
      institutionIds.length ? this.dataSource.query(`SELECT i.id, i.name, d.name AS "divisionName" FROM institution i JOIN division d ON d.code = i.division_code WHERE i.id = ANY($1)`, [institutionIds]) : [],
      userIds.length ? this.dataSource.query(`SELECT u.id, u.display_name AS name, d.name AS "divisionName" FROM app_user u JOIN division d ON d.code = u.division_code WHERE u.id = ANY($1)`, [userIds]) : [],
    ]);
    return {
      institutions: new Map(inst.map((r) => [r.id, { name: r.name, divisionName: r.divisionName }])),
      users: new Map(users.map((r) => [r.id, { name: r.name, divisionName: r.divisionName }])),
    };
  }

  /**
   * 差异化抽查 an institution was in: the published stratified plans whose pool held it, latest first, with the
   * stratum it was drawn in and that stratum's ratio, pool and draw (as recorded with the plan).
   */
  async stratifiedPlansOf(institutionId: string, limit: number): Promise<{ id: string; name: string; publishedAt: Date; stratum: string; strataLabels: Record<string, string> | null; strata: { code: string; ratio: number; poolSize: number; drawn: number }[] }[]> {
    return this.dataSource.query(
      `SELECT p.id, p.name, p.published_at AS "publishedAt",
              (SELECT e->>'stratum' FROM jsonb_array_elements(p.draw_input->'institutions') e WHERE e->>'id' = $1 LIMIT 1) AS stratum,
              p.draw_input->'strataLabels' AS "strataLabels", p.draw_result->'strata' AS strata
         FROM inspection_plan p
        WHERE p.algorithm = 'yian-draw-v2' AND p.status = 'published' AND p.draw_input->'institutions' @> jsonb_build_array(jsonb_build_object('id', $1::text))
        ORDER BY p.published_at DESC LIMIT $2`, [institutionId, limit]);
  }

  /** The latest stratified plan of the division subtree, with its strata as recorded (the dashboard's card). */
  async latestStratified(divisionPath: string): Promise<{ id: string; name: string; status: string; createdAt: Date; strataLabels: Record<string, string> | null; strata: { code: string; ratio: number; poolSize: number; drawn: number }[] } | null> {
    const [row] = await this.dataSource.query(
      `SELECT p.id, p.name, p.status, p.created_at AS "createdAt", p.draw_input->'strataLabels' AS "strataLabels", p.draw_result->'strata' AS strata
         FROM inspection_plan p WHERE p.algorithm = 'yian-draw-v2' AND p.division_path LIKE $1 ORDER BY p.created_at DESC LIMIT 1`, [`${divisionPath}%`]);
    return row ?? null;
  }

  async poolOf(planId: string, em: EntityManager = this.dataSource.manager): Promise<PlanPool> {
    const [row] = await em.query(`SELECT pool FROM inspection_plan WHERE id = $1`, [planId]);
    return (row?.pool ?? {}) as PlanPool;
  }

  async setPool(em: EntityManager, planId: string, pool: PlanPool): Promise<void> {
    await em.query(`UPDATE inspection_plan SET pool = $2 WHERE id = $1`, [planId, JSON.stringify(pool)]);
  }

  /** Locks the plan for an edit; null when it is gone or was changed since `version` was read. */
  async lockForEdit(em: EntityManager, planId: string, version: number): Promise<InspectionPlan | null> {
    const plan = await em.getRepository(InspectionPlan).createQueryBuilder('p').setLock('pessimistic_write')
      .where('p.id = :id', { id: planId }).getOne();
    return plan && plan.version === version ? plan : null;
  }

  /** Writes the edited plan (a new version). */
  async updatePlan(em: EntityManager, planId: string, values: Partial<InspectionPlan>): Promise<void> {
    await em.getRepository(InspectionPlan).update({ id: planId }, { ...values, version: () => 'version + 1' } as object);
  }

  /**
   * Locks every inspection of the plan (inside the edit's transaction) and counts those somebody has touched: not
   * assigned, started, a draft saved, a photo taken or its 检查码 confirmed by the institution (the team was there).
   * An edit goes on only when none is: a draft or a photo saved while the inspection is still 'assigned' must not be
   * left behind by a redraw, nor break on a foreign key.
   */
  async lockTouchedInspections(em: EntityManager, planId: string): Promise<number> {
    const rows: { id: string; touched: boolean }[] = await em.query(
      `SELECT i.id, (i.status <> 'assigned' OR i.started_at IS NOT NULL OR i.draft IS NOT NULL
                     OR EXISTS (SELECT 1 FROM evidence e WHERE e.inspection_id = i.id)
                     OR EXISTS (SELECT 1 FROM inspection_code c WHERE c.inspection_id = i.id AND c.confirmed_at IS NOT NULL)) AS touched
         FROM inspection i WHERE i.plan_id = $1 ORDER BY i.id FOR UPDATE OF i`, [planId]);
    return rows.filter((r) => r.touched).length;
  }

  /** Removes the plan's inspections before drawing again; only untouched ones (assigned, no draft) — the caller checked. */
  async removeUntouchedInspections(em: EntityManager, planId: string): Promise<number> {
    const ids: { id: string }[] = await em.query(
      `SELECT id FROM inspection WHERE plan_id = $1 AND status = 'assigned' AND started_at IS NULL AND draft IS NULL FOR UPDATE`, [planId]);
    if (!ids.length) return 0;
    const list = ids.map((r) => r.id);
    await em.query(`DELETE FROM inspection_team_member WHERE inspection_id = ANY($1)`, [list]);
    await em.query(`DELETE FROM inspection WHERE id = ANY($1)`, [list]);
    return list.length;
  }

  /** The period change of a plan reaches its inspections' scheduled day. */
  async rescheduleInspections(em: EntityManager, planId: string, scheduledDate: string | null): Promise<void> {
    await em.query(`UPDATE inspection SET scheduled_date = $2, updated_at = now() WHERE plan_id = $1 AND status = 'assigned'`, [planId, scheduledDate]);
  }
}
