import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

/** `npm run migrate`: applies pending migrations (production deploy step). */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  const applied = await ds.runMigrations();
  process.stdout.write(`${applied.length} migration(s) applied\n`);
  await ds.destroy();
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
