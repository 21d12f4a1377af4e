import { MigrationInterface, QueryRunner } from 'typeorm';

/** (reserved for issue 13; replace this comment with what changed and why) */
export class InstitutionRegistry1765180200000 implements MigrationInterface {
  name = 'InstitutionRegistry1765180200000';

  async up(_q: QueryRunner): Promise<void> {
    // reserved
  }

  async down(_q: QueryRunner): Promise<void> {
    // reserved
  }
}
