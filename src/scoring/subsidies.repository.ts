import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';

/** A schedule covers a division, not one institution: an institution scope sees none. */
const SCHEDULE_SCOPE = { divisionPath: 's.division_path', institutionId: 'NULL::uuid' } as const;

/** SQL for subsidy schedules and their inputs, each read within the caller's scope. */
@Injectable()
export class SubsidiesRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- subsidy schedules

  /**
   * The institutions a schedule lists: in the division, registered (not 筹建), opened on or before the period end
   * and not closed for good before the period starts.
   */
  subsidyInstitutions(scope: Scope, start: string, end: string) {
    const params: unknown[] = [];
    const inScope = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params); // $1
    params.push(start, end);
    return this.dataSource.query(`
      SELECT i.id, i.name, i.status, i.ownership, i.profit_status AS "profitStatus", i.kind, i.opened_on::text AS "openedOn"
        FROM institution i
       WHERE ${inScope} AND i.status <> 'preparing' AND i.opened_on <= $3::date
         AND NOT EXISTS (SELECT 1 FROM institution_interruption x WHERE x.institution_id = i.id AND x.kind = 'closed'
                          AND x.to_date IS NULL AND x.from_date <= $2::date)
       ORDER BY i.division_path, i.name`, params) as Promise<{
        id: string; name: string; status: string; ownership: string; profitStatus: 'for_profit' | 'non_profit' | null; kind: string; openedOn: string;
      }[]>;
  }

  /** The interruptions that overlap the period. */
  interruptions(ids: string[], start: string, end: string): Promise<{ institutionId: string; kind: 'suspended' | 'closed'; from: string; to: string | null }[]> {
    return this.dataSource.query(`
      SELECT institution_id AS "institutionId", kind, from_date::text AS "from", to_date::text AS "to" FROM institution_interruption
       WHERE institution_id = ANY($1::uuid[]) AND from_date <= $3::date AND (to_date IS NULL OR to_date >= $2::date)
       ORDER BY institution_id, from_date`, [ids, start, end]);
  }

  /**
   * The capacity records that decide the period: the one in force on its first day, those that take effect during
   * it, and the earliest one (it stands for the days before the first record).
   */
  capacity(ids: string[], start: string, end: string): Promise<{ institutionId: string; effectiveFrom: string; occupiedBeds: number; residentsSelfCare: number;
    residentsMildlyDisabled: number; residentsModeratelyDisabled: number; residentsSeverelyDisabled: number }[]> {
    return this.dataSource.query(`
      SELECT c.institution_id AS "institutionId", c.effective_from::text AS "effectiveFrom", c.occupied_beds AS "occupiedBeds",
             c.residents_self_care AS "residentsSelfCare", c.residents_mildly_disabled AS "residentsMildlyDisabled",
             c.residents_moderately_disabled AS "residentsModeratelyDisabled", c.residents_severely_disabled AS "residentsSeverelyDisabled"
        FROM institution_capacity c
       WHERE c.institution_id = ANY($1::uuid[])
         AND (c.effective_from BETWEEN $2::date AND $3::date
              OR c.effective_from = (SELECT max(x.effective_from) FROM institution_capacity x WHERE x.institution_id = c.institution_id AND x.effective_from <= $2::date)
              OR c.effective_from = (SELECT min(x.effective_from) FROM institution_capacity x WHERE x.institution_id = c.institution_id))
       ORDER BY c.institution_id, c.effective_from`, [ids, start, end]);
  }

  /** The safety score as of the period end: the latest stored score computed for a day on or before it. */
  safetyAsOf(ids: string[], end: string): Promise<{ institutionId: string; score: number; asOf: string }[]> {
    return this.dataSource.query(`
      SELECT DISTINCT ON (institution_id) institution_id AS "institutionId", score::float AS score, as_of::text AS "asOf"
        FROM safety_score WHERE institution_id = ANY($1::uuid[]) AND as_of <= $2::date
       ORDER BY institution_id, as_of DESC, computed_at DESC`, [ids, end]);
  }

  /**
   * The days each major hazard was open within the period: from its filing day to the day before it was closed
   * (a hazard closed because the objection was upheld never counts).
   */
  majorHazardIntervals(ids: string[], start: string, end: string): Promise<{ institutionId: string; from: string; to: string | null }[]> {
    return this.dataSource.query(`
      SELECT h.institution_id AS "institutionId", (h.created_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "from",
             ((h.closed_at AT TIME ZONE 'Asia/Shanghai')::date - 1)::text AS "to"
        FROM hazard h
       WHERE h.institution_id = ANY($1::uuid[]) AND h.severity = 'major' AND h.closure_reason IS DISTINCT FROM 'objection_upheld'
         AND (h.created_at AT TIME ZONE 'Asia/Shanghai')::date <= $3::date
         AND (h.closed_at IS NULL OR (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date - 1 >= $2::date)
         AND (h.closed_at IS NULL OR (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date > (h.created_at AT TIME ZONE 'Asia/Shanghai')::date)`, [ids, start, end]);
  }

  async insertSchedule(em: EntityManager, s: { divisionCode: string; divisionPath: string; start: string; end: string; policyVersionId: string; scoringVersionId: string | null; productPolicyVersionId: string | null; lines: unknown; total: number; createdBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO subsidy_schedule (division_code, division_path, period_start, period_end, version_no, policy_version_id, scoring_version_id, product_policy_version_id, lines, total, created_by)
       VALUES ($1::varchar, $2, $3::date, $4::date,
               (SELECT coalesce(max(version_no), 0) + 1 FROM subsidy_schedule WHERE division_code = $1::varchar AND period_start = $3::date AND period_end = $4::date),
               $5, $6, $7, $8, $9, $10)
       RETURNING id`,
      [s.divisionCode, s.divisionPath, s.start, s.end, s.policyVersionId, s.scoringVersionId, s.productPolicyVersionId, JSON.stringify(s.lines), s.total, s.createdBy]);
    return row.id;
  }

  async schedule(scope: Scope, id: string, em: EntityManager = this.dataSource.manager) {
    const params: unknown[] = [id];
    const [row] = await em.query(
      `SELECT s.id, s.division_code AS "divisionCode", d.name AS "divisionName", s.division_path AS "divisionPath", s.period_start::text AS "periodStart",
              s.period_end::text AS "periodEnd", s.version_no AS "versionNo", s.status, s.lines, s.total::float AS total, s.created_at AS "createdAt",
              s.approved_at AS "approvedAt", u.display_name AS "approvedByName", v.rule_set_code AS "policyCode", v.version_no AS "policyVersionNo", v.content_hash AS "policyHash",
              s.product_policy_version_id AS "productPolicyVersionId"
         FROM subsidy_schedule s JOIN division d ON d.code = s.division_code JOIN rule_set_version v ON v.id = s.policy_version_id
         LEFT JOIN app_user u ON u.id = s.approved_by
        WHERE s.id = $1 AND ${scopeCondition(scope, SCHEDULE_SCOPE).bind(params)}`, params);
    return row ?? null;
  }

  async pageSchedules(scope: Scope, offset: number, limit: number) {
    const params: unknown[] = [];
    const where = scopeCondition(scope, SCHEDULE_SCOPE).bind(params);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT s.id, s.division_code AS "divisionCode", s.period_start::text AS "periodStart", s.period_end::text AS "periodEnd",
          s.version_no AS "versionNo", s.status, s.total::float AS total, s.created_at AS "createdAt", s.approved_at AS "approvedAt"
          FROM subsidy_schedule s WHERE ${where} ORDER BY s.created_at DESC OFFSET ${Number(offset)} LIMIT ${Number(limit)}`, params),
      this.dataSource.query(`SELECT count(*)::int AS total FROM subsidy_schedule s WHERE ${where}`, params),
    ]);
    return [rows, total] as const;
  }

  async approveSchedule(em: EntityManager, id: string, by: string): Promise<boolean> {
    const r = await em.query(`UPDATE subsidy_schedule SET status = 'approved', approved_by = $2, approved_at = now() WHERE id = $1 AND status = 'draft'`, [id, by]);
    return r[1] === 1;
  }
}
