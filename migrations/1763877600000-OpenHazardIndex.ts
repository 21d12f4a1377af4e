import { MigrationInterface, QueryRunner } from 'typeorm';

/** Open hazards are what the dashboard and the ledger read most: a covering index over just those rows. */
export class OpenHazardIndex1763877600000 implements MigrationInterface {
  name = 'OpenHazardIndex1763877600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX hazard_open_idx ON hazard (division_path text_pattern_ops) INCLUDE (severity, category, status, due_date, listed)
                   WHERE status <> 'closed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX hazard_open_idx`);
  }
}
