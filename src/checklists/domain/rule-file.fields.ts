/**
 * The building blocks of the rule-file schemas (zod 4), each with the message a bureau editor reads.
 * Every field check aborts (`abort: true`), so cross-field rules (`superRefine`) run only once every field
 * is valid on its own and never compare a value that was already reported.
 */
import { z } from 'zod';
import { compileRule, Rule, RuleSyntaxError } from './applicability';
import { isKnownSourceTag } from './source-tags';

/** How a value reads in a message: `nothing`, `null`, `a list`, `a map` or its JSON. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

/**
 * The messages of the generic issues (wrong type, missing field, empty list), passed to `safeParse` as its
 * error map. Schemas with a more specific message set their own `error`, which zod consults first.
 */
export function ruleFileMessage(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'invalid_type') {
    if (iss.input === undefined) return 'missing required field';
    const found = describe(iss.input);
    switch (iss.expected) {
      case 'object':
        return `expected a map, found ${found}`;
      case 'array':
        return `expected a list, found ${found}`;
      case 'string':
        return `expected a non-empty string, found ${found}`;
      case 'boolean':
        return `must be true or false, found ${found}`;
      default:
        return `expected ${iss.expected}, found ${found}`;
    }
  }
  if (iss.code === 'too_small' && iss.origin === 'array') return 'must not be empty';
  return undefined;
}

/** The keys a strict map accepts, for the `unknown field` message (see rule-file.issues.ts). */
export const ALLOWED_PREFIX = 'allowed: ';

/**
 * A strict map (`z.strictObject`). An unknown key is reported at the key as `unknown field "k" (allowed: …)`;
 * `hidden` keys are accepted by the shape but not advertised (the `kind` of a legal citation, which is omitted).
 */
export function map<S extends z.core.$ZodLooseShape>(shape: S, hidden: readonly string[] = []) {
  const allowed = Object.keys(shape).filter((k) => !hidden.includes(k));
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `${ALLOWED_PREFIX}${allowed.join(', ')}` : undefined),
  });
}

/** A non-empty string, optionally matching a pattern (`"x" is not a valid <hint>`). */
export function text(pattern?: RegExp, hint = 'value') {
  const s = z.string().refine((v) => v.trim() !== '', { error: (iss) => `expected a non-empty string, found ${describe(iss.input)}`, abort: true });
  return pattern ? s.regex(pattern, { error: (iss) => `"${String(iss.input)}" is not a valid ${hint}`, abort: true }) : s;
}

/** A non-empty list. */
export function list<T extends z.ZodType>(element: T) {
  return z.array(element).min(1, { abort: true });
}

/** One of a fixed set of words: `unknown value "critical" (allowed: general, major)`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss) => (iss.input === undefined ? undefined : `unknown value ${JSON.stringify(iss.input)} (allowed: ${values.join(', ')})`),
  });
}

export const flag = z.boolean();

/** An integer ≥ min: `must be an integer ≥ 0 (days…), found -3`. */
export function integer(min: number, meaning = '') {
  const message = (iss: { input?: unknown }) => `must be an integer ≥ ${min}${meaning}, found ${describe(iss.input)}`;
  return z.int({ error: (iss) => (iss.input === undefined ? undefined : message(iss)) }).min(min, { error: message, abort: true });
}

export interface NumberRule {
  min?: number;
  max?: number;
  /** digits after the decimal point, e.g. 2 for yuan */
  maxDecimals?: number;
  meaning?: string;
}

