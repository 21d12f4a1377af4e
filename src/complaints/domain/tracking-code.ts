/**
 * 查询码: what the complainant keeps to follow the answer without an account. 20 characters of Crockford base32
 * (100 random bits, shown once in groups of four), stored only as its SHA-256 — a leaked table gives no codes, and
 * the code space is far too large to guess (a hash lookup needs no slow hash at this entropy).
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_CHARS = 20;

/** A fresh code, e.g. `7K2M-QX9D-…` (5 bits per character). */
export function newTrackingCode(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(TRACKING_CODE_CHARS);
  const chars = Array.from(bytes.subarray(0, TRACKING_CODE_CHARS), (b) => ALPHABET[b & 31]);
  return chars.join('').replace(/(.{4})(?=.)/g, '$1-');
}

/** The code as typed back (case, spaces, dashes and the look-alikes O/I/L forgiven), or null when it cannot be one. */
export function normalizeTrackingCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== TRACKING_CODE_CHARS || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return s;
}

/** The stored form of a (normalized) code. */
export function trackingHash(normalized: string): Buffer {
  return createHash('sha256').update(`yian-complaint-tracking:${normalized}`).digest();
}
