import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/env';
import { QUEUE_NAMES } from '../outbox/job-names';
import { dataSourceOptions } from './data-source';
import { connectedRoleFacts, grantAppPrivileges, migrateQueueSchema, roleOfUrl, withMigrationLock } from './database-roles.repository';

export interface PrepareOptions {
  /** Run TypeORM's migrations (RUN_MIGRATIONS). */
  migrations: boolean;
  /** Migrate BullMQ's schema too (queues on PostgreSQL, i.e. no REDIS_URL). */
  queueSchema: boolean;
  log?: (line: string) => void;
}

/**
 * Everything that needs the owner, on a short-lived connection of its own: the migrations, BullMQ's schema, and the
 * app role's grants (when the app connects as another role). Several processes starting at once take turns.
 * Returns how many migrations were applied.
 */
export async function prepareDatabase(ownerUrl: string, appUrl: string, opts: PrepareOptions): Promise<number> {
  const ds = await new DataSource(dataSourceOptions(ownerUrl, { extra: { max: 2, application_name: 'yian-migrate', connectionTimeoutMillis: 15_000 } })).initialize();
  try {
    return await withMigrationLock(ds, async () => {
      const applied = opts.migrations ? await ds.runMigrations() : [];
      if (applied.length) opts.log?.(`${applied.length} migration(s) applied`);
      if (opts.queueSchema) await migrateQueueSchema(ds, QUEUE_NAMES);
      const appRole = roleOfUrl(appUrl);
      if (appRole !== (await connectedRoleFacts(ds)).role) await grantAppPrivileges(ds, appRole);
      return applied.length;
    });
  } finally {
    await ds.destroy();
  }
}

const atBoot = new WeakMap<AppConfig, Promise<void>>();

/**
 * Boot: the owner's work before the app's pool connects and before a queue is created (BullMQ's Queue checks its
 * schema as soon as it is constructed, so the queues' module awaits this too); once per app (per config object).
 * Nothing to do when RUN_MIGRATIONS=false.
 */
export function prepareDatabaseAtBoot(config: AppConfig): Promise<void> {
  let done = atBoot.get(config);
  if (!done) {
    const logger = new Logger('Database');
    done = config.RUN_MIGRATIONS
      ? prepareDatabase(config.DATABASE_OWNER_URL ?? config.DATABASE_URL, config.DATABASE_URL, {
        migrations: true, queueSchema: !config.REDIS_URL, log: (l) => logger.log(l),
      }).then(() => undefined)
      : Promise.resolve();
    atBoot.set(config, done);
  }
  return done;
}
