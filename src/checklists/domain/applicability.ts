/**
 * 适用条件 — the applicability language of the rule files.
 *
 * A rule is either a string expression or a YAML map composing rules:
 *   "storeys >= 3"   "gasSupply in [piped, lpg]"   "hasFireControlRoom"   "not hasAutoFireAlarm"
 *   "storeys >= 3 and totalAreaM2 > 3000"          { all: [...] }  { any: [...] }  { not: rule }
 * Rules are compiled once, at load time, into a plain-data tree (JSON-serialisable) and
 * evaluated by walking that tree: no eval, no Function.
 */
import {
  describeField,
  deriveFacts,
  FactValue,
  Facts,
  FieldDescriptor,
  InstitutionProfile,
  knownFieldNames,
} from './institution-profile';

export type ComparisonOperator = '==' | '!=' | '>' | '>=' | '<' | '<=';
export type Literal = string | number | boolean | null;

export type Rule =
  | { type: 'all'; rules: Rule[] }
  | { type: 'any'; rules: Rule[] }
  | { type: 'not'; rule: Rule }
  | { type: 'flag'; field: string }
  | { type: 'compare'; field: string; op: ComparisonOperator; value: Literal }
  | { type: 'in'; field: string; values: Array<string | number> };

export type RulePath = Array<string | number>;

/** A rule that cannot be compiled; `path` points inside the YAML rule value. */
export class RuleSyntaxError extends Error {
  constructor(
    message: string,
    readonly path: RulePath = [],
  ) {
    super(message);
    this.name = 'RuleSyntaxError';
  }
}

// ---------------------------------------------------------------- tokenizer

type Token =
  | { t: 'ident'; v: string; col: number }
  | { t: 'number'; v: number; col: number }
  | { t: 'string'; v: string; col: number }
  | { t: 'op'; v: ComparisonOperator; col: number }
  | { t: 'punct'; v: '[' | ']' | ',' | '(' | ')'; col: number }
  | { t: 'end'; col: number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      tokens.push({ t: 'ident', v: m[0], col });
      i += m[0].length;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ t: 'number', v: Number(m[0]), col });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new RuleSyntaxError(`unterminated string starting at column ${col}`);
      tokens.push({ t: 'string', v: src.slice(i + 1, end), col });
      i = end + 1;
    } else if ('[],()'.includes(c)) {
      tokens.push({ t: 'punct', v: c as '[' | ']' | ',' | '(' | ')', col });
      i++;
    } else {
      const two = src.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '>=' || two === '<=') {
        tokens.push({ t: 'op', v: two, col });
        i += 2;
      } else if (c === '>' || c === '<') {
        tokens.push({ t: 'op', v: c, col });
        i++;
      } else if (c === '=') {
        throw new RuleSyntaxError(`"=" at column ${col} is not an operator; use "=="`);
      } else {
        throw new RuleSyntaxError(`unexpected character "${c}" at column ${col}`);
      }
    }
  }
  tokens.push({ t: 'end', col: src.length + 1 });
  return tokens;
}

// ---------------------------------------------------------------- parser

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);

function describeToken(tok: Token): string {
  return tok.t === 'end' ? 'end of rule' : `"${String(tok.v)}" at column ${tok.col}`;
}

