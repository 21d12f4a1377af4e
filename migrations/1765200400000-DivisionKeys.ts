import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 15 — reserved (H5); a no-op until its owner fills it in. */
export class DivisionKeys1765200400000 implements MigrationInterface {
  name = 'DivisionKeys1765200400000';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
