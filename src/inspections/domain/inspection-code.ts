/**
 * 检查码 — the code an inspection gets at creation, shown by the team on arrival and confirmed by the inspected
 * institution (先赋码、再凭码检查). Pure: generation (random source injected), normalisation of what a person typed,
 * the limit on wrong guesses and the sentence the record carries. docs/inspection-codes.md.
 *
 * 8 characters of Crockford base32 (0–9 and A–Z without I, L, O, U): 40 random bits, about 1.1 × 10¹² codes, shown
 * as two groups of four (`7K2M-QX9D`). A code is unique across the installation; it is never given to the
 * institution before the visit — it proves the team is real — and a code of another institution's inspection is
 * answered exactly like a wrong one.
 */
import { randomBytes } from 'node:crypto';
import type { GuessLimits } from '../../checklists/domain/policy';

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 8;

/** A fresh code, canonical (no separator), from the OS's cryptographic random source (256 = 8 × 32: no bias). */
export function newInspectionCode(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(CODE_LENGTH);
  if (bytes.length < CODE_LENGTH) throw new Error('not enough random bytes');
  return Array.from(bytes.subarray(0, CODE_LENGTH), (b) => CODE_ALPHABET[b & 31]).join('');
}

/** As shown and read out: `7K2M-QX9D`. */
export function formatInspectionCode(code: string): string {
  return code.length === CODE_LENGTH ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/** Full-width letters and digits (a Chinese input method's ＡＢ１) as their ASCII forms. */
function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * The code as a person typed or pasted it, in canonical form — or null when it cannot be a code. Forgiven: case,
 * spaces (also the ideographic space), hyphens and dashes between the groups, full-width characters, the look-alikes
 * O → 0 and I / L → 1 (Crockford), and a pasted address of the QR code (`…/inspection-codes?code=7K2M-QX9D`).
 */
export function normaliseInspectionCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 200) return null;
  let s = halfWidth(input).trim();
  const fromUrl = /[?&]code=([^&#\s]*)/.exec(s);
  if (fromUrl) {
    try {
      s = decodeURIComponent(fromUrl[1]);
    } catch {
      return null;
    }
  }
  s = s.toUpperCase().replace(/[\s\u3000\-\u2010-\u2015\u2212_.·]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH || [...s].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return s;
}

// ---------------------------------------------------------------- wrong guesses

/**
 * How many wrong codes an institution account may type — policy data (`inspectionCodes.guesses` of
 * checklists/product-policy.yaml, `GuessLimits`): per account within a short window (a person's typos pass, a script
 * does not), and per institution within a day (several accounts of one institution do not multiply the guesses). A
 * malformed entry is not a guess (it cannot match any code) and is not counted. The code space (10¹²) and the scope
 * (only the institution's own inspections match) already make guessing pointless; the limit makes trying expensive
 * and visible.
 */
export type { GuessLimits };

/** Wrong guesses in the current windows: how many, and the oldest (when the window frees a place). */
export interface GuessHistory {
  user: { count: number; oldest: Date | null };
  institution: { count: number; oldest: Date | null };
}

/** null when one more code may be tried now, else how many minutes to wait (at least 1). */
export function guessRefusal(h: GuessHistory, now: Date, limits: GuessLimits): { minutes: number } | null {
  const wait = (oldest: Date | null, windowMs: number) => Math.max(1, Math.ceil(((oldest ? oldest.getTime() : now.getTime()) + windowMs - now.getTime()) / 60_000));
  if (h.institution.count >= limits.perInstitution) return { minutes: wait(h.institution.oldest, limits.institutionWindowHours * 3_600_000) };
  if (h.user.count >= limits.perUser) return { minutes: wait(h.user.oldest, limits.userWindowMinutes * 60_000) };
  return null;
}

// ---------------------------------------------------------------- what the record says

export type CodeVerificationState =
  /** the inspection has no code (made before 检查码) */
  | 'none'
  /** not confirmed, not started yet */
  | 'pending'
  /** confirmed before the inspection started (or before it was filed, when it never started online) */
  | 'confirmed'
  /** confirmed, but only after the inspection had started */
  | 'confirmed_after_start'
  /** started (or filed) without the institution's confirmation */
  | 'unconfirmed';

export interface CodeVerificationFacts {
  hasCode: boolean;
  status: string;
  startedAt: Date | string | null;
  confirmedAt: Date | string | null;
  /** the confirming account: its name and its institution's */
  confirmedByName?: string | null;
  confirmedByInstitution?: string | null;
}

export function codeVerificationState(f: CodeVerificationFacts): CodeVerificationState {
  if (!f.hasCode) return 'none';
  const started = f.startedAt ? new Date(f.startedAt).getTime() : null;
  if (f.confirmedAt) {
    const confirmed = new Date(f.confirmedAt).getTime();
    return started !== null && confirmed > started ? 'confirmed_after_start' : 'confirmed';
  }
  return started !== null || f.status === 'in_progress' || f.status === 'submitted' ? 'unconfirmed' : 'pending';
}

export const UNCONFIRMED_TEXT = '未经被检查机构核验检查码';

/**
 * The sentence on the inspection's page and in its record PDF: 检查码已于 2026年3月2日 10:32 由 王院长（红梅颐养院）核验
 * (…，在开始检查之后), 未经被检查机构核验检查码, or 被检查机构尚未核验检查码 before the start. null: no code.
 * `format` renders the time (the caller's Chinese date-time).
 */
export function codeVerificationText(f: CodeVerificationFacts, format: (at: Date) => string): string | null {
  const state = codeVerificationState(f);
  switch (state) {
    case 'none': return null;
    case 'pending': return '被检查机构尚未核验检查码';
    case 'unconfirmed': return UNCONFIRMED_TEXT;
    default: {
      const who = f.confirmedByName ? ` 由 ${f.confirmedByName}${f.confirmedByInstitution ? `（${f.confirmedByInstitution}）` : ''}` : '';
      return `检查码已于 ${format(new Date(f.confirmedAt!))}${who} 核验${state === 'confirmed_after_start' ? '（在开始检查之后）' : ''}`;
    }
  }
}
