import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, evidence worth having: a photo's markup layer (arrows, circles, text drawn on the device) kept beside
 * the untouched original — the stored bytes and their hash never change — and each answer's time and GPS trail
 * (when and where it was given or changed), kept with the submitted response. Older photos have no markup and
 * older responses an empty trail.
 */
export class EvidenceMarkup1765190200000 implements MigrationInterface {
  name = 'EvidenceMarkup1765190200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE evidence
        ADD COLUMN markup            jsonb CHECK (markup IS NULL OR (jsonb_typeof(markup) = 'object' AND octet_length(markup::text) <= 16384)),
        ADD COLUMN markup_updated_at timestamptz,
        ADD COLUMN markup_updated_by uuid REFERENCES app_user(id),
        ADD CONSTRAINT evidence_markup_stamp CHECK ((markup IS NULL) = (markup_updated_at IS NULL))`);
    await q.query(`
      ALTER TABLE inspection_response
        ADD COLUMN answer_trail jsonb NOT NULL DEFAULT '[]'::jsonb
          CHECK (jsonb_typeof(answer_trail) = 'array' AND jsonb_array_length(answer_trail) <= 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspection_response DROP COLUMN answer_trail`);
    await q.query(`ALTER TABLE evidence DROP CONSTRAINT evidence_markup_stamp, DROP COLUMN markup_updated_by, DROP COLUMN markup_updated_at, DROP COLUMN markup`);
  }
}
