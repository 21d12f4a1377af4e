import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 差异化抽查 (issue 17, item 3): a 双随机 plan drawn with yian-draw-v2 takes its ratios from the credit rules, stratum by
 * stratum, and records no single sample count or ratio. The plan's algorithm is one of the published ones.
 */
export class StratifiedPlans1765300100000 implements MigrationInterface {
  name = 'StratifiedPlans1765300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspection_plan DROP CONSTRAINT inspection_plan_check`);
    await q.query(`ALTER TABLE inspection_plan ADD CONSTRAINT inspection_plan_sample_check CHECK (
      CASE WHEN algorithm = 'yian-draw-v2' THEN kind = 'random' AND sample_count IS NULL AND sample_ratio IS NULL
           ELSE (sample_count IS NULL) <> (sample_ratio IS NULL) OR kind <> 'random' END)`);
    await q.query(`ALTER TABLE inspection_plan ADD CONSTRAINT inspection_plan_algorithm_check CHECK (algorithm IN ('yian-draw-v1','yian-draw-v2'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inspection_plan WHERE algorithm = 'yian-draw-v2'`);
    await q.query(`ALTER TABLE inspection_plan DROP CONSTRAINT inspection_plan_algorithm_check`);
    await q.query(`ALTER TABLE inspection_plan DROP CONSTRAINT inspection_plan_sample_check`);
    await q.query(`ALTER TABLE inspection_plan ADD CONSTRAINT inspection_plan_check CHECK ((sample_count IS NULL) <> (sample_ratio IS NULL) OR kind <> 'random')`);
  }
}
