import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 日巡查 / 夜间巡查 / 月检查 (issue 16, item 1): the institution's own patrols from the self-inspection rule files.
 * A patrol point (巡查点位) carries a printable QR label; a scan is recorded with the server's time only, so a
 * patrol without its scans says so. A patrol is one slot of a schedule (a day, a 2-hourly night slot, a month),
 * pinned to the self-inspection list and the safety-work policy it ran under; it is started, scanned and submitted,
 * and a late submission is flagged, not refused. A failed item becomes the institution's own hazard (自查隐患,
 * self_hazard), rectified and closed by the institution and visible to the bureau. Slots nobody ran are not rows:
 * they are computed from the policy (src/patrols/domain/patrol-rules.ts) and shown as missed.
 */
export class Patrols1765220400000 implements MigrationInterface {
  name = 'Patrols1765220400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE patrol_point (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institution(id),
        name           varchar(50) NOT NULL CHECK (length(btrim(name)) > 0),
        area           varchar(16) NOT NULL CHECK (area IN ('control_room','kitchen','floor_exit','gas_room','electrical','other')),
        code           varchar(8) NOT NULL CHECK (code ~ '^[A-Z0-9]{6}$'),
        token          varchar(43) NOT NULL UNIQUE CHECK (token ~ '^[A-Za-z0-9_-]{22,43}$'),
        created_by     uuid NOT NULL REFERENCES app_user(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        retired_at     timestamptz,
        UNIQUE (institution_id, code)
      )`);
    await q.query(`CREATE INDEX patrol_point_institution_idx ON patrol_point (institution_id) WHERE retired_at IS NULL`);

    await q.query(`
      CREATE TABLE patrol (
        id                             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id                 uuid NOT NULL REFERENCES institution(id),
        kind                           varchar(8) NOT NULL CHECK (kind IN ('daily','night','monthly')),
        slot_at                        timestamptz NOT NULL,
        status                         varchar(12) NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress','submitted')),
        checklist_version_id           uuid NOT NULL REFERENCES rule_set_version(id),
        safety_work_policy_version_id  uuid NOT NULL REFERENCES rule_set_version(id),
        started_by                     uuid NOT NULL REFERENCES app_user(id),
        started_at                     timestamptz NOT NULL DEFAULT now(),
        submitted_at                   timestamptz,
        late                           boolean,
        points_expected                integer CHECK (points_expected >= 0),
        points_scanned                 integer CHECK (points_scanned >= 0),
        note                           text CHECK (length(note) <= 2000),
        UNIQUE (institution_id, kind, slot_at),
        CHECK ((status = 'submitted') = (submitted_at IS NOT NULL) AND (submitted_at IS NULL) = (late IS NULL)
          AND (submitted_at IS NULL) = (points_expected IS NULL) AND (submitted_at IS NULL) = (points_scanned IS NULL))
      )`);
    await q.query(`CREATE INDEX patrol_institution_idx ON patrol (institution_id, slot_at DESC)`);

    await q.query(`
      CREATE TABLE patrol_scan (
        patrol_id   uuid NOT NULL REFERENCES patrol(id),
        point_id    uuid NOT NULL REFERENCES patrol_point(id),
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (patrol_id, point_id)
      )`);

    await q.query(`
      CREATE TABLE patrol_result (
        patrol_id uuid NOT NULL REFERENCES patrol(id),
        item_code varchar(32) NOT NULL,
        result    varchar(4) NOT NULL CHECK (result IN ('pass','fail','na')),
        note      text CHECK (length(note) <= 1000),
        PRIMARY KEY (patrol_id, item_code),
        CHECK (result <> 'fail' OR length(btrim(coalesce(note, ''))) > 0)
      )`);

    await q.query(`
      CREATE TABLE self_hazard (
        id                             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id                 uuid NOT NULL REFERENCES institution(id),
        patrol_id                      uuid NOT NULL REFERENCES patrol(id),
        item_code                      varchar(32) NOT NULL,
        title_zh                       varchar(200) NOT NULL,
        note                           text NOT NULL CHECK (length(btrim(note)) > 0),
        status                         varchar(8) NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
        due_date                       date NOT NULL,
        found_at                       timestamptz NOT NULL DEFAULT now(),
        closed_at                      timestamptz,
        closed_by                      uuid REFERENCES app_user(id),
        closure_note                   text CHECK (closure_note IS NULL OR length(btrim(closure_note)) BETWEEN 1 AND 2000),
        safety_work_policy_version_id  uuid NOT NULL REFERENCES rule_set_version(id),
        version                        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        UNIQUE (patrol_id, item_code),
        CHECK ((status = 'closed') = (closed_at IS NOT NULL) AND (closed_at IS NULL) = (closed_by IS NULL) AND (closed_at IS NULL) = (closure_note IS NULL))
      )`);
    await q.query(`CREATE INDEX self_hazard_institution_idx ON self_hazard (institution_id, status, found_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE self_hazard`);
    await q.query(`DROP TABLE patrol_result`);
    await q.query(`DROP TABLE patrol_scan`);
    await q.query(`DROP TABLE patrol`);
    await q.query(`DROP TABLE patrol_point`);
  }
}
