import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Files stored by the SHA-256 of their bytes (ab/cd/abcd…): the same photo uploaded twice is stored once,
 * and a stored file can be checked against its name at any time.
 */
export class EvidenceStore {
  constructor(private readonly root: string) {}

  static sha256(data: Buffer): string {
    return createHash('sha256').update(data).digest('hex');
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Writes the bytes (atomically: temp file + rename) unless they are already there; returns the hash. */
  async put(data: Buffer): Promise<string> {
    return (await this.write(data)).sha256;
  }

  /** Like `put`, and says whether this call created the file (so a refused request can take back what it wrote). */
  async write(data: Buffer): Promise<{ sha256: string; created: boolean }> {
    const sha = EvidenceStore.sha256(data);
    const target = this.pathOf(sha);
    if (fs.existsSync(target)) return { sha256: sha, created: false };
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.promises.writeFile(tmp, data, { flag: 'wx' });
      await fs.promises.rename(tmp, target);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    return { sha256: sha, created: true };
  }

  /** Deletes a stored file (missing is fine). */
  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }

  /** Where uploads are received while they stream in, before they are checked (deleted on every outcome). */
  get incomingDir(): string {
    return path.join(this.root, 'incoming');
  }

  read(sha256: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(sha256));
  }
}
