import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The dashboard's maintained summaries (migrations DashboardSummaries and DashboardFlat): `hazard_day_count`, each
 * hazard's two previous findings of the same item at the same institution, `hazard_open_count`, `hazard_due_count`,
 * `hazard_item_month`, `inspection_day_count`, and (migration DashboardInstitutions) `institution_band_count` and
 * `institution_grade_count`. Triggers keep them; this is their upkeep.
 */
@Injectable()
export class HazardSummariesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Folds each key's delta rows into one, in every summary (migrations DashboardSummaries and DashboardFlat; due
   * dates more than 120 days before `today` into one row per path); answers how many delta rows were folded.
   */
  async compact(today: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT hazard_day_count_compact() + dashboard_flat_compact($1::date) + dashboard_institution_compact($1::date) AS n`, [today]);
    return n;
  }

  /**
   * Derives again the previous findings of every (institution, item) pair found since `since` — two submissions in
   * flight at once for the same institution cannot see each other's rows. Answers how many pairs were checked.
   */
  async rederiveSince(since: Date): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `WITH p AS (SELECT DISTINCT institution_id, item_code::text AS item_code FROM hazard WHERE created_at >= $1),
            done AS (SELECT hazard_rederive_previous(array_agg(institution_id), array_agg(item_code)) FROM p)
       SELECT (SELECT count(*) FROM p)::int AS n, (SELECT count(*) FROM done) AS calls`, [since]);
    return n;
  }
}
