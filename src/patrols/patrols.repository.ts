import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { PatrolArea, PatrolFact, PatrolKind, PatrolResult } from './domain/patrol-rules';

export interface PatrolInstitution {
  id: string;
  name: string;
  divisionPath: string;
  status: string;
}

/** 巡查点位 with its QR token (the token is shown only to the institution and the bureau, on the labels). */
export interface PointRow {
  id: string;
  institutionId: string;
  name: string;
  area: PatrolArea;
  code: string;
  token: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface PatrolRow {
  id: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  kind: PatrolKind;
  slotAt: Date;
  status: 'in_progress' | 'submitted';
  checklistVersionId: string;
  safetyWorkPolicyVersionId: string;
  startedByName: string;
  startedAt: Date;
  submittedAt: Date | null;
  late: boolean | null;
  pointsExpected: number | null;
  pointsScanned: number | null;
  note: string | null;
  failed: number;
}

export interface ScanRow {
  pointId: string;
  receivedAt: Date;
}

export interface ResultRow {
  itemCode: string;
  result: PatrolResult;
  note: string | null;
}

/** 自查隐患: a hazard the institution's own patrol found, rectified and closed by the institution. */
export interface SelfHazardRow {
  id: string;
  institutionId: string;
  institutionName: string;
  patrolId: string;
  patrolKind: PatrolKind;
  itemCode: string;
  titleZh: string;
  note: string;
  status: 'open' | 'closed';
  dueDate: string;
  overdue: boolean;
  foundAt: Date;
  closedAt: Date | null;
  closedByName: string | null;
  closureNote: string | null;
  version: number;
}

const PATROL_COLUMNS = `p.id, p.institution_id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath", p.kind,
  p.slot_at AS "slotAt", p.status, p.checklist_version_id AS "checklistVersionId", p.safety_work_policy_version_id AS "safetyWorkPolicyVersionId",
  u.display_name AS "startedByName", p.started_at AS "startedAt", p.submitted_at AS "submittedAt", p.late,
  p.points_expected AS "pointsExpected", p.points_scanned AS "pointsScanned", p.note,
  (SELECT count(*)::int FROM patrol_result r WHERE r.patrol_id = p.id AND r.result = 'fail') AS failed`;
const PATROL_FROM = `FROM patrol p JOIN institution i ON i.id = p.institution_id JOIN app_user u ON u.id = p.started_by`;
const POINT_COLUMNS = `pp.id, pp.institution_id AS "institutionId", pp.name, pp.area, pp.code, pp.token, pp.created_at AS "createdAt", pp.retired_at AS "retiredAt"`;
const SELF_HAZARD_COLUMNS = `h.id, h.institution_id AS "institutionId", i.name AS "institutionName", h.patrol_id AS "patrolId", p.kind AS "patrolKind",
  h.item_code AS "itemCode", h.title_zh AS "titleZh", h.note, h.status, h.due_date::text AS "dueDate",
  (h.status = 'open' AND h.due_date < (now() AT TIME ZONE 'Asia/Shanghai')::date) AS overdue, h.found_at AS "foundAt",
  h.closed_at AS "closedAt", cu.display_name AS "closedByName", h.closure_note AS "closureNote", h.version`;
const SELF_HAZARD_FROM = `FROM self_hazard h JOIN institution i ON i.id = h.institution_id JOIN patrol p ON p.id = h.patrol_id LEFT JOIN app_user cu ON cu.id = h.closed_by`;

/**
 * The only SQL of patrols. Every read goes through the record's institution, limited to the caller's scope (its
 * division path is the institution's); writes take the manager of the service's transaction.
 */
@Injectable()
export class PatrolsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(scope: Scope, params: unknown[], alias: string): string {
    return scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: `${alias}.institution_id` }).bind(params);
  }

  async institution(scope: Scope, institutionId: string, em: EntityManager = this.dataSource.manager): Promise<PatrolInstitution | null> {
    const params: unknown[] = [institutionId];
    const where = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params);
    const [row] = await em.query(`SELECT i.id, i.name, i.division_path AS "divisionPath", i.status FROM institution i WHERE i.id = $1 AND ${where}`, params);
    return row ?? null;
  }

  // ---------------------------------------------------------------- points

  async points(institutionId: string, includeRetired = false, em: EntityManager = this.dataSource.manager): Promise<PointRow[]> {
    return em.query(`SELECT ${POINT_COLUMNS} FROM patrol_point pp WHERE pp.institution_id = $1 ${includeRetired ? '' : 'AND pp.retired_at IS NULL'}
      ORDER BY pp.retired_at NULLS FIRST, pp.created_at, pp.code`, [institutionId]);
  }

  /** An active point of the institution by its QR token or its printed code. */
  async activePoint(institutionId: string, key: { token?: string; code?: string }, em: EntityManager = this.dataSource.manager): Promise<PointRow | null> {
    const [row] = key.token
      ? await em.query(`SELECT ${POINT_COLUMNS} FROM patrol_point pp WHERE pp.token = $1 AND pp.institution_id = $2 AND pp.retired_at IS NULL`, [key.token, institutionId])
      : await em.query(`SELECT ${POINT_COLUMNS} FROM patrol_point pp WHERE pp.code = $1 AND pp.institution_id = $2 AND pp.retired_at IS NULL`, [key.code ?? '', institutionId]);
    return row ?? null;
  }

  /** The point a QR label names, with its institution, if the viewer's scope reaches it. */
  async pointByToken(scope: Scope, token: string): Promise<(PointRow & { institutionName: string }) | null> {
    const params: unknown[] = [token];
    const [row] = await this.dataSource.query(`SELECT ${POINT_COLUMNS}, i.name AS "institutionName" FROM patrol_point pp JOIN institution i ON i.id = pp.institution_id
      WHERE pp.token = $1 AND ${this.scoped(scope, params, 'pp')}`, params);
    return row ?? null;
  }

  /** Inserts a point; null when its code is taken in the institution (the caller draws another). */
  async insertPoint(em: EntityManager, p: { institutionId: string; name: string; area: PatrolArea; code: string; token: string; createdBy: string }): Promise<string | null> {
    const [row] = await em.query(`INSERT INTO patrol_point (institution_id, name, area, code, token, created_by) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (institution_id, code) DO NOTHING RETURNING id`, [p.institutionId, p.name, p.area, p.code, p.token, p.createdBy]);
    return row?.id ?? null;
  }

  async retirePoint(em: EntityManager, institutionId: string, pointId: string): Promise<PointRow | null> {
    // an UPDATE through em.query answers [rows, count]: a CTE makes it a plain row list
    const [row] = await em.query(`WITH u AS (UPDATE patrol_point pp SET retired_at = now() WHERE pp.id = $1 AND pp.institution_id = $2 AND pp.retired_at IS NULL
      RETURNING ${POINT_COLUMNS}) SELECT * FROM u`, [pointId, institutionId]);
    return row ?? null;
  }

  /** When the institution's patrol schedule began: its first point's registration (null: no point yet). */
  async scheduleStart(institutionId: string): Promise<Date | null> {
    const [row] = await this.dataSource.query(`SELECT min(created_at) AS at FROM patrol_point WHERE institution_id = $1`, [institutionId]);
    return row?.at ?? null;
  }

  // ---------------------------------------------------------------- patrols

  async facts(institutionId: string, from: Date): Promise<(PatrolFact & { id: string })[]> {
    return this.dataSource.query(`SELECT id, kind, slot_at AS "slotAt", status, late FROM patrol WHERE institution_id = $1 AND slot_at >= $2 ORDER BY slot_at DESC`,
      [institutionId, from]);
  }

  /** Starts the patrol of a slot, or finds the one already started for it (one patrol per slot). */
  async startPatrol(em: EntityManager, p: { at: Date; institutionId: string; kind: PatrolKind; slotAt: Date; checklistVersionId: string; policyVersionId: string; startedBy: string }): Promise<{ id: string; created: boolean }> {
    const [row] = await em.query(`INSERT INTO patrol (institution_id, kind, slot_at, checklist_version_id, safety_work_policy_version_id, started_by, started_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (institution_id, kind, slot_at) DO NOTHING RETURNING id`,
      [p.institutionId, p.kind, p.slotAt, p.checklistVersionId, p.policyVersionId, p.startedBy, p.at]);
    if (row) return { id: row.id, created: true };
    const [existing] = await em.query(`SELECT id FROM patrol WHERE institution_id = $1 AND kind = $2 AND slot_at = $3`, [p.institutionId, p.kind, p.slotAt]);
    return { id: existing.id, created: false };
  }

  async patrol(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<PatrolRow | null> {
    const params: unknown[] = [id];
    const [row] = await em.query(`SELECT ${PATROL_COLUMNS} ${PATROL_FROM} WHERE p.id = $1 AND ${this.scoped(scope, params, 'p')}${lock ? ' FOR UPDATE OF p' : ''}`, params);
    return row ?? null;
  }

  /** The institution's patrols still in progress (the QR landing page offers them). */
  async inProgress(institutionId: string): Promise<PatrolRow[]> {
    return this.dataSource.query(`SELECT ${PATROL_COLUMNS} ${PATROL_FROM} WHERE p.institution_id = $1 AND p.status = 'in_progress' ORDER BY p.slot_at DESC LIMIT 10`, [institutionId]);
  }

  async page(scope: Scope, institutionId: string, offset: number, limit: number): Promise<[PatrolRow[], number]> {
    const params: unknown[] = [institutionId];
    const where = `p.institution_id = $1 AND ${this.scoped(scope, params, 'p')}`;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM patrol p JOIN institution i ON i.id = p.institution_id WHERE ${where}`, params);
    const rows = await this.dataSource.query(`SELECT ${PATROL_COLUMNS} ${PATROL_FROM} WHERE ${where} ORDER BY p.slot_at DESC, p.kind LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset]);
    return [rows, n];
  }

  async scans(patrolId: string, em: EntityManager = this.dataSource.manager): Promise<ScanRow[]> {
    return em.query(`SELECT point_id AS "pointId", received_at AS "receivedAt" FROM patrol_scan WHERE patrol_id = $1 ORDER BY received_at`, [patrolId]);
  }

  /** Records a scan with the server's time; a second scan of the same point keeps the first time. */
  async insertScan(em: EntityManager, patrolId: string, pointId: string, at: Date): Promise<{ receivedAt: Date; created: boolean }> {
    const [row] = await em.query(`INSERT INTO patrol_scan (patrol_id, point_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING received_at AS "receivedAt"`, [patrolId, pointId, at]);
    if (row) return { receivedAt: row.receivedAt, created: true };
    const [existing] = await em.query(`SELECT received_at AS "receivedAt" FROM patrol_scan WHERE patrol_id = $1 AND point_id = $2`, [patrolId, pointId]);
    return { receivedAt: existing.receivedAt, created: false };
  }

  async results(patrolId: string): Promise<ResultRow[]> {
    return this.dataSource.query(`SELECT item_code AS "itemCode", result, note FROM patrol_result WHERE patrol_id = $1 ORDER BY item_code`, [patrolId]);
  }

  /** Submits a patrol in progress with its results, in one statement for the results; false if it was submitted meanwhile. */
  async submit(em: EntityManager, patrolId: string, s: { at: Date; late: boolean; pointsExpected: number; pointsScanned: number; note: string | null; results: ResultRow[] }): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE patrol SET status = 'submitted', submitted_at = $6, late = $2, points_expected = $3, points_scanned = $4, note = $5
      WHERE id = $1 AND status = 'in_progress' RETURNING id) SELECT id FROM u`, [patrolId, s.late, s.pointsExpected, s.pointsScanned, s.note, s.at]);
    if (!rows.length) return false;
    await em.query(`INSERT INTO patrol_result (patrol_id, item_code, result, note)
      SELECT $1, r.item_code, r.result, r.note FROM jsonb_to_recordset($2::jsonb) AS r(item_code text, result text, note text)`,
      [patrolId, JSON.stringify(s.results.map((r) => ({ item_code: r.itemCode, result: r.result, note: r.note })))]);
    return true;
  }

  // ---------------------------------------------------------------- self-reported hazards

  async insertSelfHazards(em: EntityManager, foundAt: Date, rows: { institutionId: string; patrolId: string; itemCode: string; titleZh: string; note: string; dueDate: string; policyVersionId: string }[]): Promise<{ id: string; itemCode: string }[]> {
    if (!rows.length) return [];
    return em.query(`INSERT INTO self_hazard (institution_id, patrol_id, item_code, title_zh, note, due_date, safety_work_policy_version_id, found_at)
      SELECT r.institution_id, r.patrol_id, r.item_code, r.title_zh, r.note, r.due_date, r.policy_version_id, $2::timestamptz
        FROM jsonb_to_recordset($1::jsonb) AS r(institution_id uuid, patrol_id uuid, item_code text, title_zh text, note text, due_date date, policy_version_id uuid)
      RETURNING id, item_code AS "itemCode"`,
      [JSON.stringify(rows.map((r) => ({ institution_id: r.institutionId, patrol_id: r.patrolId, item_code: r.itemCode, title_zh: r.titleZh, note: r.note, due_date: r.dueDate, policy_version_id: r.policyVersionId }))), foundAt]);
  }

  async selfHazards(scope: Scope, institutionId: string, status: 'open' | 'closed' | undefined, offset: number, limit: number): Promise<[SelfHazardRow[], number]> {
    const params: unknown[] = [institutionId];
    const where = `h.institution_id = $1 AND ${this.scoped(scope, params, 'h')}${status ? ` AND h.status = $${params.push(status)}` : ''}`;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM self_hazard h JOIN institution i ON i.id = h.institution_id WHERE ${where}`, params);
    const rows = await this.dataSource.query(`SELECT ${SELF_HAZARD_COLUMNS} ${SELF_HAZARD_FROM} WHERE ${where}
      ORDER BY (h.status = 'open') DESC, h.due_date, h.found_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, limit, offset]);
    return [rows, n];
  }

  /** The self-reported hazards one patrol raised. */
  async selfHazardsOfPatrol(patrolId: string): Promise<SelfHazardRow[]> {
    return this.dataSource.query(`SELECT ${SELF_HAZARD_COLUMNS} ${SELF_HAZARD_FROM} WHERE h.patrol_id = $1 ORDER BY h.item_code`, [patrolId]);
  }

  async selfHazard(scope: Scope, id: string, em: EntityManager = this.dataSource.manager): Promise<(SelfHazardRow & { divisionPath: string }) | null> {
    const params: unknown[] = [id];
    const [row] = await em.query(`SELECT ${SELF_HAZARD_COLUMNS}, i.division_path AS "divisionPath" ${SELF_HAZARD_FROM} WHERE h.id = $1 AND ${this.scoped(scope, params, 'h')}`, params);
    return row ?? null;
  }

  /** Closes an open self-reported hazard at the version the closer saw; false if it changed or was closed meanwhile. */
  async closeSelfHazard(em: EntityManager, id: string, version: number, closedBy: string, note: string, at: Date): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE self_hazard SET status = 'closed', closed_at = $5, closed_by = $3, closure_note = $4, version = version + 1
      WHERE id = $1 AND version = $2 AND status = 'open' RETURNING id) SELECT id FROM u`, [id, version, closedBy, note, at]);
    return rows.length > 0;
  }

  /** Counts of the institution's self-reported hazards (the institution page and the bureau). */
  async selfHazardCounts(institutionId: string): Promise<{ open: number; overdue: number; closed: number }> {
    const [row] = await this.dataSource.query(`SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
        count(*) FILTER (WHERE status = 'open' AND due_date < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue,
        count(*) FILTER (WHERE status = 'closed')::int AS closed FROM self_hazard WHERE institution_id = $1`, [institutionId]);
    return row;
  }
}
