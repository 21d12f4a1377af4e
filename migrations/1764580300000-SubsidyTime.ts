import { MigrationInterface, QueryRunner } from 'typeorm';

const CAPACITY_COLUMNS = ['occupied_beds', 'residents_self_care', 'residents_mildly_disabled', 'residents_moderately_disabled', 'residents_severely_disabled'];

/**
 * Operating periods and the history of bureau-confirmed capacity facts, for subsidies that respect time.
 *
 * - `institution.opened_on`: the day the institution started operating. Backfill: the Shanghai calendar date of
 *   `created_at` (the registration day) — the only date the previous release knew; the bureau corrects it
 *   (PUT /api/institutions/:id/operating-period). New rows default to the registration day too; an institution
 *   that leaves 筹建 (preparing) opens on that day at the earliest (trigger `institution_opens`), and one registered
 *   as suspended or closed gets its interruption from its first day.
 * - `institution_interruption`: days the institution did not operate (suspended 暂停/停业整顿, closed 停止运营).
 *   `to_date` NULL = open-ended. Rows are never deleted; the only change allowed is ending an open-ended row
 *   once (to_date, ended_by, ended_at, end_reason), which the service audits. Backfill: an institution that is
 *   `suspended` or `closed` now gets one open-ended interruption from the Shanghai date of its `updated_at` (the
 *   last profile change: the best available guess of when its status changed; history before this release is
 *   unknown). Later status changes write the row themselves (trigger below), so status and period agree.
 * - `institution_capacity`: beds and residents by care level in force from `effective_from`, one row per day
 *   (the last change of a day wins), written by a trigger on institution INSERT and on UPDATE of those columns —
 *   those columns change only by the bureau (directly or by confirming a change request), so every row is
 *   bureau-confirmed. Backfill: one row per institution with today's values effective from `opened_on`, source
 *   'backfill' — what the beds were before this release is unknown, so the current values are assumed for the
 *   whole past (documented in docs/scoring.md).
 */
export class SubsidyTime1764580300000 implements MigrationInterface {
  name = 'SubsidyTime1764580300000';

