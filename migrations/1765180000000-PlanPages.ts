import { MigrationInterface, QueryRunner } from 'typeorm';

/** (reserved for issue 13; replace this comment with what changed and why) */
export class PlanPages1765180000000 implements MigrationInterface {
  name = 'PlanPages1765180000000';

  async up(_q: QueryRunner): Promise<void> {
    // reserved
  }

  async down(_q: QueryRunner): Promise<void> {
    // reserved
  }
}
