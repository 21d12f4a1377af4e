import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

export const TEMPLATE_DB = 'app_template';

/** The app role's password in the test cluster (the role is created by global setup). */
export const APP_PASSWORD = 'yian_app';

export interface TestDbInfo {
  /** The owner's (superuser postgres) address, without a database. */
  base: string;
  /** The app role's (yian_app) address, without a database. */
  appBase: string;
  dir: string;
}

/** Where global setup leaves the cluster's address for the test files (one file per jest run, by parent pid). */
const infoFile = () => path.join(os.tmpdir(), `yian-test-db-${process.env.YIAN_TEST_RUN ?? process.ppid}.json`);

export function writeDbInfo(info: TestDbInfo): void {
  process.env.YIAN_TEST_RUN = String(process.pid);
  fs.writeFileSync(infoFile(), JSON.stringify(info));
}

export function readDbInfo(): TestDbInfo | null {
  const f = infoFile();
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as TestDbInfo) : null;
}

export function removeDbInfo(): void {
  fs.rmSync(infoFile(), { force: true });
}

/**
 * A fresh database cloned from the migrated template (≈ 100 ms). `url` connects as the owner (postgres, a
 * superuser: for DDL and DBA-only steps), `appUrl` as the app's role (yian_app).
 */
export async function createTestDatabase(): Promise<{ url: string; appUrl: string; drop(): Promise<void> }> {
  const info = readDbInfo();
  if (!info) throw new Error('test database cluster is not running (jest globalSetup did not run)');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: `${info.base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  return {
    url: `${info.base}/${name}`,
    appUrl: `${info.appBase}/${name}`,
    drop: async () => {
      const c = new Client({ connectionString: `${info.base}/postgres` });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