  async up(q: QueryRunner): Promise<void> {
    const today = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;
    await q.query(`ALTER TABLE institution ADD COLUMN opened_on date`);
    await q.query(`UPDATE institution SET opened_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date`);
    await q.query(`ALTER TABLE institution ALTER COLUMN opened_on SET DEFAULT ${today}, ALTER COLUMN opened_on SET NOT NULL`);

    await q.query(`
      CREATE TABLE institution_interruption (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id  uuid NOT NULL REFERENCES institution(id),
        kind            varchar(16) NOT NULL CHECK (kind IN ('suspended','closed')),
        from_date       date NOT NULL,
        to_date         date CHECK (to_date IS NULL OR to_date >= from_date),
        reason          text NOT NULL CHECK (length(btrim(reason)) > 0),
        created_by      uuid REFERENCES app_user(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        ended_by        uuid REFERENCES app_user(id),
        ended_at        timestamptz,
        end_reason      text
      )`);
    await q.query(`CREATE INDEX institution_interruption_idx ON institution_interruption (institution_id, from_date)`);
    await q.query(`
      CREATE FUNCTION institution_interruption_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'institution_interruption rows are never deleted';
        END IF;
        IF OLD.to_date IS NOT NULL OR NEW.to_date IS NULL
           OR (NEW.id, NEW.institution_id, NEW.kind, NEW.from_date, NEW.reason, NEW.created_at) IS DISTINCT FROM
              (OLD.id, OLD.institution_id, OLD.kind, OLD.from_date, OLD.reason, OLD.created_at)
           OR OLD.created_by IS DISTINCT FROM NEW.created_by THEN
          RAISE EXCEPTION 'an institution_interruption can only be ended once (to_date set on an open-ended row)';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER institution_interruption_guard BEFORE UPDATE OR DELETE ON institution_interruption
      FOR EACH ROW EXECUTE FUNCTION institution_interruption_guard()`);
    await q.query(`
      INSERT INTO institution_interruption (institution_id, kind, from_date, reason, created_at)
      SELECT id, status, greatest(opened_on, (updated_at AT TIME ZONE 'Asia/Shanghai')::date),
             '升级时机构状态为' || CASE status WHEN 'suspended' THEN '暂停' ELSE '关闭' END || '；起始日取档案最后修改日（此前历史不详）', now()
        FROM institution WHERE status IN ('suspended','closed')`);
    // A status change by the bureau opens (or ends) the interruption, so the operating period follows the status.
    await q.query(`
      CREATE FUNCTION institution_status_interruption() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE today date := (now() AT TIME ZONE 'Asia/Shanghai')::date;
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.status IN ('suspended','closed') THEN
          -- a suspension that turns into a closure ends the day before (a closure that turns into a suspension too)
          UPDATE institution_interruption SET to_date = greatest(from_date, today - 1), ended_at = now(),
                 end_reason = '机构状态改为' || CASE NEW.status WHEN 'suspended' THEN '暂停' ELSE '关闭' END || '（系统按状态变更自动记录）'
           WHERE institution_id = NEW.id AND to_date IS NULL AND kind <> NEW.status;
        END IF;
        IF NEW.status IN ('suspended','closed') AND NOT EXISTS (
             SELECT 1 FROM institution_interruption WHERE institution_id = NEW.id AND to_date IS NULL AND kind = NEW.status) THEN
          INSERT INTO institution_interruption (institution_id, kind, from_date, reason)
          VALUES (NEW.id, NEW.status, CASE TG_OP WHEN 'INSERT' THEN NEW.opened_on ELSE greatest(today, NEW.opened_on) END,
                  '机构状态改为' || CASE NEW.status WHEN 'suspended' THEN '暂停' ELSE '关闭' END || '（系统按状态变更自动记录）');
        ELSIF NEW.status = 'active' THEN
          UPDATE institution_interruption SET to_date = greatest(from_date, today - 1), ended_at = now(),
                 end_reason = '机构状态恢复为运营（系统按状态变更自动记录）'
           WHERE institution_id = NEW.id AND to_date IS NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER institution_status_interruption AFTER UPDATE OF status ON institution
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION institution_status_interruption()`);
    // Registered already suspended or closed: not operating from its first day.
    await q.query(`CREATE TRIGGER institution_status_interruption_insert AFTER INSERT ON institution
      FOR EACH ROW WHEN (NEW.status IN ('suspended','closed')) EXECUTE FUNCTION institution_status_interruption()`);
    // 筹建 → operating: the institution opens on the day it leaves 筹建 (unless a later opening day was recorded),
    // so the months it was being prepared are never paid.
    await q.query(`
      CREATE FUNCTION institution_opens() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.opened_on := greatest(NEW.opened_on, (now() AT TIME ZONE 'Asia/Shanghai')::date);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER institution_opens BEFORE UPDATE OF status ON institution
      FOR EACH ROW WHEN (OLD.status = 'preparing' AND NEW.status <> 'preparing') EXECUTE FUNCTION institution_opens()`);

    await q.query(`
      CREATE TABLE institution_capacity (
        id                             bigserial PRIMARY KEY,
        institution_id                 uuid NOT NULL REFERENCES institution(id),
        effective_from                 date NOT NULL,
        occupied_beds                  integer NOT NULL CHECK (occupied_beds >= 0),
        residents_self_care            integer NOT NULL CHECK (residents_self_care >= 0),
        residents_mildly_disabled      integer NOT NULL CHECK (residents_mildly_disabled >= 0),
        residents_moderately_disabled  integer NOT NULL CHECK (residents_moderately_disabled >= 0),
        residents_severely_disabled    integer NOT NULL CHECK (residents_severely_disabled >= 0),
        source                         varchar(16) NOT NULL CHECK (source IN ('registration','update','backfill')),
        recorded_at                    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (institution_id, effective_from)
      )`);
    const cols = CAPACITY_COLUMNS.join(', ');
    const newCols = CAPACITY_COLUMNS.map((c) => `NEW.${c}`).join(', ');
    await q.query(`
      CREATE FUNCTION institution_capacity_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO institution_capacity (institution_id, effective_from, ${cols}, source)
        VALUES (NEW.id, CASE TG_OP WHEN 'INSERT' THEN NEW.opened_on ELSE (now() AT TIME ZONE 'Asia/Shanghai')::date END, ${newCols},
                CASE TG_OP WHEN 'INSERT' THEN 'registration' ELSE 'update' END)
        ON CONFLICT (institution_id, effective_from) DO UPDATE SET
          ${CAPACITY_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, source = EXCLUDED.source, recorded_at = now();
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER institution_capacity_insert AFTER INSERT ON institution FOR EACH ROW EXECUTE FUNCTION institution_capacity_record()`);
    await q.query(`CREATE TRIGGER institution_capacity_update AFTER UPDATE OF ${cols} ON institution FOR EACH ROW
      WHEN ((${CAPACITY_COLUMNS.map((c) => `OLD.${c}`).join(', ')}) IS DISTINCT FROM (${newCols})) EXECUTE FUNCTION institution_capacity_record()`);
    await q.query(`INSERT INTO institution_capacity (institution_id, effective_from, ${cols}, source)
      SELECT id, opened_on, ${cols}, 'backfill' FROM institution`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER institution_capacity_update ON institution`);
    await q.query(`DROP TRIGGER institution_capacity_insert ON institution`);
    await q.query(`DROP FUNCTION institution_capacity_record()`);
    await q.query(`DROP TABLE institution_capacity`);
    await q.query(`DROP TRIGGER institution_opens ON institution`);
    await q.query(`DROP FUNCTION institution_opens()`);
    await q.query(`DROP TRIGGER institution_status_interruption_insert ON institution`);
    await q.query(`DROP TRIGGER institution_status_interruption ON institution`);
    await q.query(`DROP FUNCTION institution_status_interruption()`);
    await q.query(`DROP TABLE institution_interruption`);
    await q.query(`DROP FUNCTION institution_interruption_guard()`);
    await q.query(`ALTER TABLE institution DROP COLUMN opened_on`);
  }
}
