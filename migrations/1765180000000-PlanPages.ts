import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = ['routine', 'random', 'joint', 'complaint', 'reinspection'];
const KINDS_AFTER = [...KINDS_BEFORE, 'special'];
const list = (kinds: string[]) => kinds.map((k) => `'${k}'`).join(',');

/**
 * The plan pages (issue 13): 专项整治 (`special`) joins the inspection and plan kinds, and a plan keeps the filters its
 * institution pool was drawn from (`pool`: institution kinds and statuses, risk levels, last inspected before, the
 * checklist), so editing a plan before publication can show and change them and draw again. Plans of the previous
 * release keep `{}` (their pool was the division subtree with the recorded kinds in the draw input).
 */
export class PlanPages1765180000000 implements MigrationInterface {
  name = 'PlanPages1765180000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['inspection', 'inspection_plan']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_kind_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_kind_check CHECK (kind IN (${list(KINDS_AFTER)}))`);
    }
    await q.query(`ALTER TABLE inspection_plan ADD COLUMN pool jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspection_plan DROP COLUMN pool`);
    for (const table of ['inspection', 'inspection_plan']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_kind_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_kind_check CHECK (kind IN (${list(KINDS_BEFORE)}))`);
    }
  }
}
