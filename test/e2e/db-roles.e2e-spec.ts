import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMigrations as runQueueMigrations } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions } from '../../src/database/data-source';
import { prepareDatabase } from '../../src/database/prepare-database';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { waitForJob } from '../support/jobs';
import { dotDataDir, startProduct } from '../support/start-script';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';

const REFUSED = /permission denied|must be owner|must be superuser/;

/** docs/adr/0005-database-roles.md: the app connects as yian_app, which owns nothing; the owner migrates. */
describe('database roles: the app connects as a role that owns nothing', () => {
  let t: TestApp;
  let auditTables: string[];
  let auditTrigger: string;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200' });
    await seedDivisions(t.db);
    auditTables = (await t.db.query(`SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname LIKE 'audit\\_%' ORDER BY 1`)).map((r: { relname: string }) => r.relname);
    [{ tgname: auditTrigger }] = await t.ownerQuery(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal ORDER BY 1 LIMIT 1`);
  });
  afterAll(() => t?.close());

  it('is yian_app: no superuser, cannot create roles or databases, bypasses no row security, owns no table', async () => {
    const [me] = await t.db.query(`SELECT current_user AS role, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = current_user`);
    expect(me).toEqual({ role: 'yian_app', rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: false });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname IN ('public', 'bullmq') AND pg_has_role(current_user, c.relowner, 'USAGE')`);
    expect(n).toBe(0);
    expect(auditTables).toContain('audit_event');
  });

  it('cannot alter, delete or truncate the audit trail (any audit table, partitions included)', async () => {
    await expect(t.db.query(`UPDATE audit_event SET action = 'x' WHERE false`)).rejects.toThrow(REFUSED);
    for (const table of auditTables) {
      // (the audit's sealer may be granted UPDATE of named columns; never of the whole row)
      expect((await t.db.query(`SELECT has_table_privilege($1, 'UPDATE') AS u`, [table]))[0].u).toBe(false);
      await expect(t.db.query(`DELETE FROM ${table} WHERE false`)).rejects.toThrow(REFUSED);
      await expect(t.db.query(`TRUNCATE ${table}`)).rejects.toThrow(REFUSED);
    }
  });

  it.each([
    ['ALTER TABLE … DISABLE TRIGGER', () => `ALTER TABLE audit_event DISABLE TRIGGER "${auditTrigger}"`],
    ['SET session_replication_role', () => `SET session_replication_role = replica`],
    ['CREATE TABLE', () => `CREATE TABLE intruder (id int)`],
    ['CREATE TABLE in the queue schema', () => `CREATE TABLE bullmq.intruder (id int)`],
    ['CREATE SCHEMA', () => `CREATE SCHEMA intruder`],
    ['DROP TABLE', () => `DROP TABLE hazard`],
    ['ALTER TABLE … ADD COLUMN', () => `ALTER TABLE hazard ADD COLUMN intruder int`],
    ['CREATE FUNCTION', () => `CREATE FUNCTION public.intruder() RETURNS void LANGUAGE sql AS 'SELECT 1'`],
  ])('refuses %s', async (_what, sql) => {
    await expect(t.db.query(sql())).rejects.toThrow(REFUSED);
  });

  it('still does its work: a submission, its notice, and the report job relayed from the outbox and rendered', async () => {
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    const team: TestAccount[] = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const inspector = await tokenFor(t, team[0]);
    const institutionId = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput()).expect(201)).body.id;
    const created = await t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = await formItems(t, inspector, created.body.id);
    const item = items.find((i) => i.severity === 'general')!;
    const failed = { [item.code]: item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, inspector, created.body.id, item.code)] : [] };
    const submitted = await t.http().post(`/api/inspections/${created.body.id}/submit`).set(as(inspector)).send(submission(items, failed, team)).expect(201);
    expect(submitted.body.hazards).toHaveLength(1);
    const notice = await t.http().post(`/api/inspections/${created.body.id}/notice`).set(as(officer)).expect(201);
    expect(notice.body.noticeNo).toMatch(/第\d{4}号/);
    await waitForJob(t.app, REPORTS_QUEUE, `inspection-report-${created.body.id}`);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1`, [created.body.id]);
    expect(n).toBeGreaterThan(0);
  });
});

describe('upgrade in place: a database of the previous release (the app connected as the superuser)', () => {
  it('keeps its rows, and after the migrations as the owner the app role may use every table but not alter the audit trail', async () => {
    const db = await createTestDatabase();
    const fresh = `fresh_${Date.now()}`;
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${fresh}`);
    } finally {
      await admin.end();
    }
    await db.drop();
    const ownerUrl = db.url.replace(/\/[^/]+$/, `/${fresh}`);
    const appUrl = db.appUrl.replace(/\/[^/]+$/, `/${fresh}`);
    const previous = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === 'AuditSealing1765200000000'));
    const old = await new DataSource(dataSourceOptions(ownerUrl, { migrations: previous })).initialize();
    try {
      await old.runMigrations();
      const qr = old.createQueryRunner();
      await runQueueMigrations((await qr.connect()) as never, 'bullmq');
      await qr.release();
      await old.query(`INSERT INTO division (code, name, level, parent_code, path) VALUES ('320000', '江苏省', 'province', NULL, '/320000/')`);
    } finally {
      await old.destroy();
    }

    await prepareDatabase(ownerUrl, appUrl, { migrations: true, queueSchema: true });

    const app = new Client({ connectionString: appUrl });
    await app.connect();
    try {
      expect((await app.query(`SELECT name FROM division WHERE code = '320000'`)).rows).toEqual([{ name: '江苏省' }]);
      const missing = await app.query(`SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'bullmq') AND c.relkind IN ('r', 'p') AND c.relname <> 'migrations' AND c.relname NOT LIKE 'audit\\_%' AND c.relname <> 'device_event'
          AND NOT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT') AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))`);
      expect(missing.rows).toEqual([]);
      // device events are the record: appended and read, never changed (migration DeviceEvents)
      expect((await app.query(`SELECT has_table_privilege('device_event', 'SELECT') AS s, has_table_privilege('device_event', 'INSERT') AS i`)).rows).toEqual([{ s: true, i: true }]);
      await expect(app.query(`UPDATE device_event SET detail = NULL WHERE false`)).rejects.toThrow(REFUSED);
      await expect(app.query(`DELETE FROM device_event WHERE false`)).rejects.toThrow(REFUSED);
      await expect(app.query(`DELETE FROM audit_event WHERE false`)).rejects.toThrow(REFUSED);
      await expect(app.query(`INSERT INTO migrations (timestamp, name) VALUES (1, 'x')`)).rejects.toThrow(REFUSED);
    } finally {
      await app.end();
    }

    // An app role named otherwise and created after the migrations: the boot grants it the functions the app calls.
    const other = `yian_other_${process.pid}`;
    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    const otherUrl = new URL(ownerUrl);
    otherUrl.username = other;
    otherUrl.password = 'other';
    try {
      await owner.query(`CREATE ROLE ${other} LOGIN PASSWORD 'other'`);
      await prepareDatabase(ownerUrl, otherUrl.toString(), { migrations: true, queueSchema: true });
      const as = new Client({ connectionString: otherUrl.toString() });
      await as.connect();
      try {
        expect((await as.query(`SELECT yian_next_document_number('test:series', 2026) > 0 AS ok`)).rows).toEqual([{ ok: true }]);
        await as.query(`SELECT yian_ensure_month_partitions('notification'::regclass, 1)`);
        await expect(as.query(`SELECT yian_copy_acl('hazard'::regclass, 'hazard'::regclass)`)).rejects.toThrow(REFUSED);
      } finally {
        await as.end();
      }
      const pub = await owner.query(`SELECT has_function_privilege('public', 'yian_next_document_number(text, integer)', 'EXECUTE') AS a,
                                            has_function_privilege('public', 'yian_ensure_month_partitions(regclass, integer)', 'EXECUTE') AS b`);
      expect(pub.rows).toEqual([{ a: false, b: false }]);
    } finally {
      await owner.end();
      const drop = new Client({ connectionString: ownerUrl.replace(/\/[^/]+$/, '/postgres') });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
      await drop.query(`DROP ROLE IF EXISTS ${other}`);
      await drop.end();
    }
  }, 60_000);
});