class ExpressionParser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(src: string) {
    this.tokens = tokenize(src);
  }

  parse(): Rule {
    if (this.peek().t === 'end') throw new RuleSyntaxError('empty rule');
    const rule = this.parseOr();
    const rest = this.peek();
    if (rest.t !== 'end') throw new RuleSyntaxError(`unexpected ${describeToken(rest)}`);
    return rule;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isKeyword(word: string): boolean {
    const tok = this.peek();
    return tok.t === 'ident' && tok.v === word;
  }

  private parseOr(): Rule {
    return this.parseJoined('or', 'any', () => this.parseAnd());
  }

  private parseAnd(): Rule {
    return this.parseJoined('and', 'all', () => this.parseUnary());
  }

  /** `operand (keyword operand)*`: one operand as it is, several joined into an `any` / `all` rule. */
  private parseJoined(keyword: 'or' | 'and', type: 'any' | 'all', operand: () => Rule): Rule {
    const rules = [operand()];
    while (this.isKeyword(keyword)) {
      this.next();
      rules.push(operand());
    }
    return rules.length === 1 ? rules[0] : { type, rules };
  }

  private parseUnary(): Rule {
    if (this.isKeyword('not')) {
      this.next();
      return { type: 'not', rule: this.parseUnary() };
    }
    const tok = this.peek();
    if (tok.t === 'punct' && tok.v === '(') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (!(close.t === 'punct' && close.v === ')')) {
        throw new RuleSyntaxError(`expected ")" but found ${describeToken(close)}`);
      }
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): Rule {
    const fieldTok = this.next();
    if (fieldTok.t !== 'ident' || KEYWORDS.has(fieldTok.v)) {
      throw new RuleSyntaxError(`expected a profile field but found ${describeToken(fieldTok)}`);
    }
    const field = checkedField(fieldTok.v);
    const opTok = this.peek();
    if (opTok.t === 'op') {
      this.next();
      const value = this.parseLiteral(opTok.v);
      return checkComparison(field, opTok.v, value);
    }
    if (opTok.t === 'ident' && opTok.v === 'in') {
      this.next();
      return checkIn(field, this.parseList());
    }
    if (field.spec.type !== 'boolean') {
      throw new RuleSyntaxError(
        `field "${field.name}" is ${fieldTypeName(field)}, not a yes/no field; compare it (e.g. "${field.name} ${exampleComparison(field)}")`,
      );
    }
    return { type: 'flag', field: field.name };
  }

  private parseLiteral(after: string): Literal {
    const tok = this.next();
    switch (tok.t) {
      case 'number':
      case 'string':
        return tok.v;
      case 'ident':
        if (tok.v === 'true') return true;
        if (tok.v === 'false') return false;
        if (tok.v === 'null') return null;
        if (KEYWORDS.has(tok.v)) break;
        return tok.v;
      default:
        break;
    }
    throw new RuleSyntaxError(`expected a value after "${after}" but found ${describeToken(tok)}`);
  }

  private parseList(): Array<string | number> {
    const open = this.next();
    if (!(open.t === 'punct' && open.v === '[')) {
      throw new RuleSyntaxError(`expected "[" after "in" but found ${describeToken(open)}`);
    }
    const values: Array<string | number> = [];
    for (;;) {
      const v = this.parseLiteral(values.length === 0 ? '[' : ',');
      if (typeof v === 'boolean' || v === null) {
        throw new RuleSyntaxError(`"in" lists hold names or numbers, not ${String(v)}`);
      }
      values.push(v);
      const sep = this.next();
      if (sep.t === 'punct' && sep.v === ']') return values;
      if (!(sep.t === 'punct' && sep.v === ',')) {
        throw new RuleSyntaxError(`expected "," or "]" but found ${describeToken(sep)}`);
      }
    }
  }
}

// ---------------------------------------------------------------- type checks

function fieldTypeName(f: FieldDescriptor): string {
  if (f.spec.type === 'enum') return `one of [${f.spec.values.join(', ')}]`;
  if (f.spec.type === 'number') return f.spec.nullable ? 'a number or null' : 'a number';
  return 'yes/no';
}

function exampleComparison(f: FieldDescriptor): string {
  return f.spec.type === 'enum' ? `== ${f.spec.values[0]}` : '>= 3';
}

function checkedField(name: string): FieldDescriptor {
  const field = describeField(name);
  if (!field) {
    throw new RuleSyntaxError(`unknown profile field "${name}" (known: ${knownFieldNames().join(', ')})`);
  }
  return field;
}

function checkComparison(field: FieldDescriptor, op: ComparisonOperator, value: Literal): Rule {
  const ordering = op !== '==' && op !== '!=';
  const spec = field.spec;
  const bad = (why: string): never => {
    throw new RuleSyntaxError(why);
  };
  if (spec.type === 'boolean') {
    if (ordering) bad(`"${op}" cannot be used on yes/no field "${field.name}"`);
    if (value === null) {
      if (!spec.nullable) bad(`field "${field.name}" is never null`);
    } else if (typeof value !== 'boolean') bad('compare a yes/no field with true or false');
  } else if (spec.type === 'number') {
    if (value === null) {
      if (ordering) bad(`"${op}" cannot be used with null`);
      if (!spec.nullable) bad(`field "${field.name}" is never null`);
    } else if (typeof value !== 'number') {
      bad(`field "${field.name}" is a number, compare it with a number`);
    }
  } else {
    if (ordering) bad(`"${op}" cannot be used on ${fieldTypeName(field)}`);
    if (value === null) {
      if (!spec.nullable) bad(`field "${field.name}" is never null`);
    } else if (typeof value !== 'string' || !spec.values.includes(value)) {
      bad(`${formatLiteral(value)} is not a value of "${field.name}" (allowed: ${spec.values.join(', ')})`);
    }
  }
  return { type: 'compare', field: field.name, op, value };
}

function checkIn(field: FieldDescriptor, values: Array<string | number>): Rule {
  const spec = field.spec;
  for (const v of values) {
    const ok =
      (spec.type === 'enum' && typeof v === 'string' && spec.values.includes(v)) ||
      (spec.type === 'number' && typeof v === 'number');
    if (!ok) {
      throw new RuleSyntaxError(`${formatLiteral(v)} is not a value of "${field.name}" (field is ${fieldTypeName(field)})`);
    }
  }
  return { type: 'in', field: field.name, values };
}

