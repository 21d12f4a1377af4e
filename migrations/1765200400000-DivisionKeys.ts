import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 分片键 (division key): every large table carries `city_code`, the city-level division code (GB/T 2260, 6 digits)
 * of the institution the row belongs to — the distribution column of a future Citus deployment (docs/adr/0004).
 * A row scoped above city level carries its province's code (320000), a row with no scope '000000'.
 *
 * - Tables with their own division path: a STORED generated column, yian_city_code(division_path) — always right,
 *   no trigger, callers unchanged.
 * - Tables below them (responses, signatures, histories, deliveries): a plain column filled from the parent row by a
 *   BEFORE INSERT trigger that fires only when the caller left it NULL (a caller that knows the value pays nothing).
 *   The triggers are ENABLE ALWAYS, so bulk loads under session_replication_role = replica fill it too.
 * - inspection_response and notification_read/… are filled here; the three tables MonthlyPartitions rewrites
 *   (inspection_response) get their backfill in that copy, not in a second full rewrite here.
 *
 * Also defines yian_ensure_month_partitions(parent, months_ahead), used by MonthlyPartitions and the daily job.
 */
export const DERIVED = [
  // table, column holding the division path
  ['inspection', 'division_path'],
  ['evidence', 'division_path'],
  ['hazard', 'division_path'],
  ['rectification_notice', 'division_path'],
  ['notification', 'division_path'],
  ['audit_event', 'scope_path'],
] as const;

/** table, trigger function, the parent it copies from (for the backfill). */
export const INHERITED = [
  ['inspection_team_member', 'yian_city_code_of_inspection', 'inspection', 'inspection_id'],
  ['inspection_signature', 'yian_city_code_of_inspection', 'inspection', 'inspection_id'],
  ['response_evidence', 'yian_city_code_of_inspection', 'inspection', 'inspection_id'],
  ['inspection_response', 'yian_city_code_of_inspection', 'inspection', 'inspection_id'],
  ['hazard_response', 'yian_city_code_of_hazard', 'hazard', 'hazard_id'],
  ['hazard_verification', 'yian_city_code_of_hazard', 'hazard', 'hazard_id'],
  ['hazard_objection', 'yian_city_code_of_hazard', 'hazard', 'hazard_id'],
  ['hazard_plan', 'yian_city_code_of_hazard', 'hazard', 'hazard_id'],
  ['hazard_extension', 'yian_city_code_of_hazard', 'hazard', 'hazard_id'],
  ['hazard_response_evidence', 'yian_city_code_of_hazard_response', 'hazard_response', 'response_id'],
  ['notification_delivery', 'yian_city_code_of_notification', 'notification', 'notification_id'],
  ['notification_read', 'yian_city_code_of_notification', 'notification', 'notification_id'],
] as const;

/** Backfilled by the partition copy of MonthlyPartitions instead of an UPDATE of every row here. */
const FILLED_BY_PARTITION_COPY = new Set<string>(['inspection_response']);

/**
 * Monthly range partitions `<parent>_pYYYYMM` (months in China time). yian_month_partition creates one month (owner
 * only); yian_ensure_month_partitions, the function the app's daily job calls, creates the current month and the
 * next `months_ahead` (SECURITY DEFINER: the app role owns nothing). A month whose rows already sit in the DEFAULT
 * partition is skipped with a warning (creating it would fail); the rows stay correct and queryable there.
 */
export const PARTITION_FUNCTIONS_SQL = [`
CREATE OR REPLACE FUNCTION yian_copy_acl(src regclass, dst regclass) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $fn$
DECLARE g record;
BEGIN
  -- dst ends with exactly src's table privileges (default privileges may have granted more, e.g. UPDATE on the audit log)
  FOR g IN SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = dst AND a.grantee <> c.relowner LOOP
    EXECUTE format('REVOKE ALL ON %s FROM %s', dst, CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END);
  END LOOP;
  FOR g IN SELECT a.privilege_type AS priv, a.grantee FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = src AND a.grantee <> c.relowner LOOP
    EXECUTE format('GRANT %s ON %s TO %s', g.priv, dst, CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END);
  END LOOP;
END
$fn$`, `
CREATE OR REPLACE FUNCTION yian_copy_truncate_triggers(parent regclass) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $fn$
DECLARE t record;
BEGIN
  -- Statement-level triggers are not cloned to partitions; the TRUNCATE guards (e.g. the audit log's) must be.
  FOR t IN SELECT tg.tgname, pg_get_triggerdef(tg.oid) AS def, i.inhrelid::regclass AS part
             FROM pg_trigger tg JOIN pg_inherits i ON i.inhparent = tg.tgrelid
            WHERE tg.tgrelid = parent AND NOT tg.tgisinternal AND (tg.tgtype & 32) <> 0
              AND NOT EXISTS (SELECT 1 FROM pg_trigger x WHERE x.tgrelid = i.inhrelid AND x.tgname = tg.tgname) LOOP
    EXECUTE regexp_replace(t.def, ' ON \\S+ ', format(' ON %s ', t.part));
  END LOOP;
END
$fn$`, `
CREATE OR REPLACE FUNCTION yian_month_partition(parent regclass, month date) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $fn$
DECLARE
  base text;
  key_col text;
  dflt regclass;
  part text;
  lo timestamptz := date_trunc('month', month)::timestamp AT TIME ZONE 'Asia/Shanghai';
  hi timestamptz := (date_trunc('month', month) + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai';
  has_rows boolean := false;
BEGIN
  SELECT c.relname, a.attname INTO base, key_col
    FROM pg_partitioned_table p
    JOIN pg_class c ON c.oid = p.partrelid
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
   WHERE p.partrelid = parent AND p.partstrat = 'r' AND p.partnatts = 1 AND c.relnamespace = 'public'::regnamespace
     AND a.atttypid = 'timestamptz'::regtype;
  IF base IS NULL THEN
    RAISE EXCEPTION '% is not a table partitioned by range on one timestamptz column', parent USING ERRCODE = 'invalid_parameter_value';
  END IF;
  part := format('%s_p%s', base, to_char(month, 'YYYYMM'));
  IF to_regclass(format('public.%I', part)) IS NOT NULL THEN RETURN 'exists'; END IF;
  SELECT i.inhrelid::regclass INTO dflt FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
  IF dflt IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= $1 AND %I < $2)', dflt, key_col, key_col) INTO has_rows USING lo, hi;
  END IF;
  IF has_rows THEN
    RAISE WARNING 'partition % not created: rows of that month are in %', part, dflt;
    RETURN 'skipped: rows in the default partition';
  END IF;
  EXECUTE format('CREATE TABLE public.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', part, parent, lo, hi);
  PERFORM yian_copy_truncate_triggers(parent);
  -- A partition is reachable by name too: it grants what its table grants, nothing more.
  PERFORM yian_copy_acl(parent, format('public.%I', part)::regclass);
  RETURN 'created';
END
$fn$`, `
CREATE OR REPLACE FUNCTION yian_ensure_month_partitions(parent regclass, months_ahead int)
RETURNS TABLE (partition_name text, action text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
  first_month date := date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date;
  m date;
BEGIN
  IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 120 THEN
    RAISE EXCEPTION 'months_ahead must be between 0 and 120 (got %)', months_ahead USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- One caller at a time per table (the job may run in several workers); released at commit.
  PERFORM pg_advisory_xact_lock(hashtext('yian_ensure_month_partitions'), parent::oid::int);
  FOR k IN 0..months_ahead LOOP
    m := (first_month + make_interval(months => k))::date;
    partition_name := format('%s_p%s', (SELECT relname FROM pg_class WHERE oid = parent), to_char(m, 'YYYYMM'));
    action := yian_month_partition(parent, m);
    RETURN NEXT;
  END LOOP;
END
$fn$`];

