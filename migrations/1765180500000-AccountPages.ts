import { MigrationInterface, QueryRunner } from 'typeorm';

/** (reserved for issue 13; replace this comment with what changed and why) */
export class AccountPages1765180500000 implements MigrationInterface {
  name = 'AccountPages1765180500000';

  async up(_q: QueryRunner): Promise<void> {
    // reserved
  }

  async down(_q: QueryRunner): Promise<void> {
    // reserved
  }
}
