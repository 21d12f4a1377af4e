import 'reflect-metadata';
import { prepareDatabase } from './prepare-database';

/**
 * `npm run migrate`: applies pending migrations (production deploy step) as the owner (DATABASE_OWNER_URL, else
 * DATABASE_URL), migrates BullMQ's schema when the queues are on PostgreSQL (no REDIS_URL), and grants the app's
 * role (DATABASE_URL's user) its privileges.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const ownerUrl = process.env.DATABASE_OWNER_URL || url;
  if (!url || !ownerUrl) throw new Error('DATABASE_URL is not set');
  const applied = await prepareDatabase(ownerUrl, url, { migrations: true, queueSchema: !process.env.REDIS_URL });
  process.stdout.write(`${applied} migration(s) applied\n`);
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