export class DivisionKeys1765200400000 implements MigrationInterface {
  name = 'DivisionKeys1765200400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION yian_city_code(division_path text) RETURNS varchar(6) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(left(substring(division_path from '([0-9]{6,12})/?$'), 4) || '00', '000000')
      $$`);
    await q.query(`COMMENT ON FUNCTION yian_city_code(text) IS '分片键: the city-level division code of a division path (/320000/320400/320402/ → 320400); 000000 for none'`);
    for (const [table, pathCol] of DERIVED) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN city_code varchar(6) GENERATED ALWAYS AS (yian_city_code(${pathCol})) STORED`);
    }
    const parents: Record<string, string> = {
      yian_city_code_of_inspection: `SELECT p.city_code FROM inspection p WHERE p.id = NEW.inspection_id`,
      yian_city_code_of_hazard: `SELECT p.city_code FROM hazard p WHERE p.id = NEW.hazard_id`,
      yian_city_code_of_hazard_response: `SELECT p.city_code FROM hazard_response p WHERE p.id = NEW.response_id`,
      yian_city_code_of_notification: `SELECT p.city_code FROM notification p WHERE p.id = NEW.notification_id`,
    };
    for (const [fn, lookup] of Object.entries(parents)) {
      await q.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.city_code := (${lookup}); RETURN NEW; END $$`);
    }
    for (const [table, fn, parent, fk] of INHERITED) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN city_code varchar(6)`);
      if (!FILLED_BY_PARTITION_COPY.has(table)) {
        await q.query(`UPDATE ${table} c SET city_code = p.city_code FROM ${parent} p WHERE p.id = c.${fk}`);
        await q.query(`ALTER TABLE ${table} ALTER COLUMN city_code SET NOT NULL`);
      }
      await q.query(`CREATE TRIGGER ${table}_city_code BEFORE INSERT ON ${table} FOR EACH ROW WHEN (NEW.city_code IS NULL) EXECUTE FUNCTION ${fn}()`);
      // Fires under session_replication_role = replica too (bulk loads), so no row is left without its key.
      await q.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_city_code`);
    }

    for (const sql of PARTITION_FUNCTIONS_SQL) await q.query(sql);
    const ownerOnly = 'yian_month_partition(regclass, date), yian_copy_truncate_triggers(regclass), yian_copy_acl(regclass, regclass)';
    await q.query(`REVOKE ALL ON FUNCTION ${ownerOnly} FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION yian_ensure_month_partitions(regclass, int) FROM PUBLIC`);
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yian_app') THEN
        GRANT EXECUTE ON FUNCTION yian_ensure_month_partitions(regclass, int) TO yian_app;
        REVOKE ALL ON FUNCTION yian_month_partition(regclass, date), yian_copy_truncate_triggers(regclass), yian_copy_acl(regclass, regclass) FROM yian_app;
      END IF; END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS yian_ensure_month_partitions(regclass, int), yian_month_partition(regclass, date), yian_copy_truncate_triggers(regclass), yian_copy_acl(regclass, regclass)`);
    for (const [table] of INHERITED) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_city_code ON ${table}`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN IF EXISTS city_code`);
    }
    for (const [table] of DERIVED) await q.query(`ALTER TABLE ${table} DROP COLUMN IF EXISTS city_code`);
    await q.query(`DROP FUNCTION IF EXISTS yian_city_code_of_inspection(), yian_city_code_of_hazard(), yian_city_code_of_hazard_response(), yian_city_code_of_notification()`);
    await q.query(`DROP FUNCTION IF EXISTS yian_city_code(text)`);
  }
}
