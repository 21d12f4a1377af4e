import { MigrationInterface, QueryRunner } from 'typeorm';

const APP_ROLE = 'yian_app';

/**
 * Issue 15 — the app connects as a role that owns nothing (docs/adr/0005-database-roles.md). The role `yian_app`
 * is created here without a login when it does not exist yet and the migrating role may create roles (the
 * deployment gives it a login and a password: the embedded start, compose's init script); a migrating role that may
 * not create roles skips this with a log line, and the app keeps connecting as before.
 *
 * Privileges: SELECT/INSERT/UPDATE/DELETE on the app's tables, USAGE/SELECT on the sequences, and the same by
 * default on what the migrating role (the owner) creates later (the later migrations, the partitions created
 * ahead); functions keep PUBLIC's EXECUTE (an owner-only function is revoked from PUBLIC by the migration that
 * creates it). The audit tables (audit_*) are read-and-append only: no UPDATE, DELETE or TRUNCATE. The migrations
 * ledger is read-only. No privilege to create anything, and a non-owner can neither ALTER a table (so no DISABLE
 * TRIGGER) nor set session_replication_role.
 *
 * The app checks the same grants as the owner at every boot after the migrations (src/database/
 * database-roles.repository.ts): what no grant reached is filled in, and the audit tables are narrowed back.
 * Upgrade in place: a database of the previous release (the app connected as the superuser) keeps every row; only
 * grants are added.
 */
export class DatabaseRoles1765200100000 implements MigrationInterface {
  name = 'DatabaseRoles1765200100000';

  async up(q: QueryRunner): Promise<void> {
    const [exists] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!exists) {
      const [me] = await q.query(`SELECT rolsuper OR rolcreaterole AS may FROM pg_roles WHERE rolname = current_user`);
      if (!me?.may) {
        process.stdout.write(`DatabaseRoles: role ${APP_ROLE} does not exist and the migrating role may not create it; privileges not granted (create it and restart: docs/adr/0005-database-roles.md)\n`);
        return;
      }
      await q.query(`CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION`);
    }
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`);
    const readOnly: { name: string }[] = await q.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND (c.relname LIKE 'audit\\_%' OR c.relname = 'migrations')`);
    for (const { name } of readOnly) {
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON public."${name}" FROM ${APP_ROLE}`);
      if (name === 'migrations') await q.query(`REVOKE INSERT ON public."${name}" FROM ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const [exists] = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!exists) return;
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
  }
}
