import { QueryRunner } from 'typeorm';

/**
 * Converts an ordinary table into one partitioned by month (RANGE on a timestamptz column), generically: whatever
 * columns, defaults, generated columns, CHECKs, keys, indexes, triggers, foreign keys (both ways), sequence
 * ownership, grants (table and column), row-level security policies and comments the table has when the migration
 * runs — including those added by other migrations of the same release. The rows are copied, the old table dropped.
 *
 * - Keys (PRIMARY KEY / UNIQUE, constraints or unique indexes) get the partition column appended (PostgreSQL
 *   requires it), except those the caller replaces (`dropUnique`).
 * - A foreign key that references the table gets the partition column too: the referencing table gains a column
 *   (`<table>_<column>` unless `referencingColumn` names it), backfilled, filled on insert by a trigger when left
 *   NULL, indexed (archiving a month deletes its referencing rows first).
 * - Partitions: every month from `monthsBack` before the current month (or the oldest row's month, if older) to
 *   `monthsAhead` ahead (or the newest row's month), plus a DEFAULT partition for anything outside.
 */
export interface MonthlyConversion {
  table: string;
  /** the partition column (timestamptz NOT NULL after the conversion) */
  key: string;
  /** new columns: name → type and constraints (e.g. `timestamptz NOT NULL DEFAULT now()`) */
  addColumns?: Record<string, string>;
  /** values for the copy: column → SQL expression over the old row `o` (and `joins`); default: the old value */
  fill?: Record<string, string>;
  /** extra FROM items for `fill`, e.g. `LEFT JOIN inspection i ON i.id = o.inspection_id` */
  joins?: string;
  /** unique constraints or indexes (by name) that are not carried over (the caller enforces them otherwise) */
  dropUnique?: string[];
  /** the name of the column a referencing table gains (by referencing table); default `<table>_<key>` */
  referencingColumn?: Record<string, string>;
  /** columns NOT NULL in the new table (filled by the copy) */
  notNull?: string[];
  monthsBack?: number;
  monthsAhead?: number;
}

interface Column { name: string; type: string; notNull: boolean; def: string | null; generated: string | null; identity: string; collation: string | null }

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Appends `key` to the column list of a key definition (`PRIMARY KEY (a, b)`, `UNIQUE (a) …`, `CREATE UNIQUE INDEX … (a)`). */
export function withKeyColumn(def: string, key: string): string {
  const m = /^(.*?\()([^()]*(?:\([^()]*\)[^()]*)*)(\).*)$/s.exec(def);
  if (!m) throw new Error(`cannot add ${key} to key definition: ${def}`);
  const cols = m[2].split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  return cols.includes(key) ? def : `${m[1]}${m[2]}, ${ident(key)}${m[3]}`;
}

