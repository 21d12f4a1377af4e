import { MigrationInterface, QueryRunner } from 'typeorm';

/** 演练与培训 (drills and training records) — issue 16. */
export class Drills1765210200000 implements MigrationInterface {
  name = 'Drills1765210200000';

  async up(q: QueryRunner): Promise<void> {
  }

  async down(q: QueryRunner): Promise<void> {
  }
}
