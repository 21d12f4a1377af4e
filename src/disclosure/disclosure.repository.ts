import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * 公示: what the public may see — results of published inspection plans and the status of listed major hazards.
 * Institution names and findings only: no inspectors, contacts, residents or photos. The grade in force of the
 * institutions listed, and the bureau's revocations and lowerings of their grades (date, reason, basis).
 */
@Injectable()
export class DisclosureRepository {
  constructor(private readonly dataSource: DataSource) {}

  publishedResults(limit: number) {
    return this.dataSource.query(`
      SELECT p.id AS "planId", p.name AS "planName", p.kind, p.published_at AS "publishedAt", d.name AS "divisionName",
             i.id AS "institutionId", i.name AS "institutionName", (ins.submitted_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "inspectedOn",
             (SELECT count(*)::int FROM hazard h WHERE h.inspection_id = ins.id) AS hazards,
             (SELECT count(*)::int FROM hazard h WHERE h.inspection_id = ins.id AND h.status = 'closed') AS closed
        FROM inspection_plan p JOIN division d ON d.code = p.division_code
        JOIN inspection ins ON ins.plan_id = p.id AND ins.status = 'submitted'
        JOIN institution i ON i.id = ins.institution_id
       WHERE p.status = 'published'
       ORDER BY p.published_at DESC, i.name LIMIT $1`, [limit]) as Promise<{ planId: string; planName: string; kind: string; publishedAt: Date; divisionName: string; institutionId: string; institutionName: string; inspectedOn: string; hazards: number; closed: number }[]>;
  }

  /**
   * 等级撤销与降级 of the institutions the page already discloses (those with a result of a published plan):
   * the decision, the grade it took away or lowered, its date, reason and basis. No decider's name.
   */
  gradeDecisions(limit: number) {
    return this.dataSource.query(`
      SELECT i.name AS "institutionName", d.kind, a.grade AS "assessedGrade", d.new_grade AS "newGrade",
             d.effective_on::text AS "effectiveOn", d.reason, d.basis
        FROM grade_decision d JOIN grade_assessment a ON a.id = d.assessment_id JOIN institution i ON i.id = d.institution_id
       WHERE d.effective_on <= (now() AT TIME ZONE 'Asia/Shanghai')::date  -- only decisions in effect
         AND EXISTS (SELECT 1 FROM inspection ins JOIN inspection_plan p ON p.id = ins.plan_id
                      WHERE ins.institution_id = d.institution_id AND ins.status = 'submitted' AND p.status = 'published')
       ORDER BY d.effective_on DESC, d.decided_at DESC LIMIT $1`, [limit]) as Promise<{
        institutionName: string; kind: 'revoke' | 'lower'; assessedGrade: number; newGrade: number | null; effectiveOn: string; reason: string; basis: string;
      }[]>;
  }

  listedMajorHazards(limit: number) {
    return this.dataSource.query(`
      SELECT i.name AS "institutionName", h.item_code AS "itemCode", h.title_zh AS title, h.major_criterion AS "criterion",
             (h.created_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "listedOn", h.due_date::text AS "dueDate", h.status, (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "closedOn"
        FROM hazard h JOIN institution i ON i.id = h.institution_id
       WHERE h.severity = 'major' AND (h.listed OR h.closure_reason = 'verified')
       ORDER BY (h.status = 'closed'), h.due_date LIMIT $1`, [limit]) as Promise<{ institutionName: string; itemCode: string; title: string; criterion: string; listedOn: string; dueDate: string; status: string; closedOn: string | null }[]>;
  }
}
