import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 15 — reserved (H6); a no-op until its owner fills it in. */
export class DashboardFlat1765200300000 implements MigrationInterface {
  name = 'DashboardFlat1765200300000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
