import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inspection plans (双随机 draws), inspections pinned to a checklist version, teams, responses, evidence,
 * signatures, hazards (隐患) created at submission, document numbers and the outbox for queue work.
 */
export class Inspections1763863200000 implements MigrationInterface {
  name = 'Inspections1763863200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document_counter (
        series  varchar(80) NOT NULL,
        year    integer NOT NULL,
        last    integer NOT NULL CHECK (last >= 0),
        PRIMARY KEY (series, year)
      )`);

    await q.query(`
      CREATE TABLE conflict_of_interest (
        user_id         uuid NOT NULL REFERENCES app_user(id),
        institution_id  uuid NOT NULL REFERENCES institution(id),
        note            varchar(200) NOT NULL,
        declared_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, institution_id)
      )`);

    await q.query(`
      CREATE TABLE inspection_plan (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name             varchar(100) NOT NULL,
        kind             varchar(16) NOT NULL CHECK (kind IN ('routine','random','joint','complaint','reinspection')),
        joint_agencies   text[] NOT NULL DEFAULT '{}',
        division_code    varchar(12) NOT NULL REFERENCES division(code),
        division_path    text NOT NULL,
        checklist_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        team_size        integer NOT NULL CHECK (team_size >= 2),
        conflict_months  integer NOT NULL CHECK (conflict_months >= 0),
        sample_count     integer CHECK (sample_count >= 1),
        sample_ratio     numeric(5,4) CHECK (sample_ratio > 0 AND sample_ratio <= 1),
        scheduled_from   date,
        scheduled_to     date,
        seed             varchar(128) NOT NULL,
        algorithm        varchar(32) NOT NULL,
        draw_input       jsonb NOT NULL,
        draw_result      jsonb NOT NULL,
        status           varchar(16) NOT NULL DEFAULT 'drawn' CHECK (status IN ('drawn','published')),
        published_at     timestamptz,
        created_by       uuid NOT NULL REFERENCES app_user(id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        version          integer NOT NULL DEFAULT 1,
        CHECK ((sample_count IS NULL) <> (sample_ratio IS NULL) OR kind <> 'random'),
        CHECK ((status = 'published') = (published_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX inspection_plan_division_idx ON inspection_plan (division_path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE inspection (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id          uuid REFERENCES inspection_plan(id),
        kind             varchar(16) NOT NULL CHECK (kind IN ('routine','random','joint','complaint','reinspection')),
        institution_id   uuid NOT NULL REFERENCES institution(id),
        division_path    text NOT NULL,
        checklist_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        status           varchar(16) NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned','in_progress','submitted','cancelled')),
        scheduled_date   date,
        started_at       timestamptz,
        submitted_at     timestamptz,
        submission_id    uuid UNIQUE,
        submitted_by     uuid REFERENCES app_user(id),
        report_no        varchar(64) UNIQUE,
        report_status    varchar(12) NOT NULL DEFAULT 'none' CHECK (report_status IN ('none','pending','rendered','failed')),
        report_sha256    char(64),
        draft            jsonb,
        draft_saved_at   timestamptz,
        created_by       uuid NOT NULL REFERENCES app_user(id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        version          integer NOT NULL DEFAULT 1,
        CHECK ((status = 'submitted') = (submitted_at IS NOT NULL AND submission_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX inspection_division_idx ON inspection (division_path text_pattern_ops)`);
    await q.query(`CREATE INDEX inspection_institution_idx ON inspection (institution_id, submitted_at)`);
    await q.query(`CREATE INDEX inspection_plan_idx ON inspection (plan_id)`);

    await q.query(`
      CREATE TABLE inspection_team_member (
        inspection_id uuid NOT NULL REFERENCES inspection(id),
        user_id       uuid NOT NULL REFERENCES app_user(id),
        role          varchar(8) NOT NULL CHECK (role IN ('lead','member')),
        PRIMARY KEY (inspection_id, user_id)
      )`);
    await q.query(`CREATE INDEX inspection_team_user_idx ON inspection_team_member (user_id)`);

    await q.query(`
      CREATE TABLE evidence (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sha256          char(64) NOT NULL,
        mime            varchar(32) NOT NULL CHECK (mime IN ('image/jpeg','image/png','image/webp','image/heic')),
        size_bytes      integer NOT NULL CHECK (size_bytes > 0),
        purpose         varchar(16) NOT NULL CHECK (purpose IN ('finding','signature','rectification')),
        inspection_id   uuid REFERENCES inspection(id),
        item_code       varchar(32),
        institution_id  uuid NOT NULL REFERENCES institution(id),
        division_path   text NOT NULL,
        uploaded_by     uuid NOT NULL REFERENCES app_user(id),
        device_taken_at timestamptz,
        received_at     timestamptz NOT NULL DEFAULT now(),
        gps_lat         double precision CHECK (gps_lat BETWEEN -90 AND 90),
        gps_lng         double precision CHECK (gps_lng BETWEEN -180 AND 180),
        gps_source      varchar(8) CHECK (gps_source IN ('device','exif')),
        original_name   varchar(200),
        CHECK ((gps_lat IS NULL) = (gps_lng IS NULL) AND (gps_lat IS NULL) = (gps_source IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX evidence_dedup_idx ON evidence (inspection_id, coalesce(item_code, ''), purpose, sha256)`);

    await q.query(`
      CREATE TABLE inspection_response (
        inspection_id   uuid NOT NULL REFERENCES inspection(id),
        item_code       varchar(32) NOT NULL,
        result          varchar(4) NOT NULL CHECK (result IN ('pass','fail','na')),
        note            text,
        location        varchar(200),
        severity        varchar(8) CHECK (severity IN ('general','major')),
        major_criterion varchar(32),
        scope           varchar(12) CHECK (scope IN ('single','multiple','widespread')),
        PRIMARY KEY (inspection_id, item_code),
        CHECK (result <> 'fail' OR (note IS NOT NULL AND location IS NOT NULL AND severity IS NOT NULL AND scope IS NOT NULL)),
        CHECK (severity IS DISTINCT FROM 'major' OR major_criterion IS NOT NULL)
      )`);
    await q.query(`
      CREATE TABLE response_evidence (
        inspection_id uuid NOT NULL,
        item_code     varchar(32) NOT NULL,
        evidence_id   uuid NOT NULL REFERENCES evidence(id),
        PRIMARY KEY (inspection_id, item_code, evidence_id),
        FOREIGN KEY (inspection_id, item_code) REFERENCES inspection_response(inspection_id, item_code)
      )`);

    await q.query(`
      CREATE TABLE inspection_signature (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id uuid NOT NULL REFERENCES inspection(id),
        role          varchar(32) NOT NULL CHECK (role IN ('inspector','institution_representative')),
        user_id       uuid REFERENCES app_user(id),
        signer_name   varchar(64) NOT NULL,
        evidence_id   uuid NOT NULL REFERENCES evidence(id),
        signed_at     timestamptz NOT NULL,
        CHECK ((role = 'inspector') = (user_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX inspection_signature_user_idx ON inspection_signature (inspection_id, user_id) WHERE user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE hazard (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id    uuid NOT NULL REFERENCES inspection(id),
        institution_id   uuid NOT NULL REFERENCES institution(id),
        division_path    text NOT NULL,
        checklist_version_id uuid NOT NULL REFERENCES rule_set_version(id),
        item_code        varchar(32) NOT NULL,
        category         varchar(16) NOT NULL,
        title_zh         varchar(200) NOT NULL,
        severity         varchar(8) NOT NULL CHECK (severity IN ('general','major')),
        major_criterion  varchar(32),
        scope            varchar(12) NOT NULL CHECK (scope IN ('single','multiple','widespread')),
        location         varchar(200) NOT NULL,
        note             text NOT NULL,
        deadline_days    integer NOT NULL CHECK (deadline_days >= 0),
        due_date         date NOT NULL,
        status           varchar(12) NOT NULL DEFAULT 'open' CHECK (status IN ('open','responded','returned','closed')),
        overdue          boolean NOT NULL DEFAULT false,
        escalated_at     timestamptz,
        listed           boolean NOT NULL DEFAULT false,
        closed_at        timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        version          integer NOT NULL DEFAULT 1,
        UNIQUE (inspection_id, item_code),
        CHECK (severity <> 'major' OR major_criterion IS NOT NULL),
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX hazard_division_idx ON hazard (division_path text_pattern_ops, status)`);
    await q.query(`CREATE INDEX hazard_institution_idx ON hazard (institution_id, status)`);
    await q.query(`CREATE INDEX hazard_due_idx ON hazard (due_date) WHERE status <> 'closed'`);

    // Work that must not be lost is written here in the changing transaction; a relay enqueues it.
    await q.query(`
      CREATE TABLE outbox (
        id            bigserial PRIMARY KEY,
        topic         varchar(64) NOT NULL,
        job_id        varchar(128) NOT NULL UNIQUE,
        payload       jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox, hazard, inspection_signature, response_evidence, inspection_response, evidence,
      inspection_team_member, inspection, inspection_plan, conflict_of_interest, document_counter`);
  }
}
