import { MigrationInterface, QueryRunner } from 'typeorm';

/** (reserved for issue 13; replace this comment with what changed and why) */
export class HazardLedgerSearch1765180100000 implements MigrationInterface {
  name = 'HazardLedgerSearch1765180100000';

  async up(_q: QueryRunner): Promise<void> {
    // reserved
  }

  async down(_q: QueryRunner): Promise<void> {
    // reserved
  }
}
