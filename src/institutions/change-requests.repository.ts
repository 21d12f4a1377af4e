import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { ChangeRequestStatus, FactValues } from './change-request';

/** 机构档案变更申请, as stored, with the names the pages show. */
export interface ChangeRequestRow {
  id: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  requestedBy: string;
  requestedByName: string;
  requestedAt: Date;
  before: FactValues;
  after: FactValues;
  reason: string;
  attachmentEvidenceId: string | null;
  status: ChangeRequestStatus;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  version: number;
}

export interface ChangeRequestFilter {
  status?: ChangeRequestStatus;
  institutionId?: string;
}

const COLUMNS = `r.id, r.institution_id AS "institutionId", i.name AS "institutionName", r.division_path AS "divisionPath",
  r.requested_by AS "requestedBy", ru.display_name AS "requestedByName", r.requested_at AS "requestedAt", r.before, r.after, r.reason,
  r.attachment_evidence_id AS "attachmentEvidenceId", r.status, r.decided_by AS "decidedBy", du.display_name AS "decidedByName",
  r.decided_at AS "decidedAt", r.decision_note AS "decisionNote", r.version`;
const FROM = `FROM institution_change_request r JOIN institution i ON i.id = r.institution_id
  JOIN app_user ru ON ru.id = r.requested_by LEFT JOIN app_user du ON du.id = r.decided_by`;

/** The only SQL of change requests; every read is limited to the caller's scope. */
@Injectable()
export class ChangeRequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scopeSql(scope: Scope, params: unknown[]): string {
    return scopeCondition(scope, { divisionPath: 'r.division_path', institutionId: 'r.institution_id' }).bind(params);
  }

  async page(scope: Scope, filter: ChangeRequestFilter, offset: number, limit: number): Promise<[ChangeRequestRow[], number]> {
    const params: unknown[] = [];
    const where = [this.scopeSql(scope, params)];
    if (filter.status) where.push(`r.status = $${params.push(filter.status)}`);
    if (filter.institutionId) where.push(`r.institution_id = $${params.push(filter.institutionId)}`);
    const sqlWhere = where.join(' AND ');
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM institution_change_request r WHERE ${sqlWhere}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} ${FROM} WHERE ${sqlWhere} ORDER BY r.requested_at DESC, r.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset]);
    return [rows, n];
  }

  async findById(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<ChangeRequestRow | null> {
    const params: unknown[] = [id];
    const rows = await em.query(`SELECT ${COLUMNS} ${FROM} WHERE r.id = $1 AND ${this.scopeSql(scope, params)}${lock ? ' FOR UPDATE OF r' : ''}`, params);
    return rows[0] ?? null;
  }

  async pendingFor(institutionId: string, em: EntityManager = this.dataSource.manager): Promise<ChangeRequestRow | null> {
    const rows = await em.query(`SELECT ${COLUMNS} ${FROM} WHERE r.institution_id = $1 AND r.status = 'pending'`, [institutionId]);
    return rows[0] ?? null;
  }

  async insert(em: EntityManager, r: { institutionId: string; divisionPath: string; requestedBy: string; before: FactValues; after: FactValues; reason: string; attachmentEvidenceId: string | null }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO institution_change_request (institution_id, division_path, requested_by, before, after, reason, attachment_evidence_id)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7) RETURNING id`,
      [r.institutionId, r.divisionPath, r.requestedBy, JSON.stringify(r.before), JSON.stringify(r.after), r.reason, r.attachmentEvidenceId]);
    return row.id;
  }

  /** Records the decision only if the request is still pending at `version`; false when someone decided first. */
  async decideIfVersion(em: EntityManager, id: string, version: number, d: { status: ChangeRequestStatus; decidedBy: string; note: string | null }): Promise<boolean> {
    // (a CTE, so the driver answers with the rows rather than UPDATE's [rows, count])
    const rows = await em.query(
      `WITH decided AS (UPDATE institution_change_request SET status = $3, decided_by = $4, decided_at = now(), decision_note = $5, version = version + 1
       WHERE id = $1 AND version = $2 AND status = 'pending' RETURNING id) SELECT id FROM decided`,
      [id, version, d.status, d.decidedBy, d.note]);
    return rows.length === 1;
  }

  /** Requests follow their institution when the bureau moves it to another division, so scope stays right. */
  async moveInstitution(em: EntityManager, institutionId: string, divisionPath: string): Promise<void> {
    await em.query(`UPDATE institution_change_request SET division_path = $2 WHERE institution_id = $1 AND division_path <> $2`, [institutionId, divisionPath]);
  }

  /** A supporting document uploaded for a change request of this institution (any other evidence is not accepted). */
  async attachmentOf(em: EntityManager, evidenceId: string, institutionId: string): Promise<{ id: string } | null> {
    const rows = await em.query(`SELECT id FROM evidence WHERE id = $1 AND institution_id = $2 AND purpose = 'change_request'`, [evidenceId, institutionId]);
    return rows[0] ?? null;
  }
}
