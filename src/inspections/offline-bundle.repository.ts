import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A finding of the institution's last submitted inspection (上次检查发现的问题), with the hazard it became. */
export interface PreviousFindingRow {
  institutionId: string;
  inspectionId: string;
  submittedAt: Date;
  reportNo: string | null;
  itemCode: string;
  title: string | null;
  note: string | null;
  location: string | null;
  severity: string | null;
  hazardStatus: string | null;
}

/** Reads for the inspector's offline day (下载今日任务): scoped to the inspector's own team assignments. */
@Injectable()
export class OfflineBundleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The open inspections (assigned / in progress) on which this user is a team member, in the task list's order. */
  async openAssignmentIds(userId: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT i.id FROM inspection i
        WHERE i.status IN ('assigned', 'in_progress')
          AND EXISTS (SELECT 1 FROM inspection_team_member m WHERE m.inspection_id = i.id AND m.user_id = $1)
        ORDER BY CASE i.status WHEN 'in_progress' THEN 0 ELSE 1 END, i.scheduled_date ASC NULLS LAST, i.created_at DESC
        LIMIT $2`, [userId, limit]);
    return rows.map((r) => r.id);
  }

  /** The failed items of each institution's latest submitted inspection (one inspection per institution). */
  previousFindings(institutionIds: string[]): Promise<PreviousFindingRow[]> {
    if (!institutionIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `WITH last AS (
         SELECT DISTINCT ON (i.institution_id) i.id, i.institution_id, i.submitted_at, i.report_no
           FROM inspection i
          WHERE i.institution_id = ANY($1::uuid[]) AND i.status = 'submitted'
          ORDER BY i.institution_id, i.submitted_at DESC)
       SELECT last.institution_id AS "institutionId", last.id AS "inspectionId", last.submitted_at AS "submittedAt",
              last.report_no AS "reportNo", r.item_code AS "itemCode", h.title_zh AS title, r.note, r.location, r.severity,
              h.status AS "hazardStatus"
         FROM last
         JOIN inspection_response r ON r.inspection_id = last.id AND r.result = 'fail'
         LEFT JOIN hazard h ON h.inspection_id = last.id AND h.item_code = r.item_code
        ORDER BY last.institution_id, r.item_code`, [institutionIds]);
  }
}
