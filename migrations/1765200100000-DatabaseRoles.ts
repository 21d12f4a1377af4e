import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 15 — reserved (H2); a no-op until its owner fills it in. */
export class DatabaseRoles1765200100000 implements MigrationInterface {
  name = 'DatabaseRoles1765200100000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
