import { creditCodeCheckChar } from '../common/credit-code';

/**
 * Why a 统一社会信用代码 (GB 32100-2015) is refused, in the order a person checks it: 18 characters, only the
 * 31 characters of the code's alphabet (digits and capitals without I, O, Z, S, V), then the check character.
 * The product's validator (`isValidCreditCode`) answers yes or no; the pages name the problem with this.
 * The reasons are field messages of the registry catalogue (`creditCode*`).
 */
export type CreditCodeProblem =
  | { reason: 'isDefined' }
  | { reason: 'creditCodeLength'; args: [number] }
  | { reason: 'creditCodeCharacters'; args: [string] }
  | { reason: 'creditCodeCheckDigit' };

const ALLOWED = /^[0-9A-HJ-NPQRTUWXY]$/;

/** null when the code is valid. Expects the code as submitted after trimming and upper-casing. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code === '') return { reason: 'isDefined' };
  const chars = [...code];
  if (chars.length !== 18) return { reason: 'creditCodeLength', args: [chars.length] };
  const bad = chars.filter((c) => !ALLOWED.test(c));
  if (bad.length) return { reason: 'creditCodeCharacters', args: [[...new Set(bad)].join('、')] };
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : { reason: 'creditCodeCheckDigit' };
}

/** What a person types: surrounding blanks and lower case are not errors of the code. */
export function normalizeCreditCode(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim().toUpperCase() : '';
}
