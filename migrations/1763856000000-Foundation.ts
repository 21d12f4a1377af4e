import { MigrationInterface, QueryRunner } from 'typeorm';

/** Divisions, institutions with their building profile, accounts, sessions, login attempts and the audit chain. */
export class Foundation1763856000000 implements MigrationInterface {
  name = 'Foundation1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE division (
        code        varchar(12) PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
        name        varchar(64) NOT NULL,
        level       varchar(16) NOT NULL CHECK (level IN ('province','city','district','street','community')),
        parent_code varchar(12) REFERENCES division(code),
        -- '/320400/320402/320402001/': ancestors and self, so a subtree is one prefix match
        path        text NOT NULL UNIQUE,
        CHECK ((parent_code IS NULL) = (path = '/' || code || '/'))
      )`);
    await q.query(`CREATE INDEX division_path_idx ON division (path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE institution (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                varchar(100) NOT NULL,
        kind                varchar(24) NOT NULL CHECK (kind IN ('nursing_home','nursing_care','community_complex','day_care','meal_point','rural_home')),
        ownership           varchar(16) NOT NULL CHECK (ownership IN ('public','private','public_private')),
        credit_code         char(18) NOT NULL UNIQUE,
        division_code       varchar(12) NOT NULL REFERENCES division(code),
        division_path       text NOT NULL,
        address             varchar(200) NOT NULL,
        contact_name        varchar(50) NOT NULL,
        contact_phone       varchar(30) NOT NULL,
        status              varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('preparing','active','suspended','closed')),
        storeys             integer NOT NULL CHECK (storeys BETWEEN 1 AND 200),
        lowest_floor        integer NOT NULL DEFAULT 1 CHECK (lowest_floor BETWEEN -5 AND 200),
        total_area_m2       numeric(12,2) NOT NULL CHECK (total_area_m2 >= 0),
        building_volume_m3  numeric(14,2) CHECK (building_volume_m3 >= 0),
        approved_beds       integer NOT NULL CHECK (approved_beds >= 0),
        occupied_beds       integer NOT NULL CHECK (occupied_beds >= 0),
        residents_self_care            integer NOT NULL DEFAULT 0 CHECK (residents_self_care >= 0),
        residents_mildly_disabled      integer NOT NULL DEFAULT 0 CHECK (residents_mildly_disabled >= 0),
        residents_moderately_disabled  integer NOT NULL DEFAULT 0 CHECK (residents_moderately_disabled >= 0),
        residents_severely_disabled    integer NOT NULL DEFAULT 0 CHECK (residents_severely_disabled >= 0),
        highest_floor_with_disabled    integer,
        has_fire_control_room boolean NOT NULL,
        has_auto_fire_alarm   boolean NOT NULL,
        has_sprinklers        boolean NOT NULL,
        gas_supply            varchar(8) NOT NULL CHECK (gas_supply IN ('none','piped','lpg')),
        has_canteen           boolean NOT NULL,
        has_medical_unit      boolean NOT NULL,
        has_elevator          boolean NOT NULL,
        has_boiler            boolean NOT NULL,
        has_oxygen_pipeline   boolean NOT NULL,
        inside_other_building boolean NOT NULL,
        fire_resistance_grade smallint CHECK (fire_resistance_grade BETWEEN 1 AND 4),
        has_window_bars       boolean NOT NULL,
        version     integer NOT NULL DEFAULT 1,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CHECK (occupied_beds <= approved_beds),
        CHECK (residents_self_care + residents_mildly_disabled + residents_moderately_disabled + residents_severely_disabled <= occupied_beds),
        CHECK ((highest_floor_with_disabled IS NULL) = (residents_moderately_disabled + residents_severely_disabled = 0))
      )`);
    await q.query(`CREATE INDEX institution_division_path_idx ON institution (division_path text_pattern_ops)`);
    await q.query(`CREATE INDEX institution_kind_idx ON institution (kind)`);

    await q.query(`
      CREATE TABLE app_user (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username       varchar(64) NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9._-]{3,64}$'),
        display_name   varchar(64) NOT NULL,
        role           varchar(24) NOT NULL CHECK (role IN ('bureau_admin','bureau_officer','inspector','institution')),
        division_code  varchar(12) REFERENCES division(code),
        division_path  text,
        institution_id uuid REFERENCES institution(id),
        password_hash  text NOT NULL,
        status         varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
        version        integer NOT NULL DEFAULT 1,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'institution') = (institution_id IS NOT NULL)),
        CHECK (division_code IS NOT NULL AND division_path IS NOT NULL)
      )`);

    await q.query(`
      CREATE TABLE auth_session (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash  char(64) NOT NULL UNIQUE,
        user_id     uuid NOT NULL REFERENCES app_user(id),
        kind        varchar(8) NOT NULL CHECK (kind IN ('web','api')),
        csrf_token  char(43),
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        revoked_at  timestamptz
      )`);

    await q.query(`
      CREATE TABLE login_attempt (
        id          bigserial PRIMARY KEY,
        username    varchar(64) NOT NULL,
        ip          varchar(64) NOT NULL,
        succeeded   boolean NOT NULL,
        at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_attempt_username_at_idx ON login_attempt (username, at)`);
    await q.query(`CREATE INDEX login_attempt_ip_at_idx ON login_attempt (ip, at)`);

    await q.query(`
      CREATE TABLE audit_event (
        id           bigserial PRIMARY KEY,
        occurred_at  timestamptz NOT NULL,
        actor_id     uuid,
        actor_role   varchar(24) NOT NULL,
        actor_name   varchar(64) NOT NULL,
        action       varchar(64) NOT NULL,
        entity_type  varchar(40) NOT NULL,
        entity_id    varchar(64) NOT NULL,
        scope_path   text,
        before       jsonb,
        after        jsonb,
        request_id   varchar(64),
        prev_hash    char(64) NOT NULL,
        hash         char(64) NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id)`);
    await q.query(`CREATE INDEX audit_event_scope_idx ON audit_event (scope_path text_pattern_ops)`);
    // Append-only: the database itself refuses to rewrite history.
    await q.query(`
      CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event, login_attempt, auth_session, app_user, institution, division`);
    await q.query(`DROP FUNCTION audit_event_is_append_only()`);
  }
}
