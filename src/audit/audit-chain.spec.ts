import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  canonicalJson, Checkpoint, checkpointMac, eventHash, firstBadCheckpoint, GENESIS_HASH, keyMatchesChain, sealMac, SealedRow, verifySealedBatch, WALK_START,
} from './audit-chain';
import { createAuditKey, loadAuditKey } from './audit-key';
import { checkpointReason } from './audit-sealer';

const key = Buffer.from('k'.repeat(32));
const fields = (i: number) => ({
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), actorId: null, actorRole: 'system', actorName: 'system',
  action: 'x.y', entityType: 'institution', entityId: `E${i}`, scopePath: '/320400/', before: null, after: { b: 1, a: [i] }, requestId: null,
});

/** A sealed chain of n events as the sealer would write it. */
function chain(n: number, alg: 'sha256' | 'sm3' = 'sha256'): SealedRow[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const f = fields(i);
    const hash = eventHash(prev, f, alg);
    const s = { seq: String(i + 1), eventId: String(100 + i), alg, prevHash: prev, hash };
    prev = hash;
    return { ...s, mac: sealMac(key, s), event: { ...f, id: s.eventId, xid: String(1000 + i), prevHash: null, hash: null } };
  });
}

describe('audit chain (pure functions)', () => {
  it('hashes canonically (key order does not matter) and with the first release’s formula for sha256', () => {
    const f = fields(1);
    expect(eventHash(GENESIS_HASH, { ...f, after: { a: [1], b: 1 } })).toBe(eventHash(GENESIS_HASH, f));
    expect(eventHash(GENESIS_HASH, f, 'sm3')).not.toBe(eventHash(GENESIS_HASH, f));
    expect(eventHash(GENESIS_HASH, f)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies an intact chain in both algorithms', () => {
    for (const alg of ['sha256', 'sm3'] as const) {
      const rows = chain(5, alg);
      const { state, broken } = verifySealedBatch(key, WALK_START, rows);
      expect(broken).toBeNull();
      expect(state.seq).toBe(5n);
      expect(state.hash).toBe(rows[4].hash);
    }
  });

  it('names the first broken event and why', () => {
    const check = (rows: SealedRow[]) => verifySealedBatch(key, WALK_START, rows).broken;
    let rows = chain(5);
    rows[2].event!.after = { tampered: true };
    expect(check(rows)).toMatchObject({ id: '102', reason: 'hash_mismatch' });
    rows = chain(5);
    rows.splice(2, 1);
    expect(check(rows)).toMatchObject({ id: '103', reason: 'seq_gap' });
    rows = chain(5);
    rows[3].event = null;
    expect(check(rows)).toMatchObject({ id: '103', reason: 'event_missing' });
    rows = chain(5);
    rows[4].mac = 'f'.repeat(64);
    expect(check(rows)).toMatchObject({ id: '104', reason: 'mac_mismatch' });
    rows = chain(5);
    rows[1].prevHash = 'e'.repeat(64);
    expect(check(rows)).toMatchObject({ id: '101', reason: 'prev_hash_mismatch' });
    rows = chain(5);
    rows[3].event!.xid = '1';
    expect(check(rows)).toMatchObject({ id: '103', reason: 'order_mismatch' });
    rows = chain(5);
    expect(verifySealedBatch(key, WALK_START, rows, undefined, new Map([['3', 'a'.repeat(64)]])).broken).toMatchObject({ id: '102', reason: 'checkpoint_mismatch' });
    // re-chained without the key: hashes fine, MACs not
    rows = chain(5);
    const other = Buffer.from('x'.repeat(32));
    rows[2].mac = sealMac(other, rows[2] as never);
    expect(check(rows)).toMatchObject({ id: '102', reason: 'mac_mismatch' });
  });

  it('chains checkpoints by MAC and finds the first bad one', () => {
    const cps: Checkpoint[] = [];
    let prevMac = GENESIS_HASH;
    for (let i = 1; i <= 3; i++) {
      const v = { id: String(i), createdAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(), headSeq: String(i * 10), headHash: 'a'.repeat(64), alg: 'sha256' as const, reason: 'sealed', prevMac };
      const mac = checkpointMac(key, v);
      cps.push({ ...v, mac });
      prevMac = mac;
    }
    expect(firstBadCheckpoint(key, cps)).toBe(-1);
    expect(firstBadCheckpoint(key, [cps[0], cps[2]])).toBe(1); // one deleted in the middle
    expect(firstBadCheckpoint(key, [cps[0], { ...cps[1], headSeq: '11' }, cps[2]])).toBe(1);
    expect(firstBadCheckpoint(Buffer.from('z'.repeat(32)), cps)).toBe(0);
  });
});

describe('fieldsJson fast path', () => {
  it('hashes exactly like the generic canonical JSON of the fields', () => {
    const { createHash } = jest.requireActual('node:crypto');
    const f = { ...fields(3), actorId: '0b6f6d1e-0000-4000-8000-000000000001', before: { z: { y: 1, x: [2, { b: 1, a: 'é"\\' }] } }, requestId: 'r"1' };
    const generic = createHash('sha256').update(GENESIS_HASH).update('\n').update(canonicalJson(f)).digest('hex');
    expect(eventHash(GENESIS_HASH, f)).toBe(generic);
  });
});

describe('the audit key', () => {
  it('is created once, whole, and never overwritten (link into place); keyMatchesChain tells the chain’s key from another', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-key-'));
    try {
      expect(loadAuditKey({ dataDir: dir })).toBeNull();
      const k1 = createAuditKey(dir);
      expect(k1.toString()).toMatch(/^[0-9a-f]{64}$/);
      expect(createAuditKey(dir).equals(k1)).toBe(true); // a second process finds the first one's file
      expect(fs.readdirSync(path.join(dir, 'secrets'))).toEqual(['audit-hmac.key']); // no temporary file left
      expect(fs.statSync(path.join(dir, 'secrets', 'audit-hmac.key')).mode & 0o777).toBe(0o600);
      const values = { id: '1', createdAt: '2026-01-01T00:00:00.000Z', headSeq: '0', headHash: GENESIS_HASH, alg: 'sha256' as const, reason: 'adopted', prevMac: GENESIS_HASH };
      const checkpoint = { ...values, mac: checkpointMac(k1, values) };
      expect(keyMatchesChain(k1, { checkpoint, seal: null })).toBe(true);
      expect(keyMatchesChain(key, { checkpoint, seal: null })).toBe(false);
      expect(keyMatchesChain(key, { checkpoint: null, seal: null })).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkpoint cadence', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const last = (ageMs: number, headSeq: string) =>
    ({ id: '1', createdAt: new Date(now - ageMs).toISOString(), headSeq, headHash: GENESIS_HASH, alg: 'sha256' as const, reason: 'sealed', prevMac: GENESIS_HASH, mac: '' });
  const reason = (o: Partial<Parameters<typeof checkpointReason>[0]>) =>
    checkpointReason({ adopting: false, fullBatch: false, headSeq: 10n, last: last(1000, '10'), now, ...o });

  it('checkpoints a head that moved once the last checkpoint is 30 s old, even in an idle pass; else hourly', () => {
    expect(reason({ last: last(10_000, '5') })).toBeNull(); // moved, but the last one is only 10 s old
    expect(reason({ last: last(31_000, '5') })).toBe('sealed'); // moved earlier, nothing sealed now: idle pass writes it
    expect(reason({ last: last(31_000, '10') })).toBeNull(); // not moved
    expect(reason({ last: last(3_600_000, '10') })).toBe('hourly');
    expect(reason({ force: 'manual' })).toBe('manual');
    expect(reason({ adopting: true, last: null })).toBe('adopted');
    expect(reason({ adopting: true, fullBatch: true, last: null, force: 'manual' })).toBeNull();
  });
});
