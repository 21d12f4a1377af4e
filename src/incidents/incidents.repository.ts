import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { IncidentGrade, IncidentStatus, IncidentType } from './domain/incident-rules';

/** 突发事件报告, as stored, with the names the pages show. */
export interface IncidentRow {
  id: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  type: IncidentType;
  grade: IncidentGrade;
  occurredAt: Date;
  reportedAt: Date;
  reportHours: number;
  reportDeadlineAt: Date;
  late: boolean;
  summary: string;
  residentsAffected: number;
  firstMeasures: string;
  reportedByName: string;
  status: IncidentStatus;
  acknowledgedByName: string | null;
  acknowledgedAt: Date | null;
  acknowledgementNote: string | null;
  followUpInspectionId: string | null;
  safetyWorkPolicyVersionId: string;
  version: number;
}

export interface IncidentFilter {
  grade?: IncidentGrade;
  status?: IncidentStatus;
  late?: boolean;
  institutionId?: string;
}

export interface NewIncident {
  institutionId: string;
  type: IncidentType;
  grade: IncidentGrade;
  occurredAt: Date;
  reportedAt: Date;
  reportHours: number;
  reportDeadlineAt: Date;
  late: boolean;
  summary: string;
  residentsAffected: number;
  firstMeasures: string;
  reportedBy: string;
  policyVersionId: string;
}

const COLUMNS = `x.id, x.institution_id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath", x.type, x.grade,
  x.occurred_at AS "occurredAt", x.reported_at AS "reportedAt", x.report_hours::float8 AS "reportHours", x.report_deadline_at AS "reportDeadlineAt",
  x.late, x.summary, x.residents_affected AS "residentsAffected", x.first_measures AS "firstMeasures", ru.display_name AS "reportedByName",
  x.status, au.display_name AS "acknowledgedByName", x.acknowledged_at AS "acknowledgedAt", x.acknowledgement_note AS "acknowledgementNote",
  x.follow_up_inspection_id AS "followUpInspectionId", x.safety_work_policy_version_id AS "safetyWorkPolicyVersionId", x.version`;
const FROM = `FROM incident x JOIN institution i ON i.id = x.institution_id JOIN app_user ru ON ru.id = x.reported_by LEFT JOIN app_user au ON au.id = x.acknowledged_by`;

/**
 * The only SQL of incident reports. Every read is limited to the caller's scope through the report's institution
 * (a report follows its institution to another division).
 */
@Injectable()
export class IncidentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scopeSql(scope: Scope, params: unknown[]): string {
    return scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'x.institution_id' }).bind(params);
  }

  /** The institution a report is filed for, if in scope. */
  async institution(scope: Scope, institutionId: string, em: EntityManager = this.dataSource.manager): Promise<{ id: string; name: string; divisionPath: string } | null> {
    const params: unknown[] = [institutionId];
    const where = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params);
    const [row] = await em.query(`SELECT i.id, i.name, i.division_path AS "divisionPath" FROM institution i WHERE i.id = $1 AND ${where}`, params);
    return row ?? null;
  }

  async page(scope: Scope, filter: IncidentFilter, offset: number, limit: number): Promise<[IncidentRow[], number]> {
    const params: unknown[] = [];
    const where = [this.scopeSql(scope, params)];
    if (filter.grade) where.push(`x.grade = $${params.push(filter.grade)}`);
    if (filter.status) where.push(`x.status = $${params.push(filter.status)}`);
    if (filter.late !== undefined) where.push(`x.late = $${params.push(filter.late)}`);
    if (filter.institutionId) where.push(`x.institution_id = $${params.push(filter.institutionId)}`);
    const sqlWhere = where.join(' AND ');
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM incident x JOIN institution i ON i.id = x.institution_id WHERE ${sqlWhere}`, params);
    // unacknowledged first, then the most recent
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} ${FROM} WHERE ${sqlWhere} ORDER BY (x.status = 'reported') DESC, x.occurred_at DESC, x.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset]);
    return [rows, n];
  }

  async findById(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<IncidentRow | null> {
    const params: unknown[] = [id];
    const [row] = await em.query(`SELECT ${COLUMNS} ${FROM} WHERE x.id = $1 AND ${this.scopeSql(scope, params)}${lock ? ' FOR UPDATE OF x' : ''}`, params);
    return row ?? null;
  }

  async insert(em: EntityManager, r: NewIncident): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO incident (institution_id, type, grade, occurred_at, reported_at, report_hours, report_deadline_at, late, summary, residents_affected,
         first_measures, reported_by, safety_work_policy_version_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [r.institutionId, r.type, r.grade, r.occurredAt, r.reportedAt, r.reportHours, r.reportDeadlineAt, r.late, r.summary, r.residentsAffected,
        r.firstMeasures, r.reportedBy, r.policyVersionId]);
    return row.id;
  }

  /** Records the acknowledgement only if the report is still unacknowledged at `version`. */
  async acknowledgeIfVersion(em: EntityManager, id: string, version: number, by: string, note: string): Promise<boolean> {
    const rows = await em.query(
      `WITH done AS (UPDATE incident SET status = 'acknowledged', acknowledged_by = $3, acknowledged_at = now(), acknowledgement_note = $4, version = version + 1
       WHERE id = $1 AND version = $2 AND status = 'reported' RETURNING id) SELECT id FROM done`, [id, version, by, note]);
    return rows.length === 1;
  }

  /** Links the follow-up inspection only if none is linked yet and the report is at `version`. */
  async linkFollowUpIfVersion(em: EntityManager, id: string, version: number, inspectionId: string): Promise<boolean> {
    const rows = await em.query(
      `WITH done AS (UPDATE incident SET follow_up_inspection_id = $3, version = version + 1
       WHERE id = $1 AND version = $2 AND status = 'acknowledged' AND follow_up_inspection_id IS NULL RETURNING id) SELECT id FROM done`, [id, version, inspectionId]);
    return rows.length === 1;
  }

  /** Unacknowledged reports in scope (optionally of one institution) by grade, and how many of them came late. */
  async openCounts(scope: Scope, institutionId?: string): Promise<{ grade: IncidentGrade; n: number; late: number }[]> {
    const params: unknown[] = [];
    const where = [`x.status = 'reported'`, this.scopeSql(scope, params)];
    if (institutionId) where.push(`x.institution_id = $${params.push(institutionId)}`);
    return this.dataSource.query(
      `SELECT x.grade, count(*)::int AS n, count(*) FILTER (WHERE x.late)::int AS late
       FROM incident x JOIN institution i ON i.id = x.institution_id WHERE ${where.join(' AND ')} GROUP BY x.grade`, params);
  }

  /** Accounts that may form a follow-up inspection team for an institution (as PlansService.prepareAdHoc accepts them). */
  async teamCandidates(scope: Scope, divisionPath: string): Promise<{ id: string; displayName: string; role: string }[]> {
    if (scope.kind !== 'division') return [];
    const params: unknown[] = [];
    const inScope = scopeCondition(scope, { divisionPath: 'u.division_path' }).bind(params);
    return this.dataSource.query(
      `SELECT u.id, u.display_name AS "displayName", u.role FROM app_user u
       WHERE u.role IN ('inspector','bureau_officer') AND u.status = 'active' AND (${inScope} OR $${params.push(divisionPath)} LIKE u.division_path || '%')
       ORDER BY u.role, u.display_name LIMIT 200`, params);
  }
}
