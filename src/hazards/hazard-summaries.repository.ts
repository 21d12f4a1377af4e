import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The dashboard's maintained hazard summaries (migration DashboardSummaries): `hazard_day_count` and each hazard's
 * two previous findings of the same item at the same institution. Triggers keep both; this is their upkeep.
 */
@Injectable()
export class HazardSummariesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Folds each (division path, day)'s delta rows into one; answers how many delta rows were folded. */
  async compact(): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT hazard_day_count_compact() AS n`);
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
