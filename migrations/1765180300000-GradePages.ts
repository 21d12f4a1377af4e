import { MigrationInterface, QueryRunner } from 'typeorm';

/** (reserved for issue 13; replace this comment with what changed and why) */
export class GradePages1765180300000 implements MigrationInterface {
  name = 'GradePages1765180300000';

  async up(_q: QueryRunner): Promise<void> {
    // reserved
  }

  async down(_q: QueryRunner): Promise<void> {
    // reserved
  }
}
