import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SubsidyLine } from '../scoring/domain/subsidy';

/** One institution's line of an approved subsidy schedule (运营补贴), as the institution's workspace shows it. */
export interface ApprovedSubsidyLine {
  scheduleId: string;
  periodStart: string;
  periodEnd: string;
  versionNo: number;
  approvedAt: Date;
  amount: number;
  eligible: boolean | null;
  paidDays: number | null;
  suspended: boolean | null;
  /** the arithmetic of the amount, one line per segment and care level */
  lines: SubsidyLine[];
}

/**
 * SQL of the institution's workspace. Subsidy schedules are the bureau's documents (scoped by division); an
 * institution reads only its own line of a schedule, and only once the schedule is approved — a draft's figures
 * are not a decision and are never shown to it.
 */
@Injectable()
export class WorkspaceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The institution's lines of approved schedules, newest period first. `institutionId` is the caller's own (checked
   * by the caller). Of a division's period only the current approved version counts: one is approved per division
   * and period (SubsidiesService.approve, and the unique index subsidy_schedule_one_approved_idx), but an installation
   * of an earlier release may hold two — the later version replaced the earlier, whose amount is no longer a decision
   * (and if the later one no longer lists the institution, it has no line for that period).
   */
  approvedSubsidyLines(institutionId: string, limit = 12): Promise<ApprovedSubsidyLine[]> {
    return this.dataSource.query(
      `SELECT s.id AS "scheduleId", s.period_start::text AS "periodStart", s.period_end::text AS "periodEnd", s.version_no AS "versionNo",
              s.approved_at AS "approvedAt", (l->>'amount')::float AS amount, (l->>'eligible')::boolean AS eligible,
              (l->>'paidDays')::int AS "paidDays", (l->>'suspended')::boolean AS suspended, COALESCE(l->'lines', '[]'::jsonb) AS lines
         FROM subsidy_schedule s CROSS JOIN LATERAL jsonb_array_elements(s.lines) l
        WHERE s.status = 'approved' AND l->>'institutionId' = $1::text
          AND NOT EXISTS (SELECT 1 FROM subsidy_schedule later
                           WHERE later.division_code = s.division_code AND later.period_start = s.period_start AND later.period_end = s.period_end
                             AND later.status = 'approved' AND later.version_no > s.version_no)
        ORDER BY s.period_end DESC, s.version_no DESC LIMIT ${Math.min(Math.max(1, Number(limit) || 1), 50)}`, [institutionId]);
  }
}
