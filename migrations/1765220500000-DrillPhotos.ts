import { MigrationInterface, QueryRunner } from 'typeorm';

const PURPOSE = 'drill_photo';

/** The values evidence_purpose_check allows now (other features may have added theirs since the last migration that wrote it). */
async function evidencePurposes(q: QueryRunner): Promise<string[]> {
  const [row] = await q.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'evidence_purpose_check' AND conrelid = 'evidence'::regclass`);
  return [...String(row?.def ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

async function setEvidencePurposes(q: QueryRunner, purposes: string[]): Promise<void> {
  await q.query(`ALTER TABLE evidence DROP CONSTRAINT evidence_purpose_check`);
  await q.query(`ALTER TABLE evidence ADD CONSTRAINT evidence_purpose_check CHECK (purpose IN (${purposes.map((p) => `'${p}'`).join(',')}))`);
}

/**
 * 演练照片 (issue 16, item 2): photos of a drill, through the evidence pipeline (decoded, re-encoded, content-addressed).
 * A drill record never changes; its photos are appended to it (append-only too), at most 6 per drill (the service's
 * limit, a product default).
 */
export class DrillPhotos1765220500000 implements MigrationInterface {
  name = 'DrillPhotos1765220500000';

  async up(q: QueryRunner): Promise<void> {
    const purposes = await evidencePurposes(q);
    if (!purposes.includes(PURPOSE)) await setEvidencePurposes(q, [...purposes, PURPOSE]);
    await q.query(`
      CREATE TABLE drill_photo (
        drill_id     uuid NOT NULL REFERENCES drill(id),
        evidence_id  uuid NOT NULL REFERENCES evidence(id),
        position     smallint NOT NULL CHECK (position BETWEEN 1 AND 6),
        added_by     uuid NOT NULL REFERENCES app_user(id),
        added_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (drill_id, evidence_id),
        UNIQUE (drill_id, position)
      )`);
    await q.query(`CREATE TRIGGER drill_photo_append_only BEFORE UPDATE OR DELETE ON drill_photo FOR EACH ROW EXECUTE FUNCTION drill_records_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE drill_photo`);
    await q.query(`DELETE FROM evidence WHERE purpose = '${PURPOSE}'`);
    await setEvidencePurposes(q, (await evidencePurposes(q)).filter((p) => p !== PURPOSE));
  }
}
