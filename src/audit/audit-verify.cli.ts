import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source';
import { randomBytes } from 'node:crypto';
import { keyMatchesChain } from './audit-chain';
import { AuditKeyError, loadAuditKey } from './audit-key';
import type { AuditSealer, KeyState } from './audit-sealer';
import { AuditRepository } from './audit.repository';
import { AuditService, describeBreak } from './audit.service';

/**
 * `npm run audit:verify`: recomputes the audit chain (events, their MACs, the checkpoints and the anchor file
 * DATA_DIR/audit/checkpoints.log); exit code 1 names the first broken event or "tail truncated after #N".
 * It seals nothing and needs the MAC key: AUDIT_HMAC_KEY, or DATA_DIR/secrets/audit-hmac.key (DATA_DIR default .data);
 * without it (or with another key) it says so ("not verifiable: restore the key", exit 1) rather than report a tamper.
 */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is not set\n');
    return 2;
  }
  const dataDir = process.env.DATA_DIR || '.data';
  const ds = await new DataSource(dataSourceOptions(url, { extra: { max: 3 } })).initialize();
  try {
    const repo = new AuditRepository(ds);
    // The key as the sealer checks it, but never created here: no key (or another one) under a sealed chain is
    // reported as "not verifiable, restore the key", not as a tamper.
    let keyState: KeyState;
    try {
      const key = loadAuditKey({ dataDir, envKey: process.env.AUDIT_HMAC_KEY || undefined });
      const last = { checkpoint: await repo.lastCheckpoint(), seal: await repo.lastSeal() };
      keyState = !key ? { key: last.checkpoint || last.seal ? null : randomBytes(32), problem: last.checkpoint || last.seal ? 'key_missing' : null }
        : { key, problem: keyMatchesChain(key, last) ? null : 'key_mismatch' };
    } catch (err) {
      if (!(err instanceof AuditKeyError)) throw err;
      keyState = { key: null, problem: 'key_invalid' };
    }
    // Only what verification reads from the sealer: the key and where the anchor file is.
    const verifier = { keyState: async () => keyState, dataDir, sealPending: async () => 0, kick: () => undefined } as unknown as AuditSealer;
    const started = Date.now();
    const report = await new AuditService(repo, verifier).verifyChain({ seal: false });
    const took = ((Date.now() - started) / 1000).toFixed(1);
    for (const w of report.warnings) process.stdout.write(`注意 / warning: ${w}\n`);
    if (report.keyProblem) {
      process.stdout.write(`审计链无法校验 / audit chain NOT VERIFIABLE (${report.keyProblem})\n`);
      return 1;
    }
    if (report.ok) {
      process.stdout.write(`审计链完整 / audit chain intact: ${report.checked} events verified (head #${report.head.eventId ?? '-'}, seq ${report.head.seq}), `
        + `${report.checkpoints} checkpoints, ${report.anchored} anchored; ${report.unsealed.total} not sealed yet; ${took} s\n`);
      return 0;
    }
    const b = report.firstBroken!;
    const what = b.reason === 'tail_truncated' ? describeBreak(report) : `event #${b.id} (${b.reason})`;
    process.stdout.write(`审计链被破坏 / audit chain BROKEN at ${what}; ${report.checked} events before it verified\n`);
    return 1;
  } finally {
    await ds.destroy();
  }
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`${err?.message ?? err}\n`);
  process.exit(2);
});
