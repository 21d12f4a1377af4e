import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 运营补贴 pages (issue 13): a draft schedule can be recomputed in place (重新计算) — when and by whom is recorded on
 * the row (the audit event keeps the totals before and after). Schedules of the previous release have neither
 * (NULL = never recomputed). Approved schedules stay frozen by the existing trigger (`subsidy_schedule_frozen`).
 * The index serves "the previous period's schedule of the same division" (the compare page).
 * One approved version per division and period, in the database too (the service refuses a second approval with
 * 409 subsidy.period_approved). An installation of the previous release that already approved two versions of one
 * period keeps both (nothing is rewritten): the unique index is then not created and the migration says so.
 */
export class SubsidyPages1765180400000 implements MigrationInterface {
  name = 'SubsidyPages1765180400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE subsidy_schedule ADD COLUMN recomputed_at timestamptz, ADD COLUMN recomputed_by uuid REFERENCES app_user(id)`);
    await q.query(`ALTER TABLE subsidy_schedule ADD CONSTRAINT subsidy_schedule_recomputed_check CHECK ((recomputed_at IS NULL) = (recomputed_by IS NULL))`);
    await q.query(`CREATE INDEX subsidy_schedule_division_period_idx ON subsidy_schedule (division_code, period_end DESC)`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM subsidy_schedule WHERE status = 'approved'
                    GROUP BY division_code, period_start, period_end HAVING count(*) > 1) THEN
          RAISE NOTICE 'subsidy_schedule: a period has two approved versions; subsidy_schedule_one_approved_idx not created (the service still refuses a further approval)';
        ELSE
          CREATE UNIQUE INDEX subsidy_schedule_one_approved_idx ON subsidy_schedule (division_code, period_start, period_end) WHERE status = 'approved';
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS subsidy_schedule_one_approved_idx`);
    await q.query(`DROP INDEX subsidy_schedule_division_period_idx`);
    await q.query(`ALTER TABLE subsidy_schedule DROP CONSTRAINT subsidy_schedule_recomputed_check, DROP COLUMN recomputed_by, DROP COLUMN recomputed_at`);
  }
}
