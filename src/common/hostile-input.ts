import type { NextFunction, Request, Response } from 'express';
import { AppError, FieldIssue } from './app-error';

/**
 * How deeply a request body may nest objects and arrays. Real payloads stay far below it (an inspection draft is
 * about 5 levels); thousands of levels would overflow the recursive code downstream (class-transformer,
 * class-validator, canonical JSON for the audit chain) and answer 500.
 */
export const MAX_BODY_DEPTH = 32;

/** NUL (PostgreSQL text and jsonb refuse it) or a UTF-16 surrogate without its pair (not valid Unicode; jsonb refuses it). */
const UNSTORABLE = /\u0000|\p{Cs}/u;

export function hasUnstorableCharacters(s: string): boolean {
  return UNSTORABLE.test(s);
}

/**
 * The first problem in a parsed value: too deep, or a string (value or key) that cannot be stored.
 * Iterative, so a hostile depth cannot overflow the stack here either. Field paths read like the validation
 * pipe's (`responses.3.note`); for a value nested too deeply, the top-level field is named.
 */
export function findHostileValue(value: unknown, root = '', maxDepth = MAX_BODY_DEPTH): FieldIssue | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: root, depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (hasUnstorableCharacters(v)) return { field: printable(path) || 'body', reason: 'invalidCharacters' };
      continue;
    }
    if (typeof v !== 'object' || v === null || Buffer.isBuffer(v)) continue;
    if (depth >= maxDepth) return { field: printable(path.split('.')[0]) || 'body', reason: 'nestedTooDeep', args: [maxDepth] };
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const childPath = path ? `${path}.${k}` : k;
      if (hasUnstorableCharacters(k)) return { field: printable(childPath), reason: 'invalidCharacters' };
      stack.push({ v: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

/** A field path as it can be echoed back: the offending characters become U+FFFD. */
const printable = (path: string): string => path.replace(/\u0000|\p{Cs}/gu, '\uFFFD');

/** Express middleware, right after the body parsers: a hostile body answers 400 before any route code sees it. */
export function refuseHostileBody(req: Request, _res: Response, next: NextFunction): void {
  const issue = req.body === undefined ? null : findHostileValue(req.body);
  next(issue ? AppError.validation([issue]) : undefined);
}