// ---------------------------------------------------------------- compile

/**
 * Compiles a rule as written in YAML (string, or map with all/any/not) into a Rule.
 * Throws RuleSyntaxError whose `path` locates the faulty part inside the YAML value.
 */
export function compileRule(raw: unknown, path: RulePath = []): Rule {
  if (typeof raw === 'string') {
    try {
      return new ExpressionParser(raw).parse();
    } catch (e) {
      if (e instanceof RuleSyntaxError) throw new RuleSyntaxError(`malformed rule "${raw}": ${e.message}`, path);
      throw e;
    }
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    if (keys.length !== 1 || !['all', 'any', 'not'].includes(keys[0])) {
      throw new RuleSyntaxError(
        `malformed rule: a rule map has exactly one key, all, any or not (found: ${keys.join(', ') || 'none'})`,
        path,
      );
    }
    const key = keys[0] as 'all' | 'any' | 'not';
    const value = (raw as Record<string, unknown>)[key];
    if (key === 'not') return { type: 'not', rule: compileRule(value, [...path, 'not']) };
    if (!Array.isArray(value) || value.length === 0) {
      throw new RuleSyntaxError(`malformed rule: "${key}" takes a non-empty list of rules`, [...path, key]);
    }
    return { type: key, rules: value.map((r, i) => compileRule(r, [...path, key, i])) };
  }
  throw new RuleSyntaxError(
    `malformed rule: expected a string like "storeys >= 3" or a map with all/any/not, found ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`,
    path,
  );
}

// ---------------------------------------------------------------- evaluation

/**
 * Three-valued: a condition on a fact that is not recorded (a nullable field whose descriptor has `unknownAs`,
 * e.g. the facility's floors) is `unknown`, and so is any combination it decides. An unknown rule applies the
 * item (the stricter reading) and the explanation says what is 待核实. `== null` / `!= null` test the record
 * itself and are never unknown.
 */
type Truth = true | false | 'unknown';

function compare(actual: FactValue | undefined, op: ComparisonOperator, expected: Literal): boolean {
  const a = actual === undefined ? null : actual;
  switch (op) {
    case '==':
      return a === expected;
    case '!=':
      return a !== expected;
    default:
      if (typeof a !== 'number' || typeof expected !== 'number') return false;
      if (op === '>') return a > expected;
      if (op === '>=') return a >= expected;
      if (op === '<') return a < expected;
      return a <= expected;
  }
}

function fact(facts: Facts, field: string): FactValue {
  const v = (facts as unknown as Record<string, FactValue | undefined>)[field];
  return v === undefined ? null : v;
}

/** The fact is not recorded and its null means "unknown" (not "none"). */
function unknownFact(facts: Facts, field: string): boolean {
  return fact(facts, field) === null && describeField(field)?.unknownAs !== undefined;
}

function truth(rule: Rule, facts: Facts): Truth {
  switch (rule.type) {
    case 'all': {
      const parts = rule.rules.map((r) => truth(r, facts));
      return parts.includes(false) ? false : parts.includes('unknown') ? 'unknown' : true;
    }
    case 'any': {
      const parts = rule.rules.map((r) => truth(r, facts));
      return parts.includes(true) ? true : parts.includes('unknown') ? 'unknown' : false;
    }
    case 'not': {
      const inner = truth(rule.rule, facts);
      return inner === 'unknown' ? 'unknown' : !inner;
    }
    case 'flag':
      if (unknownFact(facts, rule.field)) return 'unknown';
      return fact(facts, rule.field) === true;
    case 'compare':
      if (rule.value !== null && unknownFact(facts, rule.field)) return 'unknown';
      return compare(fact(facts, rule.field), rule.op, rule.value);
    case 'in':
      if (unknownFact(facts, rule.field)) return 'unknown';
      return rule.values.includes(fact(facts, rule.field) as string | number);
  }
}

function evaluateFacts(rule: Rule, facts: Facts): boolean {
  return truth(rule, facts) !== false;
}

function toFacts(profile: InstitutionProfile | Facts): Facts {
  return 'hasKitchen' in profile ? (profile as Facts) : deriveFacts(profile);
}

/**
 * True when the rule holds for the institution, or cannot be decided because a fact it needs is not recorded
 * (the stricter reading); an absent rule always holds.
 */
export function evaluate(rule: Rule | undefined, profile: InstitutionProfile | Facts): boolean {
  return rule === undefined ? true : evaluateFacts(rule, toFacts(profile));
}

/**
 * When the rule applies only because facts it needs are not recorded: why, e.g.
 * `适用（从严）：facilityFloor3OrAbove（楼层待核实）`. Null when the rule is decided by recorded facts.
 */