function decimalsOf(n: number): number {
  const s = String(n);
  if (/e/i.test(s)) return Number.isInteger(n) ? 0 : Infinity;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** A finite number within [min, max] with at most maxDecimals decimals. */
export function number({ min, max, maxDecimals, meaning = '' }: NumberRule = {}) {
  const range = min !== undefined && max !== undefined ? ` within [${min}, ${max}]` : min !== undefined ? ` ≥ ${min}` : max !== undefined ? ` ≤ ${max}` : '';
  const message = (iss: { input?: unknown }) => `must be a number${range}${meaning}, found ${describe(iss.input)}`;
  let n = z.number({ error: (iss) => (iss.input === undefined ? undefined : message(iss)) });
  if (min !== undefined) n = n.min(min, { error: message, abort: true });
  if (max !== undefined) n = n.max(max, { error: message, abort: true });
  if (maxDecimals !== undefined) {
    n = n.refine((v) => decimalsOf(v) <= maxDecimals, {
      error: (iss) => `must have at most ${maxDecimals} decimal${maxDecimals === 1 ? '' : 's'}${meaning}, found ${String(iss.input)}`,
      abort: true,
    });
  }
  return n;
}

export const positiveNumber = z
  .number({ error: (iss) => (iss.input === undefined ? undefined : `must be a positive number, found ${describe(iss.input)}`) })
  .positive({ error: (iss) => `must be a positive number, found ${describe(iss.input)}`, abort: true });

export const bilingual = map({ zh: text(), en: text() });
export const localized = map({ zh: text(), en: text().optional() });

/** A tag of standards.md §10 (S39, S20-weak, R…). */
export const sourceTag = text().refine(isKnownSourceTag, {
  error: (iss) => `unknown source tag "${String(iss.input)}" (use a tag of standards.md §10, e.g. S39, S20-weak, or R)`,
  abort: true,
});
export const sourceTags = list(sourceTag);

const MISSING_BASIS =
  'missing legal basis (依据): give at least one {document, clause?, source?} entry, or {kind: product_default, note} / {kind: local_rule, document} for a proposal';

/**
 * 依据. A legal citation omits `kind` (it becomes `legal` in the content); `product_default` marks a product
 * proposal, `local_rule` a rule adopted from a local (provincial / city) document.
 */
const basisEntry = z.discriminatedUnion(
  'kind',
  [
    map({ kind: z.undefined().optional(), document: text(), clause: text().optional(), source: sourceTag.optional(), note: text().optional() }, ['kind'])
      .transform(({ kind: _omitted, ...citation }) => ({ kind: 'legal' as const, ...citation })),
    map({ kind: z.literal('product_default'), note: text() }),
    map({ kind: z.literal('local_rule'), document: text(), source: sourceTag.optional(), note: text().optional() }),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `unknown value ${JSON.stringify((iss.input as { kind?: unknown }).kind)} (allowed: product_default, local_rule; omit kind for a legal citation)`
        : undefined,
  },
);
export const basis = z
  .array(basisEntry, { error: (iss) => (iss.input === undefined || iss.input === null ? MISSING_BASIS : undefined) })
  .min(1, { error: MISSING_BASIS, abort: true });

/**
 * An applicability rule (`appliesWhen`), compiled when the file is loaded; a syntax error is reported at the
 * faulty sub-rule. Its JSON Schema (for editors) is `APPLICABILITY_RULE_JSON_SCHEMA`.
 */
export const applicabilityRule = z
  .unknown()
  .transform((raw, ctx): Rule => {
    try {
      return compileRule(raw);
    } catch (e) {
      if (!(e instanceof RuleSyntaxError)) throw e;
      ctx.issues.push({ code: 'custom', message: e.message, input: raw, path: e.path });
      return z.NEVER;
    }
  })
  .meta({ id: 'applicabilityRule' });

export const APPLICABILITY_RULE_JSON_SCHEMA = {
  description: '适用条件 / applicability: an expression ("storeys > 2 and hasKitchen") or {all: […]}, {any: […]}, {not: rule}; see docs/checklists.md',
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', properties: { all: { type: 'array', minItems: 1, items: { $ref: '#/$defs/applicabilityRule' } } }, required: ['all'], additionalProperties: false },
    { type: 'object', properties: { any: { type: 'array', minItems: 1, items: { $ref: '#/$defs/applicabilityRule' } } }, required: ['any'], additionalProperties: false },
    { type: 'object', properties: { not: { $ref: '#/$defs/applicabilityRule' } }, required: ['not'], additionalProperties: false },
  ],
} as const;

/** The header every rule file shares (`kind` is added by each schema). */
export const header = {
  code: text(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'file code'),
  title: bilingual,
  description: text().optional(),
  /** informative label only; the version identity is the content hash */
  revision: text().optional(),
  notes: list(text()).optional(),
};
