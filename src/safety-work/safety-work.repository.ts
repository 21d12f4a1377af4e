import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { PatrolFact } from '../patrols/domain/patrol-rules';

/** The dashboard's safety-work counts of a scope. */
export interface DashboardSafetyCounts {
  incidentsUnacknowledged: number;
  complaintsOpen: number;
  complaintsOlder: number;
  selfHazardsOpen: number;
  certificatesExpired: number;
  testsExpired: number;
}

/** What the bureau's safety-work view reads of one institution (one row per institution in scope). */
export interface SafetyWorkFacts {
  id: string;
  name: string;
  divisionName: string;
  status: string;
  openedOn: string | null;
  lastLiveDrillOn: string | null;
  scheduleStart: Date | null;
  selfHazardsOpen: number;
  certificatesExpired: number;
  certificatesExpiring: number;
  testsExpired: number;
  testsExpiring: number;
  /** complaints not yet answered (received, accepted), by days since they came in */
  complaintsOpen3: number;
  complaintsOpen15: number;
  complaintsOpenOlder: number;
  incidents90: number;
  incidentsUnacknowledged: number;
}

const FACT_COLUMNS = `i.id, i.name, d.name AS "divisionName", i.status, i.opened_on::text AS "openedOn",
  (SELECT max(dr.held_on)::text FROM drill dr WHERE dr.institution_id = i.id AND dr.form = 'live') AS "lastLiveDrillOn",
  (SELECT min(pp.created_at) FROM patrol_point pp WHERE pp.institution_id = i.id) AS "scheduleStart",
  (SELECT count(*)::int FROM self_hazard h WHERE h.institution_id = i.id AND h.status = 'open') AS "selfHazardsOpen",
  (SELECT count(*) FILTER (WHERE c.expires_on < $1::date)::int FROM register_certificate c WHERE c.institution_id = i.id AND c.retired_at IS NULL) AS "certificatesExpired",
  (SELECT count(*) FILTER (WHERE c.expires_on >= $1::date AND c.expires_on <= $2::date)::int FROM register_certificate c WHERE c.institution_id = i.id AND c.retired_at IS NULL) AS "certificatesExpiring",
  (SELECT count(*) FILTER (WHERE t.expires_on < $1::date)::int FROM register_statutory_test t JOIN register_equipment e ON e.id = t.equipment_id
     WHERE t.institution_id = i.id AND e.retired_at IS NULL) AS "testsExpired",
  (SELECT count(*) FILTER (WHERE t.expires_on >= $1::date AND t.expires_on <= $2::date)::int FROM register_statutory_test t JOIN register_equipment e ON e.id = t.equipment_id
     WHERE t.institution_id = i.id AND e.retired_at IS NULL) AS "testsExpiring",
  (SELECT count(*) FILTER (WHERE c.received_at > now() - interval '3 days')::int FROM complaint c WHERE c.institution_id = i.id AND c.status IN ('received','accepted')) AS "complaintsOpen3",
  (SELECT count(*) FILTER (WHERE c.received_at <= now() - interval '3 days' AND c.received_at > now() - interval '15 days')::int FROM complaint c
     WHERE c.institution_id = i.id AND c.status IN ('received','accepted')) AS "complaintsOpen15",
  (SELECT count(*) FILTER (WHERE c.received_at <= now() - interval '15 days')::int FROM complaint c WHERE c.institution_id = i.id AND c.status IN ('received','accepted')) AS "complaintsOpenOlder",
  (SELECT count(*)::int FROM incident x WHERE x.institution_id = i.id AND x.occurred_at > now() - interval '90 days') AS "incidents90",
  (SELECT count(*)::int FROM incident x WHERE x.institution_id = i.id AND x.status = 'reported') AS "incidentsUnacknowledged"`;

/**
 * The only SQL of the bureau's safety-work view: one row per institution in the caller's scope, with the facts of
 * its own safety work (patrols, drills, registers) and of the public's voice (complaints, incidents). Counts are
 * correlated subqueries on the features' institution indexes; institutions are paged, so a page costs its rows.
 */
@Injectable()
export class SafetyWorkRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Institutions in scope (not closed), by name; `today` and `horizon` bound the "expiring" window. */
  async page(scope: Scope, f: { today: string; horizon: string; institutionId?: string }, offset: number, limit: number): Promise<[SafetyWorkFacts[], number]> {
    // $1 and $2 (the expiry window) are the row query's; the count binds the same filter from $1
    const filter = (params: unknown[]) => {
      const where = [`i.status <> 'closed'`, scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params)];
      if (f.institutionId) where.push(`i.id = $${params.push(f.institutionId)}`);
      return where.join(' AND ');
    };
    const countParams: unknown[] = [];
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM institution i WHERE ${filter(countParams)}`, countParams);
    const params: unknown[] = [f.today, f.horizon];
    const sql = filter(params);
    const rows = await this.dataSource.query(`SELECT ${FACT_COLUMNS} FROM institution i JOIN division d ON d.code = i.division_code WHERE ${sql}
      ORDER BY i.name, i.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, limit, offset]);
    return [rows, n];
  }

  /**
   * The dashboard's few counts for the whole scope, each from a small table through its institution (no
   * per-institution computation: patrol completion and drills due are on /safety-work).
   */
  async scopeCounts(scope: Scope, today: string): Promise<DashboardSafetyCounts> {
    const params: unknown[] = [today];
    const inScope = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params);
    const [row] = await this.dataSource.query(`SELECT
        (SELECT count(*)::int FROM incident x JOIN institution i ON i.id = x.institution_id WHERE x.status = 'reported' AND ${inScope}) AS "incidentsUnacknowledged",
        (SELECT count(*)::int FROM complaint c JOIN institution i ON i.id = c.institution_id WHERE c.status IN ('received','accepted') AND ${inScope}) AS "complaintsOpen",
        (SELECT count(*)::int FROM complaint c JOIN institution i ON i.id = c.institution_id WHERE c.status IN ('received','accepted') AND c.received_at <= now() - interval '15 days' AND ${inScope}) AS "complaintsOlder",
        (SELECT count(*)::int FROM self_hazard h JOIN institution i ON i.id = h.institution_id WHERE h.status = 'open' AND ${inScope}) AS "selfHazardsOpen",
        (SELECT count(*)::int FROM register_certificate rc JOIN institution i ON i.id = rc.institution_id WHERE rc.retired_at IS NULL AND rc.expires_on < $1::date AND ${inScope}) AS "certificatesExpired",
        (SELECT count(*)::int FROM register_statutory_test t JOIN register_equipment e ON e.id = t.equipment_id JOIN institution i ON i.id = t.institution_id
           WHERE e.retired_at IS NULL AND t.expires_on < $1::date AND ${inScope}) AS "testsExpired"`, params);
    return row;
  }

  /** The patrols of these institutions from `from` on (slot time). */
  async patrolFacts(institutionIds: string[], from: Date): Promise<(PatrolFact & { institutionId: string })[]> {
    if (!institutionIds.length) return [];
    return this.dataSource.query(`SELECT institution_id AS "institutionId", kind, slot_at AS "slotAt", status, late FROM patrol
      WHERE institution_id = ANY($1::uuid[]) AND slot_at >= $2`, [institutionIds, from]);
  }
}
