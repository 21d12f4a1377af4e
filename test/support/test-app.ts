import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';
import request from 'supertest';
import { DataSource, QueryRunner } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/env';
import { dataSourceOptions } from '../../src/database/data-source';
import { createTestDatabase } from './test-db';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** The app's own DataSource: it connects as the app's role (yian_app), so ordinary setup SQL (DML) only. */
  db: DataSource;
  /**
   * SQL as the database's owner (postgres, a superuser), for what the app's role may not do: DDL, disabling a
   * trigger, tampering with the audit tables. Returns the rows, like `db.query`. One small pool, opened on first use.
   */
  ownerQuery<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The owner's connection URL to this app's database. */
  ownerUrl: string;
  /** Runs `fn` with a query runner connected as the owner (migrations' down/up in upgrade tests), then closes it. */
  asOwner<T>(fn: (runner: QueryRunner) => Promise<T>): Promise<T>;
  url: string;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * The data folder of a test app, shaped like the default configuration (`DATA_DIR=.data`, evidence in
 * `DATA_DIR/evidence`): `<tmp>/yian-app-XXXXXX/.data`, so anything that refuses dot-folders (Express's `sendFile`
 * does by default) fails in the tests as it would for users. A `DATA_DIR` the spec passes must itself contain a
 * dot-folder; it is then the spec's to remove.
 */
function testDataDir(given: string | undefined): { dataDir: string; cleanup: () => void } {
  if (given) {
    if (!path.resolve(given).split(path.sep).some((seg) => seg.startsWith('.') && seg.length > 1 && seg !== '..')) {
      throw new Error(`test DATA_DIR must contain a dot-folder like the default .data: ${given}`);
    }
    return { dataDir: given, cleanup: () => undefined };
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-app-'));
  const dataDir = path.join(root, '.data');
  fs.mkdirSync(dataDir, { recursive: true });
  return { dataDir, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** The real application (same module graph as production) on its own fresh database and data folder, listening on a free port. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const data = testDataDir(env.DATA_DIR);
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let app: NestExpressApplication | undefined;
  let config: AppConfig;
  try {
    database = await createTestDatabase();
    config = loadConfig({
      DATABASE_URL: database.appUrl, DATABASE_OWNER_URL: database.url, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: '0', QUEUE_PREFIX: `t${Date.now()}`,
      // .ci/run's second pass runs the queue specs with the queues on Redis.
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...env, DATA_DIR: data.dataDir,
    });
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    // A failed start (e.g. an invalid catalogue) must not leave queue workers, a database or files behind.
    await app?.close().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    data.cleanup();
    throw err;
  }
  const started = app;
  const db = database;
  const address = started.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  let owner: Pool | null = null;
  return {
    app: started, config, url,
    db: started.get(DataSource),
    ownerUrl: db.url,
    asOwner: async (fn) => {
      const ds = await new DataSource(dataSourceOptions(db.url, { migrations: [] }, 1)).initialize();
      const runner = ds.createQueryRunner();
      try {
        return await fn(runner);
      } finally {
        await runner.release();
        await ds.destroy();
      }
    },
    ownerQuery: async (sql, params) => {
      owner ??= new Pool({ connectionString: db.url, max: 2 });
      return (await owner.query(sql, params as unknown[])).rows;
    },
    http: () => request(started.getHttpServer()),
    close: async () => {
      await started.close();
      await owner?.end();
      await db.drop();
      data.cleanup();
    },
  };
}
