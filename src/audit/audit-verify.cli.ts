import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** `npm run audit:verify`: recomputes the audit chain; exit code 1 names the first broken event. */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is not set\n');
    return 2;
  }
  const ds = await new DataSource(dataSourceOptions(url, { extra: { max: 2 } })).initialize();
  try {
    const report = await new AuditService(new AuditRepository(ds)).verifyChain();
    if (report.ok) {
      process.stdout.write(`审计链完整 / audit chain intact: ${report.checked} events verified\n`);
      return 0;
    }
    process.stdout.write(`审计链被破坏 / audit chain BROKEN at event #${report.firstBroken!.id} (${report.firstBroken!.reason}); ${report.checked} events before it verified\n`);
    return 1;
  } finally {
    await ds.destroy();
  }
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(2);
});
