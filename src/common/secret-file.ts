import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A key kept in a file under DATA_DIR (secrets/ 0700, the file 0600), never in the database: creates it (32 random
 * bytes, hex) unless it exists and returns its trimmed text. Written whole to a temporary file in the same folder,
 * then hard-linked into place (link never overwrites: when two processes start at once, the second finds the first
 * one's complete file and uses it). A file shorter than 32 characters throws (a truncated or hand-edited key).
 */
export function readOrCreateSecret(dataDir: string, relativePath: string): string {
  const file = path.resolve(dataDir, relativePath);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (text.length < 32) throw new Error(`密钥文件无效 / key file too short: ${file}`);
  return text;
}
