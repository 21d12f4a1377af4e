import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { ExportsRepository } from '../../src/exports/exports.repository';
import { createTestApp, TestApp } from '../support/test-app';

const MB = 2 ** 20;
/** ≈ 240 MB of CSV (1.2 KB a row): far more than every buffer between PostgreSQL and a reader. */
const HUGE = (p: string) => `SELECT g AS "序号", repeat('颐安', 200) AS "填充" FROM generate_series(1, 200000) g WHERE '/320000/' LIKE ${p}`;

/** Bytes this process has read so far from PostgreSQL on the stream's connection (pg's socket). */
function socketBytesRead(stream: Readable): number {
  return (stream as unknown as { connection: { stream: { bytesRead: number } } }).connection.stream.bytesRead;
}

async function readBytes(stream: Readable, n: number): Promise<number> {
  let got = 0;
  for await (const chunk of stream) {
    got += (chunk as Buffer).length;
    if (got >= n) break;
  }
  return got;
}

describe('CSV exports stream from COPY with backpressure', () => {
  let t: TestApp;
  let exportsRepo: ExportsRepository;

  // Two connections: a connection an abandoned export left behind would show at once.
  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_MAX: '2' });
    exportsRepo = t.app.get(ExportsRepository);
  });
  afterAll(() => t.close());

  it('a stalled reader stops the reading from PostgreSQL, so the process holds only a few buffers', async () => {
    const stream = await exportsRepo.copyCsv(HUGE, '/320000/');
    try {
      stream.pause();
      await new Promise((resolve) => stream.once('readable', resolve));
      const first = socketBytesRead(stream);
      // PostgreSQL produces the whole result in well under this time; nothing reads it meanwhile.
      await sleep(1500);
      const stalled = socketBytesRead(stream);
      expect(stalled - first).toBeLessThan(4 * MB);
      expect(stalled).toBeLessThan(8 * MB);
      // A slow reader: what is read from the socket follows what the reader took, within a few buffers.
      const taken = await readBytes(stream, 20 * MB);
      await sleep(300);
      expect(socketBytesRead(stream) - taken).toBeLessThan(8 * MB);
    } finally {
      stream.destroy();
    }
  });

  it('an export abandoned half-way (the client went away) does not leave its pool connection in COPY', async () => {
    for (let i = 0; i < 3; i++) {
      const stream = await exportsRepo.copyCsv(HUGE, '/320000/');
      await readBytes(stream, MB);
      stream.destroy();
      await new Promise((resolve) => stream.once('close', resolve));
    }
    // With a pool of two, a connection still in COPY would make these wait forever.
    const ds = t.app.get(DataSource);
    const rows = await Promise.all([1, 2, 3, 4].map((n) => ds.query('SELECT $1::int AS n', [n])));
    expect(rows.map((r) => r[0].n)).toEqual([1, 2, 3, 4]);
    // And the next export still runs to the end.
    const stream = await exportsRepo.copyCsv((p) => `SELECT 1 AS "一" WHERE '/320000/' LIKE ${p}`, '/320000/');
    let text = '';
    for await (const chunk of stream) text += (chunk as Buffer).toString('utf8');
    expect(text).toBe('一\n1\n');
  }, 30_000);
});
