import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Team inspections without lost work: the draft is kept per item (who answered, when, a revision) instead of one
 * document per inspection, and a real conflict (two people, two different answers) is kept with both sides until a
 * person resolves it. Sections may be assigned to team members. Open drafts of the previous release (one document in
 * inspection.draft) are carried over item by item, with no author (they are continued, never conflicted).
 */
export class TeamDrafts1765190100000 implements MigrationInterface {
  name = 'TeamDrafts1765190100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inspection_draft_item (
        inspection_id uuid NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
        item_code     text NOT NULL CHECK (item_code ~ '^[A-Z]{2,8}-[0-9]{3}$'),
        answer        jsonb NOT NULL CHECK (jsonb_typeof(answer) = 'object'),
        answered_by   uuid REFERENCES app_user(id),
        answered_at   timestamptz NOT NULL,
        rev           integer NOT NULL CHECK (rev > 0),
        own_texts     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(own_texts) = 'object'),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (inspection_id, item_code)
      )`);
    await q.query(`
      CREATE TABLE inspection_draft_conflict (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id uuid NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
        item_code     text NOT NULL,
        sides         jsonb NOT NULL CHECK (jsonb_typeof(sides) = 'array' AND jsonb_array_length(sides) >= 2),
        status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'agreed')),
        chosen_side   integer CHECK (chosen_side >= 0),
        resolved_by   uuid REFERENCES app_user(id),
        resolved_at   timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'resolved') = (chosen_side IS NOT NULL AND resolved_by IS NOT NULL)),
        CHECK ((status = 'open') = (resolved_at IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX inspection_draft_conflict_open ON inspection_draft_conflict (inspection_id, item_code) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE inspection_section_assignment (
        inspection_id uuid NOT NULL REFERENCES inspection(id) ON DELETE CASCADE,
        category_code text NOT NULL,
        user_id       uuid NOT NULL REFERENCES app_user(id),
        assigned_by   uuid NOT NULL REFERENCES app_user(id),
        assigned_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (inspection_id, category_code)
      )`);
    // Backfill: every answered item of an open inspection's single-document draft becomes its first revision.
    // A malformed old answeredAt (month 13, hour 24, …) must never abort the upgrade: a safe cast, else the save's time.
    await q.query(`
      CREATE FUNCTION pg_temp.team_drafts_instant(t text) RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
      BEGIN
        IF t IS NULL OR t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' THEN RETURN NULL; END IF;
        RETURN t::timestamptz;
      EXCEPTION WHEN others THEN RETURN NULL;
      END $$`);
    await q.query(`
      INSERT INTO inspection_draft_item (inspection_id, item_code, answer, answered_by, answered_at, rev)
      SELECT i.id, a.key, a.value, NULL,
             coalesce(pg_temp.team_drafts_instant(a.value->>'answeredAt'), i.draft_saved_at, i.updated_at, now()),
             1
        FROM inspection i CROSS JOIN LATERAL jsonb_each(i.draft->'answers') a
       WHERE i.status IN ('assigned', 'in_progress') AND jsonb_typeof(i.draft) = 'object' AND jsonb_typeof(i.draft->'answers') = 'object'
         AND jsonb_typeof(a.value) = 'object' AND a.key ~ '^[A-Z]{2,8}-[0-9]{3}$'`);
    await q.query(`DROP FUNCTION pg_temp.team_drafts_instant(text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The open inspections' per-item answers go back into the one document the previous release reads.
    await q.query(`
      UPDATE inspection i
         SET draft = jsonb_build_object('v', 1, 'inspectionId', i.id::text)
                     || CASE WHEN jsonb_typeof(i.draft) = 'object' THEN i.draft - 'answers' ELSE '{}'::jsonb END
                     || jsonb_build_object('answers', CASE WHEN jsonb_typeof(i.draft->'answers') = 'object' THEN i.draft->'answers' ELSE '{}'::jsonb END || d.answers),
             draft_saved_at = coalesce(i.draft_saved_at, d.last_at)
        FROM (SELECT inspection_id, jsonb_object_agg(item_code, answer) AS answers, max(answered_at) AS last_at
                FROM inspection_draft_item GROUP BY inspection_id) d
       WHERE d.inspection_id = i.id AND i.status IN ('assigned', 'in_progress')`);
    await q.query(`DROP TABLE inspection_section_assignment`);
    await q.query(`DROP TABLE inspection_draft_conflict`);
    await q.query(`DROP TABLE inspection_draft_item`);
  }
}
