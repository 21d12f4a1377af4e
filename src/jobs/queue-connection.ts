import { createPostgresBackend, setDefaultBackendFactory } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type { AppConfig } from '../config/env';

/**
 * Queues run on Redis when REDIS_URL is set, otherwise on BullMQ's PostgreSQL backend in the app's own database.
 * Must be called before any Queue or Worker is created (i.e. before the Nest app is built).
 */
export function configureQueueBackend(config: AppConfig): void {
  setDefaultBackendFactory(config.REDIS_URL ? undefined : (createPostgresBackend as never));
}

/** The `connection` option for BullModule; Nest types it as Redis options, hence the one cast here. */
export function queueConnection(config: AppConfig): ConnectionOptions {
  if (config.REDIS_URL) {
    const u = new URL(config.REDIS_URL);
    return {
      host: u.hostname, port: Number(u.port || 6379), username: u.username || undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0, tls: u.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
  }
  // No DDL on the app's connection: BullMQ's schema is migrated by the owner at boot (src/database/prepare-database.ts).
  return { connectionString: config.DATABASE_URL, migrate: false, max: 4 } as unknown as ConnectionOptions;
}
