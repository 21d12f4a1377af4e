import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/env';
import { createTestDatabase } from './test-db';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: DataSource;
  url: string;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real application (same module graph as production) on its own fresh database, listening on a free port. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: '0', QUEUE_PREFIX: `t${Date.now()}`, ...env,
  });
  const app = await createApp(config);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    // A failed start (e.g. an invalid catalogue) must not leave queue workers running.
    await app.close().catch(() => undefined);
    await database.drop();
    throw err;
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app, config, url,
    db: app.get(DataSource),
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
