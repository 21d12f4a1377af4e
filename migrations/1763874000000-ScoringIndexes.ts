import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes the score inputs and hazard histories are read by (found by the benchmark: sequential scans per hazard). */
export class ScoringIndexes1763874000000 implements MigrationInterface {
  name = 'ScoringIndexes1763874000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX hazard_verification_hazard_idx ON hazard_verification (hazard_id)`);
    await q.query(`CREATE INDEX hazard_extension_hazard_idx ON hazard_extension (hazard_id)`);
    await q.query(`CREATE INDEX hazard_inspection_idx ON hazard (inspection_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX hazard_verification_hazard_idx, hazard_extension_hazard_idx, hazard_inspection_idx`);
  }
}
