import { runMigrations as runQueueMigrations } from 'bullmq';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * The database roles (docs/adr/0005-database-roles.md): the owner runs the migrations and owns every table; the app
 * connects as a role that owns nothing, so it cannot ALTER a table, disable a trigger, TRUNCATE, or create objects.
 * Everything here runs as the owner, at boot (before the app's pool connects) and in the DatabaseRoles migration.
 */

/** The default name of the app's role (embedded start, compose, tests). */
export const APP_ROLE = 'yian_app';

/**
 * The SECURITY DEFINER functions the app calls (created by the SubmissionPath and DivisionKeys migrations, EXECUTE
 * revoked from PUBLIC there). Granted to the app's role at every boot, whatever its name and whenever it was created;
 * the owner-only helpers (yian_copy_acl, yian_month_partition, …) are never granted.
 */
export const APP_FUNCTIONS = ['yian_next_document_number(text, integer)', 'yian_ensure_month_partitions(regclass, integer)'] as const;

/** BullMQ's PostgreSQL backend keeps its tables in this schema. */
export const QUEUE_SCHEMA = 'bullmq';

/** Anything with `query(sql, params)` returning rows: a DataSource, a QueryRunner or an EntityManager. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const rowsOf = async <T>(q: Sql, sql: string, params?: unknown[]): Promise<T[]> => (await q.query(sql, params)) as T[];

/** A role name as a quoted identifier; only plain names are accepted (they come from a URL or a constant). */
export function quoteRole(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(name)) throw new Error(`not a plain role name: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** The user a postgres:// URL logs in as. */
export function roleOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).username || process.env.PGUSER || 'postgres');
}

/**
 * The audit tables (audit_*: audit_event and its partitions, the sealer's audit_seal and audit_checkpoint,
 * audit_verification) are read-and-append only for the app. Columns it may nevertheless UPDATE (table → columns,
 * guarded by the audit's own triggers): none — the sealer appends seals instead of updating events (ADR 0001).
 */
export const AUDIT_UPDATABLE: Record<string, string[]> = {};

export interface RoleFacts {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  createRole: boolean;
  /** It owns (or is a member of the owner of) at least one table of the app. */
  ownsTables: boolean;
}

/** What the connected role may do that the app's role must not (the boot warning when the app connects as it). */
export async function connectedRoleFacts(q: Sql): Promise<RoleFacts> {
  const [r] = await rowsOf<{ role: string; superuser: boolean; bypass_rls: boolean; create_role: boolean; owns_tables: boolean }>(q,
    `SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls, r.rolcreaterole AS create_role,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_has_role(r.oid, c.relowner, 'USAGE')) AS owns_tables
       FROM pg_roles r WHERE r.rolname = current_user`);
  return { role: r.role, superuser: r.superuser, bypassRls: r.bypass_rls, createRole: r.create_role, ownsTables: r.owns_tables };
}

export async function roleExists(q: Sql, role: string): Promise<boolean> {
  return (await rowsOf(q, `SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).length > 0;
}

/** Creates the app's role without a login (the deployment gives it one: the embedded start, compose's init script). */
export async function createNologinRole(q: Sql, role: string): Promise<void> {
  await q.query(`CREATE ROLE ${quoteRole(role)} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION`);
}

