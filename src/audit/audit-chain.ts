import { createHash } from 'node:crypto';

/** The hash the first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

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

export function eventHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface StoredEvent extends ChainedFields {
  id: string;
  prevHash: string;
  hash: string;
}

export type ChainBreak = { id: string; reason: 'prev_hash_mismatch' | 'hash_mismatch' };

/** Checks one batch of consecutive events, given the hash the batch must chain to. */
export function verifyBatch(expectedPrev: string, events: StoredEvent[]): { lastHash: string; broken: ChainBreak | null } {
  let prev = expectedPrev;
  for (const e of events) {
    if (e.prevHash !== prev) return { lastHash: prev, broken: { id: e.id, reason: 'prev_hash_mismatch' } };
    const { id: _id, prevHash: _p, hash, ...fields } = e;
    if (eventHash(prev, fields) !== hash) return { lastHash: prev, broken: { id: e.id, reason: 'hash_mismatch' } };
    prev = hash;
  }
  return { lastHash: prev, broken: null };
}

/** Plain JSON (Dates as ISO strings, no undefined), as jsonb will give it back. */
export function toPlainJson<T>(value: T): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}