export function explainUnverified(rule: Rule | undefined, profile: InstitutionProfile | Facts): string | null {
  if (rule === undefined) return null;
  const facts = toFacts(profile);
  if (truth(rule, facts) !== 'unknown') return null;
  const fields = fieldsOf(rule).filter((f) => unknownFact(facts, f));
  const labels = [...new Set(fields.map((f) => describeField(f)!.unknownAs!))];
  return `适用（从严）：${labels.join('、')}未填写，待核实`;
}

// ---------------------------------------------------------------- formatting & explanation

function formatLiteral(v: Literal): string {
  if (typeof v === 'string') return /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) && !KEYWORDS.has(v) ? v : JSON.stringify(v);
  return String(v);
}

/** The rule as readable text, in the same syntax the YAML accepts. */
export function formatRule(rule: Rule, nested = false): string {
  const wrap = (s: string) => (nested ? `(${s})` : s);
  switch (rule.type) {
    case 'all':
      return wrap(rule.rules.map((r) => formatRule(r, true)).join(' and '));
    case 'any':
      return wrap(rule.rules.map((r) => formatRule(r, true)).join(' or '));
    case 'not':
      return `not ${formatRule(rule.rule, true)}`;
    case 'flag':
      return rule.field;
    case 'compare':
      return `${rule.field} ${rule.op} ${formatLiteral(rule.value)}`;
    case 'in':
      return `${rule.field} in [${rule.values.map(formatLiteral).join(', ')}]`;
  }
}

function formatActual(v: FactValue): string {
  if (v === null) return '未填写';
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

function fieldsOf(rule: Rule, into: string[] = []): string[] {
  switch (rule.type) {
    case 'all':
    case 'any':
      rule.rules.forEach((r) => fieldsOf(r, into));
      break;
    case 'not':
      fieldsOf(rule.rule, into);
      break;
    default:
      if (!into.includes(rule.field)) into.push(rule.field);
  }
  return into;
}

function actualsOf(rule: Rule, facts: Facts): string {
  const fields = fieldsOf(rule);
  if (fields.length === 1) return `实际 ${formatActual(fact(facts, fields[0]))}`;
  return `实际 ${fields.map((f) => `${f} = ${formatActual(fact(facts, f))}`).join(', ')}`;
}

function explainFalse(rule: Rule, facts: Facts): string {
  switch (rule.type) {
    case 'all':
      return rule.rules
        .filter((r) => truth(r, facts) === false)
        .map((r) => explainFalse(r, facts))
        .join('; ');
    case 'any':
      return `none of (均不满足): ${rule.rules
        .map((r) => (r.type === 'all' || r.type === 'any' ? `${formatRule(r, true)} (${actualsOf(r, facts)})` : explainFalse(r, facts)))
        .join(' | ')}`;
    default:
      return `${formatRule(rule)} (${actualsOf(rule, facts)})`;
  }
}

/**
 * Why the rule does not hold for this institution, as text an inspector can read,
 * e.g. `storeys >= 3 (实际 2)`. Returns null when the rule holds (nothing to explain).
 */
export function explainExclusion(rule: Rule | undefined, profile: InstitutionProfile | Facts): string | null {
  if (rule === undefined) return null;
  const facts = toFacts(profile);
  return truth(rule, facts) === false ? explainFalse(rule, facts) : null;
}

// ---------------------------------------------------------------- checklist filtering

export interface ApplicableItem {
  code: string;
  /** false = shipped but switched off (e.g. a local rule not adopted); never applicable */
  enabled?: boolean;
  appliesWhen?: Rule;
}

export interface Applicability<T> {
  applicable: T[];
  excluded: Array<{ item: T; reason: string }>;
  /** applicable items (also in `applicable`) that apply only because a fact is not recorded: the 待核实 reason */
  unverified: Array<{ item: T; reason: string }>;
}

/** Splits a checklist's items into those that apply to the institution and those excluded, with the reason. */
export function applicableItems<T extends ApplicableItem>(
  checklist: { items: readonly T[] },
  profile: InstitutionProfile,
): Applicability<T> {
  const facts = deriveFacts(profile);
  const result: Applicability<T> = { applicable: [], excluded: [], unverified: [] };
  for (const item of checklist.items) {
    if (item.enabled === false) {
      result.excluded.push({ item, reason: 'disabled in this checklist version (本版本未启用)' });
      continue;
    }
    const reason = explainExclusion(item.appliesWhen, facts);
    if (reason !== null) {
      result.excluded.push({ item, reason });
      continue;
    }
    result.applicable.push(item);
    const unverified = explainUnverified(item.appliesWhen, facts);
    if (unverified !== null) result.unverified.push({ item, reason: unverified });
  }
  return result;
}
