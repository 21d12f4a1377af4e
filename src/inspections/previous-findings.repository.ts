import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser, scopeCondition, scopeOf } from '../common/scope';

/** The institution's previous submitted inspection, as the on-site form shows it. */
export interface PreviousInspection {
  id: string;
  submittedAt: Date;
  reportNo: string | null;
}

/** One 不合格 answer of the previous inspection, with what became of its hazard. */
export interface PreviousFinding {
  itemCode: string;
  note: string | null;
  location: string | null;
  severity: 'general' | 'major' | null;
  scope: 'single' | 'multiple' | 'widespread' | null;
  hazardStatus: 'open' | 'responded' | 'returned' | 'closed' | null;
}

/**
 * 上次检查发现: what the previous inspection of the same institution found, for the on-site form (repeat problems).
 * Scoped through the current inspection: the reader must see it (an inspector on its team, an institution its own
 * submitted one, a bureau user its division subtree), and only that inspection's institution is read.
 */
@Injectable()
export class PreviousFindingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest inspection of the same institution submitted before this one (or before now, while it is open). */
  async previousInspection(user: AuthUser, currentId: string): Promise<PreviousInspection | null> {
    const params: unknown[] = [currentId];
    const visible = this.visibleCurrent(user, params);
    const rows: PreviousInspection[] = await this.dataSource.query(
      `SELECT p.id, p.submitted_at AS "submittedAt", p.report_no AS "reportNo"
         FROM inspection c
         JOIN inspection p ON p.institution_id = c.institution_id AND p.id <> c.id AND p.status = 'submitted'
                          AND p.submitted_at < coalesce(c.submitted_at, now())
        WHERE c.id = $1 AND ${visible}
        ORDER BY p.submitted_at DESC, p.id DESC
        LIMIT 1`, params);
    return rows[0] ?? null;
  }

  /** The failed answers of `previousId`, each with the status of the hazard it raised. */
  failedAnswers(previousId: string): Promise<PreviousFinding[]> {
    return this.dataSource.query(
      `SELECT r.item_code AS "itemCode", r.note, r.location, r.severity, r.scope, h.status AS "hazardStatus"
         FROM inspection_response r
         LEFT JOIN hazard h ON h.inspection_id = r.inspection_id AND h.item_code = r.item_code
        WHERE r.inspection_id = $1 AND r.result = 'fail'
        ORDER BY r.item_code`, [previousId]);
  }

  /** The SQL condition on `c` (the current inspection) the user's visibility puts; binds into `params`. */
  private visibleCurrent(user: AuthUser, params: unknown[]): string {
    if (user.role === 'inspector') {
      params.push(user.id);
      return `EXISTS (SELECT 1 FROM inspection_team_member m WHERE m.inspection_id = c.id AND m.user_id = $${params.length})`;
    }
    const inScope = scopeCondition(scopeOf(user), { divisionPath: 'c.division_path', institutionId: 'c.institution_id' }).bind(params);
    return user.role === 'institution' ? `${inScope} AND c.status = 'submitted'` : inScope;
  }
}