describe('npm start on a fresh .data', () => {
  it('creates the app role with a password kept in .data/secrets (0600 in a 0700 folder), and the app connects as it; the superuser gets a secret password too', async () => {
    const { root, dataDir } = dotDataDir('yian-roles-');
    const product = await startProduct({ dataDir, env: { SEED_DEMO: 'false' } });
    try {
      const secrets = path.join(dataDir, 'secrets');
      const file = path.join(secrets, 'db-app-password');
      expect(fs.statSync(secrets).mode & 0o777).toBe(0o700);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const password = fs.readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect((await fetch(`${product.url}/health`)).status).toBe(200);

      const port = Number(fs.readFileSync(path.join(dataDir, 'pg-port'), 'utf8'));
      // The superuser's password is a secret of its own too (the initial one no longer logs in).
      const ownerPassword = fs.readFileSync(path.join(secrets, 'db-owner-password'), 'utf8').trim();
      expect(fs.statSync(path.join(secrets, 'db-owner-password')).mode & 0o777).toBe(0o600);
      expect(ownerPassword.length).toBeGreaterThanOrEqual(32);
      const initial = new Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'yian' });
      await expect(initial.connect()).rejects.toThrow(/password authentication failed/);
      const owner = new Client({ host: '127.0.0.1', port, user: 'postgres', password: ownerPassword, database: 'yian' });
      await owner.connect();
      try {
        const sessions = await owner.query(`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'yian' AND application_name = 'yian'`);
        expect(sessions.rows).toEqual([{ usename: 'yian_app' }]);
        const [role] = (await owner.query(`SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = 'yian_app'`)).rows;
        expect(role).toEqual({ rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });
      } finally {
        await owner.end();
      }
      const app = new Client({ host: '127.0.0.1', port, user: 'yian_app', password, database: 'yian' });
      await app.connect();
      await expect(app.query(`TRUNCATE audit_event`)).rejects.toThrow(REFUSED);
      await app.end();
      expect(product.output()).not.toMatch(/privileged|特权角色/);
    } finally {
      await product.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