export async function toMonthlyPartitions(q: QueryRunner, c: MonthlyConversion): Promise<{ rows: number; partitions: number }> {
  const { table, key } = c;
  const [kind] = await q.query(`SELECT relkind FROM pg_class WHERE oid = to_regclass($1)`, [`public.${table}`]);
  if (!kind) throw new Error(`table ${table} does not exist`);
  if (kind.relkind === 'p') return { rows: 0, partitions: 0 };
  const oid = `'public.${table}'::regclass`;
  for (const [name, type] of Object.entries(c.addColumns ?? {})) {
    // Added nullable first (instant, no rewrite: the copy below fills it); the new table has the full definition.
    await q.query(`ALTER TABLE ${ident(table)} ADD COLUMN ${ident(name)} ${type.replace(/\bNOT NULL\b/i, '')}`);
  }

  // ---- the catalog, read before anything changes
  const columns: Column[] = await q.query(`
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
           CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS def,
           CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated,
           a.attidentity AS identity,
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN (SELECT quote_ident(collname) FROM pg_collation WHERE oid = a.attcollation) END AS collation
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ${oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`);
  if (!columns.some((col) => col.name === key)) throw new Error(`${table}.${key} does not exist`);
  const identity = columns.find((col) => col.identity);
  if (identity) throw new Error(`${table}.${identity.name} is an identity column; not supported by the conversion`);
  const checks: { name: string; def: string }[] = await q.query(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = ${oid} AND contype = 'c' AND conislocal ORDER BY conname`);
  const keys: { name: string; def: string }[] = await q.query(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = ${oid} AND contype IN ('p', 'u', 'x') ORDER BY contype, conname`);
  const indexes: { name: string; def: string; unique: boolean }[] = await q.query(`
    SELECT ci.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS unique
      FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
     WHERE i.indrelid = ${oid} AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
     ORDER BY ci.relname`);
  const triggers: { name: string; def: string; enabled: string }[] = await q.query(
    `SELECT tgname AS name, pg_get_triggerdef(oid) AS def, tgenabled AS enabled FROM pg_trigger WHERE tgrelid = ${oid} AND NOT tgisinternal ORDER BY tgname`);
  const fksOut: { name: string; def: string }[] = await q.query(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = ${oid} AND contype = 'f' ORDER BY conname`);
  const fksIn: { name: string; refTable: string; def: string; cols: string[]; refCols: string[]; notNull: boolean }[] = await q.query(`
    SELECT k.conname AS name, r.relname AS "refTable", pg_get_constraintdef(k.oid) AS def,
           (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY x(attnum, n) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum) AS cols,
           (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.confkey) WITH ORDINALITY x(attnum, n) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum) AS "refCols",
           (SELECT bool_and(a.attnotnull) FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)) AS "notNull"
      FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid
     WHERE k.confrelid = ${oid} AND k.contype = 'f' AND k.conrelid <> k.confrelid ORDER BY r.relname, k.conname`);
  const sequences: { seq: string; col: string }[] = await q.query(`
    SELECT d.objid::regclass::text AS seq, a.attname AS col FROM pg_depend d
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.refobjid = ${oid} AND d.classid = 'pg_class'::regclass AND d.deptype = 'a'
       AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S'`);
  const grants: { sql: string }[] = await q.query(`
    SELECT format('GRANT %s ON %I TO %s%s', a.privilege_type, $1::text, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.rolname) END,
                  CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) AS sql
      FROM pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee
     WHERE c.oid = ${oid} AND a.grantee <> c.relowner
    UNION ALL
    SELECT format('GRANT %s (%I) ON %I TO %s', a.privilege_type, t.attname, $1::text, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.rolname) END)
      FROM pg_attribute t, aclexplode(t.attacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee
     WHERE t.attrelid = ${oid} AND t.attacl IS NOT NULL`, [table]);
  const [meta] = await q.query(`
    SELECT c.relrowsecurity AS rls, c.relforcerowsecurity AS "forceRls", pg_get_userbyid(c.relowner) AS owner, current_user AS me,
           obj_description(c.oid, 'pg_class') AS comment FROM pg_class c WHERE c.oid = ${oid}`);
  const policies: { sql: string }[] = await q.query(`
    SELECT format('CREATE POLICY %I ON %I AS %s FOR %s TO %s%s%s', p.polname, $1::text,
                  CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                  CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                  CASE WHEN p.polroles = '{0}' THEN 'PUBLIC' ELSE (SELECT string_agg(quote_ident(rolname), ', ') FROM pg_roles WHERE oid = ANY (p.polroles)) END,
                  CASE WHEN p.polqual IS NOT NULL THEN ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')' ELSE '' END,
                  CASE WHEN p.polwithcheck IS NOT NULL THEN ' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')' ELSE '' END) AS sql
      FROM pg_policy p WHERE p.polrelid = ${oid}`, [table]);
  const comments: { sql: string }[] = await q.query(`
    SELECT format('COMMENT ON COLUMN %I.%I IS %L', $1::text, a.attname, col_description(a.attrelid, a.attnum)) AS sql
      FROM pg_attribute a WHERE a.attrelid = ${oid} AND a.attnum > 0 AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NOT NULL`, [table]);
  const views: { name: string }[] = await q.query(`
    SELECT DISTINCT v.oid::regclass::text AS name FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid JOIN pg_class v ON v.oid = w.ev_class
     WHERE d.refobjid = ${oid} AND v.oid <> ${oid}`);
  if (views.length) throw new Error(`${table} is used by views (${views.map((v) => v.name).join(', ')}); convert them by hand`);

  // ---- the new table, its months, the rows
  for (const fk of fksIn) await q.query(`ALTER TABLE ${ident(fk.refTable)} DROP CONSTRAINT ${ident(fk.name)}`);
  const old = `${table}__unpartitioned`;
  await q.query(`ALTER TABLE ${ident(table)} RENAME TO ${ident(old)}`);
  const added = c.addColumns ?? {};
  const colDefs = columns.map((col) => {
    if (added[col.name]) return `${ident(col.name)} ${added[col.name]}`;
    const parts = [ident(col.name), col.type];
    if (col.collation) parts.push(`COLLATE ${col.collation}`);
    if (col.generated) parts.push(`GENERATED ALWAYS AS (${col.generated}) STORED`);
    else if (col.def !== null) parts.push(`DEFAULT ${col.def}`);
    if (col.notNull || col.name === key || c.notNull?.includes(col.name)) parts.push('NOT NULL');
    return parts.join(' ');
  });
  await q.query(`CREATE TABLE ${ident(table)} (${[...colDefs, ...checks.map((k) => `CONSTRAINT ${ident(k.name)} ${k.def}`)].join(',\n  ')})
                 PARTITION BY RANGE (${ident(key)})`);

  const keyExpr = c.fill?.[key] ?? `o.${ident(key)}`;
  const [{ months }] = await q.query(`
    WITH b AS (SELECT date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date AS cur),
         d AS (SELECT (date_trunc('month', min(${keyExpr}) AT TIME ZONE 'Asia/Shanghai'))::date AS lo,
                      (date_trunc('month', max(${keyExpr}) AT TIME ZONE 'Asia/Shanghai'))::date AS hi FROM ${ident(old)} o ${c.joins ?? ''})
    SELECT array_agg(to_char(m, 'YYYY-MM-DD') ORDER BY m) AS months FROM b, d, generate_series(
      -- rows further than 20 years from today go to the DEFAULT partition rather than hundreds of empty months
      greatest(least(coalesce(d.lo, b.cur), b.cur - make_interval(months => $1::int)), b.cur - interval '20 years'),
      least(greatest(coalesce(d.hi, b.cur), b.cur + make_interval(months => $2::int)), b.cur + interval '20 years'),
      interval '1 month') m`, [c.monthsBack ?? 12, c.monthsAhead ?? 3]);
  for (const m of months as string[]) await q.query(`SELECT yian_month_partition($1::regclass, $2::date)`, [table, m]);
  await q.query(`CREATE TABLE ${ident(`${table}_pdefault`)} PARTITION OF ${ident(table)} DEFAULT`);

  const copied = columns.filter((col) => !col.generated);
  const list = copied.map((col) => ident(col.name)).join(', ');
  const values = copied.map((col) => c.fill?.[col.name] ?? `o.${ident(col.name)}`).join(', ');
  await q.query(`INSERT INTO ${ident(table)} (${list}) SELECT ${values} FROM ${ident(old)} o ${c.joins ?? ''}`);
  const [{ rows }] = await q.query(`SELECT count(*)::int AS rows FROM ${ident(table)}`);
  for (const s of sequences) await q.query(`ALTER SEQUENCE ${s.seq} OWNED BY ${ident(table)}.${ident(s.col)}`);
  await q.query(`DROP TABLE ${ident(old)}`);

  // ---- keys, indexes, foreign keys, triggers, rights — under their old names
  const dropped = new Set(c.dropUnique ?? []);
  for (const k of keys) {
    if (dropped.has(k.name)) continue;
    await q.query(`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(k.name)} ${withKeyColumn(k.def, key)}`);
  }
  for (const ix of indexes) {
    if (dropped.has(ix.name)) continue;
    await q.query(ix.unique ? withKeyColumn(ix.def, key) : ix.def);
  }
  for (const fk of fksOut) await q.query(`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);
  for (const t of triggers) {
    await q.query(t.def);
    const state = { D: 'DISABLE', A: 'ENABLE ALWAYS', R: 'ENABLE REPLICA' }[t.enabled];
    if (state) await q.query(`ALTER TABLE ${ident(table)} ${state} TRIGGER ${ident(t.name)}`);
  }
  await q.query(`SELECT yian_copy_truncate_triggers($1::regclass)`, [table]);
  // Exactly the old table's rights (default privileges granted the new one more), on the table and each partition.
  await q.query(`DO $$ DECLARE g record; BEGIN
    FOR g IN SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = '${table}'::regclass AND a.grantee <> c.relowner LOOP
      EXECUTE format('REVOKE ALL ON ${table} FROM %s', CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END);
    END LOOP; END $$`);
  for (const g of grants) await q.query(g.sql);
  await q.query(`SELECT yian_copy_acl($1::regclass, i.inhrelid::regclass) FROM pg_inherits i WHERE i.inhparent = $1::regclass`, [table]);
  if (meta.rls) await q.query(`ALTER TABLE ${ident(table)} ENABLE ROW LEVEL SECURITY`);
  if (meta.forceRls) await q.query(`ALTER TABLE ${ident(table)} FORCE ROW LEVEL SECURITY`);
  for (const p of policies) await q.query(p.sql);
  if (meta.comment) await q.query(`COMMENT ON TABLE ${ident(table)} IS ${literal(meta.comment)}`);
  for (const cm of comments) await q.query(cm.sql);
  if (meta.owner !== meta.me) {
    await q.query(`ALTER TABLE ${ident(table)} OWNER TO ${ident(meta.owner)}`);
    const parts: { name: string }[] = await q.query(`SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = $1::regclass`, [table]);
    for (const p of parts) await q.query(`ALTER TABLE ${p.name} OWNER TO ${ident(meta.owner)}`);
  }

  // ---- foreign keys that pointed here: they carry the partition column now
  for (const fk of fksIn) {
    const col = c.referencingColumn?.[fk.refTable] ?? `${table}_${key}`;
    const [{ present }] = await q.query(`SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2 AND NOT attisdropped) AS present`, [fk.refTable, col]);
    const match = fk.cols.map((fc, i) => `p.${ident(fk.refCols[i])} = r.${ident(fc)}`).join(' AND ');
    const matchNew = fk.cols.map((fc, i) => `p.${ident(fk.refCols[i])} = NEW.${ident(fc)}`).join(' AND ');
    if (!present) {
      await q.query(`ALTER TABLE ${ident(fk.refTable)} ADD COLUMN ${ident(col)} timestamptz`);
      await q.query(`UPDATE ${ident(fk.refTable)} r SET ${ident(col)} = p.${ident(key)} FROM ${ident(table)} p WHERE ${match}`);
      if (fk.notNull) await q.query(`ALTER TABLE ${ident(fk.refTable)} ALTER COLUMN ${ident(col)} SET NOT NULL`);
      const fn = `${fk.refTable}_${col}_fill`;
      await q.query(`CREATE FUNCTION ${ident(fn)}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN NEW.${ident(col)} := (SELECT p.${ident(key)} FROM ${ident(table)} p WHERE ${matchNew}); RETURN NEW; END $fn$`);
      await q.query(`CREATE TRIGGER ${ident(fn)} BEFORE INSERT ON ${ident(fk.refTable)}
                     FOR EACH ROW WHEN (NEW.${ident(col)} IS NULL) EXECUTE FUNCTION ${ident(fn)}()`);
      await q.query(`ALTER TABLE ${ident(fk.refTable)} ENABLE ALWAYS TRIGGER ${ident(fn)}`);
      await q.query(`COMMENT ON COLUMN ${ident(fk.refTable)}.${ident(col)} IS ${literal(`${table}.${key} of the referenced row (part of the foreign key to the partitioned ${table})`)}`);
    }
    const rest = /REFERENCES\s+\S+?\([^)]*\)(.*)$/s.exec(fk.def)?.[1] ?? '';
    await q.query(`ALTER TABLE ${ident(fk.refTable)} ADD CONSTRAINT ${ident(fk.name)} FOREIGN KEY (${[...fk.cols, col].map(ident).join(', ')})
                   REFERENCES ${ident(table)} (${[...fk.refCols, key].map(ident).join(', ')})${rest}`);
    // Archiving a month deletes the referencing rows of that month first: find them by the column.
    await q.query(`CREATE INDEX IF NOT EXISTS ${ident(`${fk.refTable}_${col}_idx`)} ON ${ident(fk.refTable)} (${ident(col)})`);
  }
  await q.query(`ANALYZE ${ident(table)}`);
  return { rows, partitions: months.length + 1 };
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
