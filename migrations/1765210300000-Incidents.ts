import { MigrationInterface, QueryRunner } from 'typeorm';

/** 突发事件报告 (incident reports) — issue 16. */
export class Incidents1765210300000 implements MigrationInterface {
  name = 'Incidents1765210300000';

  async up(q: QueryRunner): Promise<void> {
  }

  async down(q: QueryRunner): Promise<void> {
  }
}
