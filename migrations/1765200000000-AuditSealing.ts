import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 15 — reserved (H1); a no-op until its owner fills it in. */
export class AuditSealing1765200000000 implements MigrationInterface {
  name = 'AuditSealing1765200000000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
