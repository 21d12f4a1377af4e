import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The hash the first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash algorithms a sealed event or checkpoint may name (AUDIT_HASH); SM3 = GB/T 32905. */
export const HASH_ALGS = ['sha256', 'sm3'] as const;
export type HashAlg = (typeof HASH_ALGS)[number];

export interface ChainedFields {
  occurredAt: string;
  actorId: string | null;
  actorRole: string;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  scopePath: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** JSON with object keys sorted at every depth, so the same data always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * canonicalJson of the chained fields, written out in their sorted key order (what canonicalJson would give, without
 * sorting the eleven keys for every event: verification hashes a million of them).
 */
function fieldsJson(f: ChainedFields): string {
  if (f.actorId === undefined || f.scopePath === undefined || f.requestId === undefined) {
    return canonicalJson({ ...f });
  }
  const str = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
  return `{"action":${str(f.action)},"actorId":${str(f.actorId)},"actorName":${str(f.actorName)},"actorRole":${str(f.actorRole)},`
    + `"after":${canonicalJson(f.after)},"before":${canonicalJson(f.before)},"entityId":${str(f.entityId)},"entityType":${str(f.entityType)},`
    + `"occurredAt":${str(f.occurredAt)},"requestId":${str(f.requestId)},"scopePath":${str(f.scopePath)}}`;
}

/** hash = H(prev ‖ "\n" ‖ canonical JSON of the fields); with sha256 exactly the first release's formula. */
export function eventHash(prevHash: string, fields: ChainedFields, alg: HashAlg = 'sha256'): string {
  // one update call (same bytes as updating prev, "\n" and the JSON in turn): a million events cross into C++ once each
  return createHash(alg).update(`${prevHash}\n${fieldsJson(fields)}`).digest('hex');
}

/** What a seal's MAC covers: its place in the chain, the event it seals, and the chain values. */
export interface SealValues {
  seq: string;
  eventId: string;
  alg: HashAlg;
  prevHash: string;
  hash: string;
}

/** HMAC (with the key kept outside the database) over the seal; the HMAC's hash is the seal's algorithm. */
export function sealMac(key: Buffer, s: SealValues): string {
  return createHmac(s.alg, key).update(`seal\n${s.seq}\n${s.eventId}\n${s.alg}\n${s.prevHash}\n${s.hash}`).digest('hex');
}

export interface CheckpointValues {
  id: string;
  createdAt: string;
  headSeq: string;
  headHash: string;
  alg: HashAlg;
  reason: string;
  prevMac: string;
}

/** HMAC over a checkpoint and the previous checkpoint's MAC (so checkpoints chain too). */
export function checkpointMac(key: Buffer, c: CheckpointValues): string {
  return createHmac(c.alg, key)
    .update(`checkpoint\n${c.id}\n${c.createdAt}\n${c.headSeq}\n${c.headHash}\n${c.alg}\n${c.reason}\n${c.prevMac}`).digest('hex');
}

/** Constant-time comparison of two hex digests (false for anything malformed). */
export function sameHex(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Why verification stops at an event. */
export type BreakReason =
  | 'prev_hash_mismatch' | 'hash_mismatch' | 'mac_mismatch' | 'seq_gap' | 'event_missing' | 'order_mismatch'
  | 'not_sealed' | 'tail_truncated' | 'checkpoint_mismatch' | 'checkpoint_missing';

export type ChainBreak = { id: string; reason: BreakReason };

/** One sealed event as the verifier reads it: the seal and (LEFT JOIN) the event it points to. */
export interface SealedRow {
  seq: string;
  eventId: string;
  alg: string;
  prevHash: string;
  hash: string;
  mac: string;
  /** null: the event the seal points to is gone. */
  event: (ChainedFields & { id: string; xid: string | null; prevHash: string | null; hash: string | null }) | null;
}

/** Where a walk over sealed rows stands between batches. */
export interface WalkState {
  seq: bigint;
  hash: string;
  /** (xid, id) of the last event: seals must follow that order (legacy events, xid NULL, come first by id). */
  xid: bigint;
  id: bigint;
}

export const WALK_START: WalkState = { seq: 0n, hash: GENESIS_HASH, xid: -1n, id: 0n };

/**
 * Checks consecutive sealed rows: the sequence has no gap, each seal points to an event that exists, chains to the one
 * before, its hash is the event's, its MAC is valid, events come in (xid, id) order, and where a checkpoint names the
 * position, the hash is the checkpoint's. Returns the first break.
 * `onRow` sees every row that verified (to compare with checkpoints, count a subtree…).
 */
export function verifySealedBatch(key: Buffer, start: WalkState, rows: SealedRow[], onRow?: (r: SealedRow) => void, checkpointHashes?: Map<string, string>):
  { state: WalkState; broken: (ChainBreak & { seq: string }) | null } {
  let st = start;
  for (const r of rows) {
    const seq = BigInt(r.seq);
    const brk = (reason: BreakReason) => ({ state: st, broken: { id: r.eventId, seq: r.seq, reason } });
    if (seq !== st.seq + 1n) return brk('seq_gap');
    const e = r.event;
    if (!e) return brk('event_missing');
    if (r.prevHash !== st.hash) return brk('prev_hash_mismatch');
    const alg = (HASH_ALGS as readonly string[]).includes(r.alg) ? (r.alg as HashAlg) : null;
    if (!alg || eventHash(r.prevHash, e, alg) !== r.hash) return brk('hash_mismatch');
    // A legacy event also carries its own hashes: they must be the ones sealed.
    if ((e.hash !== null && e.hash !== r.hash) || (e.prevHash !== null && e.prevHash !== r.prevHash)) return brk('hash_mismatch');
    if (!sameHex(r.mac, sealMac(key, { seq: r.seq, eventId: r.eventId, alg, prevHash: r.prevHash, hash: r.hash }))) return brk('mac_mismatch');
    const xid = e.xid === null ? -1n : BigInt(e.xid);
    const id = BigInt(e.id);
    if (xid < st.xid || (xid === st.xid && id <= st.id)) return brk('order_mismatch');
    const expected = checkpointHashes?.get(r.seq);
    if (expected !== undefined && expected !== r.hash) return brk('checkpoint_mismatch');
    st = { seq, hash: r.hash, xid, id };
    onRow?.(r);
  }
  return { state: st, broken: null };
}

/** A checkpoint as stored (table audit_checkpoint) and as anchored (one JSON line of DATA_DIR/audit/checkpoints.log). */
export interface Checkpoint extends CheckpointValues {
  mac: string;
}

/**
 * The checkpoints' own chain: ids ascending, each MAC valid and covering the previous one's, heads never going back.
 * Returns the index of the first bad one (-1: all good).
 */
export function firstBadCheckpoint(key: Buffer, cps: Checkpoint[]): number {
  let prevMac = GENESIS_HASH;
  let prevHead = -1n;
  let prevId = 0n;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    const alg = (HASH_ALGS as readonly string[]).includes(c.alg) ? c.alg : null;
    if (!alg || c.prevMac !== prevMac || BigInt(c.id) <= prevId || BigInt(c.headSeq) < prevHead) return i;
    if (!sameHex(c.mac, checkpointMac(key, c))) return i;
    prevMac = c.mac;
    prevHead = BigInt(c.headSeq);
    prevId = BigInt(c.id);
  }
  return -1;
}

/** Plain JSON (Dates as ISO strings, no undefined), as jsonb will give it back. */
export function toPlainJson<T>(value: T): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Whether `key` is the key the chain was sealed with: it verifies the last checkpoint's MAC, or (no checkpoint yet)
 * the last seal's. Nothing sealed: any key fits.
 */
export function keyMatchesChain(key: Buffer, last: { checkpoint: Checkpoint | null; seal: (SealValues & { mac: string }) | null }): boolean {
  if (last.checkpoint) {
    const c = last.checkpoint;
    return (HASH_ALGS as readonly string[]).includes(c.alg) && sameHex(c.mac, checkpointMac(key, c));
  }
  if (last.seal) {
    const s = last.seal;
    return (HASH_ALGS as readonly string[]).includes(s.alg) && sameHex(s.mac, sealMac(key, s));
  }
  return true;
}
