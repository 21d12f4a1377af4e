import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';

/** Overdue (逾期) is the ledger's to count (its one definition, hazards.repository.ts); the page asks the ledger. */
export interface HazardCounts {
  open: number;
  closed: number;
  major: number;
}

export interface AssessmentHistoryRow {
  id: string;
  status: 'open' | 'finalized';
  grade: number | null;
  gradeLabel: string | null;
  total: number | null;
  validFrom: string | null;
  validUntil: string | null;
  openedAt: Date;
  finalizedAt: Date | null;
}

export interface GradeDecisionHistoryRow {
  id: string;
  assessmentId: string;
  kind: 'revoke' | 'lower';
  newGrade: number | null;
  reason: string;
  basis: string;
  effectiveOn: string;
  decidedAt: Date;
  decidedByName: string | null;
}

/** One institution's line of a subsidy schedule (the schedule's frozen jsonb line, as computed). */
export interface SubsidyLineHistoryRow {
  scheduleId: string;
  divisionName: string;
  periodStart: string;
  periodEnd: string;
  versionNo: number;
  status: 'draft' | 'approved';
  line: {
    eligible: boolean;
    amount: number;
    suspended?: boolean;
    paidDays?: number;
    operatingDays?: number;
    grade?: number | null;
    safetyScore?: number | null;
    occupiedBeds?: number;
    lines?: { label: string; formula: string; amount: number }[];
    period?: { days: number };
  };
}

/**
 * Read-only SQL of an institution's history for its page: hazard counts, grade assessments and decisions, and its
 * lines in subsidy schedules. Every method is scoped (an institution scope sees its own rows; subsidy schedules
 * cover a division and are never an institution's to read).
 */
@Injectable()
export class InstitutionHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async hazardCounts(scope: Scope, institutionId: string): Promise<HazardCounts> {
    const params: unknown[] = [institutionId];
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE h.status <> 'closed')::int AS open, count(*) FILTER (WHERE h.status = 'closed')::int AS closed,
              count(*) FILTER (WHERE h.status <> 'closed' AND h.severity = 'major')::int AS major
         FROM hazard h WHERE h.institution_id = $1 AND ${scopeCondition(scope, { divisionPath: 'h.division_path', institutionId: 'h.institution_id' }).bind(params)}`, params);
    return row;
  }

  assessments(scope: Scope, institutionId: string, limit = 20): Promise<AssessmentHistoryRow[]> {
    const params: unknown[] = [institutionId];
    return this.dataSource.query(
      `SELECT a.id, a.status, a.grade, a.grade_label AS "gradeLabel", a.total::float AS total, a.valid_from::text AS "validFrom",
              a.valid_until::text AS "validUntil", a.opened_at AS "openedAt", a.finalized_at AS "finalizedAt"
         FROM grade_assessment a
        WHERE a.institution_id = $1 AND ${scopeCondition(scope, { divisionPath: 'a.division_path', institutionId: 'a.institution_id' }).bind(params)}
        ORDER BY a.opened_at DESC LIMIT ${Number(limit)}`, params);
  }

  gradeDecisions(scope: Scope, institutionId: string): Promise<GradeDecisionHistoryRow[]> {
    const params: unknown[] = [institutionId];
    return this.dataSource.query(
      `SELECT d.id, d.assessment_id AS "assessmentId", d.kind, d.new_grade AS "newGrade", d.reason, d.basis, d.effective_on::text AS "effectiveOn",
              d.decided_at AS "decidedAt", u.display_name AS "decidedByName"
         FROM grade_decision d LEFT JOIN app_user u ON u.id = d.decided_by
        WHERE d.institution_id = $1 AND ${scopeCondition(scope, { divisionPath: 'd.division_path', institutionId: 'd.institution_id' }).bind(params)}
        ORDER BY d.effective_on DESC, d.decided_at DESC`, params);
  }

  /** The institution's line in each subsidy schedule of the scope, newest period first (latest version first). */
  subsidyLines(scope: Scope, institutionId: string, limit = 12): Promise<SubsidyLineHistoryRow[]> {
    const params: unknown[] = [institutionId];
    return this.dataSource.query(
      `SELECT s.id AS "scheduleId", d.name AS "divisionName", s.period_start::text AS "periodStart", s.period_end::text AS "periodEnd",
              s.version_no AS "versionNo", s.status, line
         FROM subsidy_schedule s JOIN division d ON d.code = s.division_code
         CROSS JOIN LATERAL jsonb_array_elements(s.lines) AS line
        WHERE line->>'institutionId' = $1::text AND ${scopeCondition(scope, { divisionPath: 's.division_path', institutionId: 'NULL::uuid' }).bind(params)}
        ORDER BY s.period_start DESC, s.version_no DESC LIMIT ${Number(limit)}`, params);
  }
}