async function schemaExists(q: Sql, schema: string): Promise<boolean> {
  return (await rowsOf(q, `SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema])).length > 0;
}

/**
 * Grants the app's role what the app needs and nothing more, idempotently; run as the owner after the migrations at
 * every boot. It fills in, never widens on purpose: a table the role has no privilege on at all (created before the
 * role existed, or by another role than the one whose default privileges apply) gets the app's grants; a table a
 * migration granted narrowly keeps its grants. What must never be granted is revoked every time:
 * - public tables: SELECT/INSERT/UPDATE/DELETE; sequences: USAGE/SELECT; and the same by default for what the owner
 *   creates later (later migrations, partitions created ahead). Functions: PUBLIC's EXECUTE (a function revoked
 *   from PUBLIC, e.g. an owner-only helper, stays so), and EXECUTE on APP_FUNCTIONS (revoked from PUBLIC);
 * - the audit tables (audit_*, partitions included): SELECT/INSERT only (plus AUDIT_UPDATABLE's columns); never
 *   UPDATE of a whole row, DELETE, TRUNCATE;
 * - the migrations ledger: SELECT only;
 * - BullMQ's schema (when present): what its queue functions need (DML, sequences, EXECUTE), no DDL.
 */
export async function grantAppPrivileges(q: Sql, role: string): Promise<void> {
  const r = quoteRole(role);
  for (const s of [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r}`,
  ]) await q.query(s);
  const tables = await rowsOf<{ name: string; kind: 'audit' | 'ledger' | 'app'; bare: boolean }>(q,
    `SELECT c.relname AS name,
            CASE WHEN c.relname LIKE 'audit\\_%' THEN 'audit' WHEN c.relname = 'migrations' THEN 'ledger' ELSE 'app' END AS kind,
            NOT has_table_privilege($1, c.oid, 'SELECT') AS bare
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`, [role]);
  for (const { name, kind, bare } of tables) {
    const t = `public."${name.replace(/"/g, '""')}"`;
    if (bare) await q.query(`GRANT ${kind === 'app' ? 'SELECT, INSERT, UPDATE, DELETE' : kind === 'audit' ? 'SELECT, INSERT' : 'SELECT'} ON ${t} TO ${r}`);
    if (kind === 'audit') {
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${t} FROM ${r}`);
      const cols = AUDIT_UPDATABLE[name.replace(/_p(\d{6}|default)$/, '')];
      if (cols?.length) await q.query(`GRANT UPDATE (${cols.map((c) => `"${c}"`).join(', ')}) ON ${t} TO ${r}`);
    }
    if (kind === 'ledger') await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${t} FROM ${r}`);
  }
  const sequences = await rowsOf<{ name: string }>(q,
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'S'
        AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege($1, c.oid, 'USAGE') ELSE false END ORDER BY 1`, [role]);
  for (const { name } of sequences) await q.query(`GRANT USAGE, SELECT ON SEQUENCE public."${name.replace(/"/g, '""')}" TO ${r}`);
  for (const fn of APP_FUNCTIONS) {
    const [{ exists }] = await rowsOf<{ exists: boolean }>(q, `SELECT to_regprocedure($1) IS NOT NULL AS exists`, [`public.${fn}`]);
    if (exists) {
      await q.query(`REVOKE ALL ON FUNCTION public.${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION public.${fn} TO ${r}`);
    }
  }
  if (await schemaExists(q, QUEUE_SCHEMA)) {
    for (const s of [
      `GRANT USAGE ON SCHEMA ${QUEUE_SCHEMA} TO ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${QUEUE_SCHEMA} TO ${r}`,
      `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${QUEUE_SCHEMA} TO ${r}`,
      `GRANT EXECUTE ON ALL ROUTINES IN SCHEMA ${QUEUE_SCHEMA} TO ${r}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${QUEUE_SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${QUEUE_SCHEMA} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r}`,
    ]) await q.query(s);
  }
}

/**
 * BullMQ's schema, migrated by the owner (on one dedicated session, as BullMQ requires), plus each queue's job-id
 * sequence, which BullMQ would otherwise create on a queue's first job — DDL that the app's role may not run.
 */
export async function migrateQueueSchema(ds: DataSource, queueNames: readonly string[]): Promise<void> {
  const qr: QueryRunner = ds.createQueryRunner();
  try {
    const client = await qr.connect();
    await runQueueMigrations(client as never, QUEUE_SCHEMA);
    for (const queue of queueNames) {
      await qr.startTransaction();
      try {
        // The same lock BullMQ's next_job_id takes before it creates the sequence.
        await qr.query(`SELECT pg_advisory_xact_lock(hashtext('bullmq:jidseq:' || $1::text))`, [queue]);
        const [{ name }] = (await qr.query(`SELECT ${QUEUE_SCHEMA}.job_id_seq_name($1) AS name`, [queue])) as { name: string }[];
        await qr.query(`CREATE SEQUENCE IF NOT EXISTS ${QUEUE_SCHEMA}."${name}"`);
        await qr.commitTransaction();
      } catch (err) {
        await qr.rollbackTransaction();
        throw err;
      }
    }
  } finally {
    await qr.release();
  }
}

/** Serialises the boot-time migrations of several processes starting at once (held on its own session). */
export async function withMigrationLock<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  const qr = ds.createQueryRunner();
  try {
    await qr.query(`SELECT pg_advisory_lock(hashtext('yian:migrations'))`);
    try {
      return await work();
    } finally {
      await qr.query(`SELECT pg_advisory_unlock(hashtext('yian:migrations'))`);
    }
  } finally {
    await qr.release();
  }
}
