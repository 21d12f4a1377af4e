import * as fs from 'node:fs';
import * as path from 'node:path';
import { readOrCreateSecret } from '../common/secret-file';

/** The key's file under DATA_DIR (0600, in secrets/ 0700). */
export const AUDIT_KEY_FILE = path.join('secrets', 'audit-hmac.key');
/** The anchor file under DATA_DIR: one JSON line per checkpoint, outside the database. */
export const AUDIT_ANCHOR_FILE = path.join('audit', 'checkpoints.log');

export class AuditKeyError extends Error {}

/**
 * The key of the audit MACs, never stored in the database: AUDIT_HMAC_KEY from the environment (compose), else
 * DATA_DIR/secrets/audit-hmac.key. Null when neither is there (the sealer then decides: a new key only while nothing
 * is sealed, see AuditSealer). A key shorter than 32 characters throws AuditKeyError.
 */
export function loadAuditKey(opts: { dataDir: string; envKey?: string }): Buffer | null {
  if (opts.envKey) {
    if (opts.envKey.length < 32) throw new AuditKeyError('AUDIT_HMAC_KEY 少于 32 个字符 / AUDIT_HMAC_KEY is shorter than 32 characters');
    return Buffer.from(opts.envKey, 'utf8');
  }
  const file = path.resolve(opts.dataDir, AUDIT_KEY_FILE);
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8').trim();
  if (text.length < 32) throw new AuditKeyError(`审计密钥文件无效 / audit key too short: ${file}`);
  return Buffer.from(text, 'utf8');
}

/**
 * Creates DATA_DIR/secrets/audit-hmac.key (32 random bytes, hex, 0600) unless it exists, and returns the key in the
 * file (`readOrCreateSecret`: written whole, then linked into place, so two processes starting at once agree).
 */
export function createAuditKey(dataDir: string): Buffer {
  if (!fs.existsSync(path.resolve(dataDir, AUDIT_KEY_FILE))) readOrCreateSecret(dataDir, AUDIT_KEY_FILE);
  return loadAuditKey({ dataDir })!;
}

export function anchorPath(dataDir: string): string {
  return path.resolve(dataDir, AUDIT_ANCHOR_FILE);
}
