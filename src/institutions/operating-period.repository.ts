import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';

const INSTITUTION_SCOPE = { divisionPath: 'i.division_path', institutionId: 'i.id' } as const;

export interface InterruptionRow {
  id: string;
  kind: 'suspended' | 'closed';
  fromDate: string;
  toDate: string | null;
  reason: string;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: Date;
  endedAt: Date | null;
  endedByName: string | null;
  endReason: string | null;
}

/** SQL of an institution's operating period (opened_on, interruptions) and its capacity history, read within scope. */
@Injectable()
export class OperatingPeriodRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The institution's period facts; `lock` takes the row lock every change of the period holds. */
  async institution(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false) {
    const params: unknown[] = [id];
    const [row] = await em.query(
      `SELECT i.id, i.name, i.status, i.division_path AS "divisionPath", i.opened_on::text AS "openedOn"
         FROM institution i WHERE i.id = $1 AND ${scopeCondition(scope, INSTITUTION_SCOPE).bind(params)} ${lock ? 'FOR UPDATE OF i' : ''}`, params);
    return (row ?? null) as { id: string; name: string; status: string; divisionPath: string; openedOn: string } | null;
  }

  interruptions(institutionId: string, em: EntityManager = this.dataSource.manager): Promise<InterruptionRow[]> {
    return em.query(
      `SELECT x.id, x.kind, x.from_date::text AS "fromDate", x.to_date::text AS "toDate", x.reason, x.created_by AS "createdBy",
              c.display_name AS "createdByName", x.created_at AS "createdAt", x.ended_at AS "endedAt", e.display_name AS "endedByName", x.end_reason AS "endReason"
         FROM institution_interruption x LEFT JOIN app_user c ON c.id = x.created_by LEFT JOIN app_user e ON e.id = x.ended_by
        WHERE x.institution_id = $1 ORDER BY x.from_date, x.created_at`, [institutionId]);
  }

  capacityHistory(institutionId: string) {
    return this.dataSource.query(
      `SELECT effective_from::text AS "effectiveFrom", occupied_beds AS "occupiedBeds", residents_self_care AS "residentsSelfCare",
              residents_mildly_disabled AS "residentsMildlyDisabled", residents_moderately_disabled AS "residentsModeratelyDisabled",
              residents_severely_disabled AS "residentsSeverelyDisabled", source, recorded_at AS "recordedAt"
         FROM institution_capacity WHERE institution_id = $1 ORDER BY effective_from`, [institutionId]);
  }

  async setOpenedOn(em: EntityManager, institutionId: string, openedOn: string): Promise<void> {
    await em.query(`UPDATE institution SET opened_on = $2::date WHERE id = $1`, [institutionId, openedOn]);
  }

  /**
   * The values registered (or backfilled) stand from the opening day: when the opening day moves earlier, the
   * earliest capacity record moves with it (a record of a later change never moves).
   */
  async moveFirstCapacity(em: EntityManager, institutionId: string, openedOn: string): Promise<void> {
    await em.query(
      `UPDATE institution_capacity SET effective_from = $2::date
        WHERE institution_id = $1 AND source IN ('registration','backfill') AND effective_from > $2::date
          AND effective_from = (SELECT min(effective_from) FROM institution_capacity WHERE institution_id = $1)`, [institutionId, openedOn]);
  }

  async insertInterruption(em: EntityManager, x: { institutionId: string; kind: string; fromDate: string; toDate: string | null; reason: string; createdBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO institution_interruption (institution_id, kind, from_date, to_date, reason, created_by) VALUES ($1, $2, $3::date, $4::date, $5, $6) RETURNING id`,
      [x.institutionId, x.kind, x.fromDate, x.toDate, x.reason, x.createdBy]);
    return row.id;
  }

  async endInterruption(em: EntityManager, id: string, toDate: string, reason: string, by: string): Promise<boolean> {
    const r = await em.query(
      `UPDATE institution_interruption SET to_date = $2::date, end_reason = $3, ended_by = $4, ended_at = now() WHERE id = $1 AND to_date IS NULL`,
      [id, toDate, reason, by]);
    return r[1] === 1;
  }
}
