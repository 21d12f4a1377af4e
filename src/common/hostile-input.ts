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
  // Paths are built only for the value that is refused: a clean body (the usual case) costs no string building.
  const stack: PendingValue[] = [{ v: value, parent: null, key: root, depth: 0 }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.v;
    if (typeof v === 'string') {
      if (hasUnstorableCharacters(v)) return { field: printable(pathOf(node)) || 'body', reason: 'invalidCharacters' };
      continue;
    }
    if (typeof v !== 'object' || v === null || Buffer.isBuffer(v)) continue;
    if (node.depth >= maxDepth) return { field: printable(pathOf(node).split('.')[0]) || 'body', reason: 'nestedTooDeep', args: [maxDepth] };
    const record = v as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      const child: PendingValue = { v: record[k], parent: node, key: k, depth: node.depth + 1 };
      if (hasUnstorableCharacters(k)) return { field: printable(pathOf(child)), reason: 'invalidCharacters' };
      stack.push(child);
    }
  }
  return null;
}

interface PendingValue { v: unknown; parent: PendingValue | null; key: string; depth: number }

/** `responses.3.note`: the root's name (when it has one), then each key down to the node. */
function pathOf(node: PendingValue): string {
  const nodes: PendingValue[] = [];
  for (let n: PendingValue | null = node; n; n = n.parent) nodes.push(n);
  let path = '';
  for (let i = nodes.length - 1; i >= 0; i--) path = path ? `${path}.${nodes[i].key}` : nodes[i].key;
  return path;
}

/** A field path as it can be echoed back: the offending characters become U+FFFD. */
const printable = (path: string): string => path.replace(/\u0000|\p{Cs}/gu, '\uFFFD');

/** Express middleware, right after the body parsers: a hostile body answers 400 before any route code sees it. */
export function refuseHostileBody(req: Request, _res: Response, next: NextFunction): void {
  const issue = req.body === undefined ? null : findHostileValue(req.body);
  if (!issue && typeof req.body === 'object' && req.body !== null) checkedBodies.add(req.body);
  next(issue ? AppError.validation([issue]) : undefined);
}

/** Bodies `refuseHostileBody` found clean (the validation pipe does not scan them again; a body parsed later is not here). */
const checkedBodies = new WeakSet<object>();

/** Whether `value` is a whole request body `refuseHostileBody` already found clean. */
export function isCheckedBody(value: unknown): boolean {
  return typeof value === 'object' && value !== null && checkedBodies.has(value);
}
