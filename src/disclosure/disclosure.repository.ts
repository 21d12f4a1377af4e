import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * 公示: what the public may see — results of published inspection plans and the status of listed major hazards.
 * Institution names and findings only: no inspectors, contacts, residents or photos.
 */
@Injectable()
export class DisclosureRepository {
  constructor(private readonly dataSource: DataSource) {}

  publishedResults(limit: number) {
    return this.dataSource.query(`
      SELECT p.id AS "planId", p.name AS "planName", p.kind, p.published_at AS "publishedAt", d.name AS "divisionName",
             i.name AS "institutionName", ins.submitted_at::date::text AS "inspectedOn",
             (SELECT count(*)::int FROM hazard h WHERE h.inspection_id = ins.id) AS hazards,
             (SELECT count(*)::int FROM hazard h WHERE h.inspection_id = ins.id AND h.status = 'closed') AS closed
        FROM inspection_plan p JOIN division d ON d.code = p.division_code
        JOIN inspection ins ON ins.plan_id = p.id AND ins.status = 'submitted'
        JOIN institution i ON i.id = ins.institution_id
       WHERE p.status = 'published'
       ORDER BY p.published_at DESC, i.name LIMIT $1`, [limit]) as Promise<{ planId: string; planName: string; kind: string; publishedAt: Date; divisionName: string; institutionName: string; inspectedOn: string; hazards: number; closed: number }[]>;
  }

  listedMajorHazards(limit: number) {
    return this.dataSource.query(`
      SELECT i.name AS "institutionName", h.item_code AS "itemCode", h.title_zh AS title, h.major_criterion AS "criterion",
             h.created_at::date::text AS "listedOn", h.due_date::text AS "dueDate", h.status, h.closed_at::date::text AS "closedOn"
        FROM hazard h JOIN institution i ON i.id = h.institution_id
       WHERE h.severity = 'major' AND (h.listed OR h.closure_reason = 'verified')
       ORDER BY (h.status = 'closed'), h.due_date LIMIT $1`, [limit]) as Promise<{ institutionName: string; itemCode: string; title: string; criterion: string; listedOn: string; dueDate: string; status: string; closedOn: string | null }[]>;
  }
}
