/**
 * Validation of the two coefficient file kinds: `scoring_rules` (institution safety score) and
 * `subsidy_policy` (operating subsidy of one division and year). Same style as rule-file.schema.ts:
 * strict maps, every message located by file, line and field. Every coefficient block must carry a
 * label — `source: <tag>` (standards.md §10) or `product_default: <why>` — so each number can be
 * traced years later. See docs/scoring.md.
 */
import type { RuleFileChecker } from './rule-file.schema';
import {
  BilingualText,
  CARE_LEVEL_KEYS,
  CareLevelKey,
  SafetyBand,
  ScoringRules,
  SUBSIDY_GRADE_KEYS,
  SubsidyGradeKey,
  SubsidyPolicy,
  ValueLabel,
} from './rule-file.types';
import { ValuePath } from './yaml-positions';

type Raw = Record<string, unknown>;
interface Entry {
  label: string;
  root: ValuePath;
}

const HEADER_OPTIONAL = ['description', 'revision', 'notes'] as const;
const LABEL_FIELDS = ['source', 'note', 'product_default'] as const;

interface NumberRule {
  min?: number;
  max?: number;
  /** digits after the decimal point, e.g. 2 for yuan */
  maxDecimals?: number;
  meaning?: string;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

function decimalsOf(n: number): number {
  const s = String(n);
  if (/e/i.test(s)) return Number.isInteger(n) ? 0 : Infinity;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** A finite number within [min, max] with at most maxDecimals decimals. */
function num(c: RuleFileChecker, value: unknown, path: ValuePath, entry: Entry | undefined, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined; // reported as missing by map()
  const { min, max, maxDecimals, meaning = '' } = rule;
  const range = min !== undefined && max !== undefined ? `within [${min}, ${max}]` : min !== undefined ? `≥ ${min}` : max !== undefined ? `≤ ${max}` : '';
  if (typeof value !== 'number' || !Number.isFinite(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
    c.report(path, entry, `must be a number${range ? ` ${range}` : ''}${meaning}, found ${describe(value)}`);
    return undefined;
  }
  if (maxDecimals !== undefined && decimalsOf(value) > maxDecimals) {
    c.report(path, entry, `must have at most ${maxDecimals} decimal${maxDecimals === 1 ? '' : 's'}${meaning}, found ${value}`);
    return undefined;
  }
  return value;
}

/**
 * A labelled coefficient block: a map with the given fields plus the label (`source` [+ `note`] or
 * `product_default`). Returns the raw map and the label.
 */
function block(
  c: RuleFileChecker,
  raw: Raw,
  key: string,
  fields: readonly string[],
): { m: Raw; label: ValueLabel | undefined } | undefined {
  const path = [key];
  const m = c.map(raw[key], path, undefined, { required: fields, optional: LABEL_FIELDS });
  if (!m) return undefined;
  return { m, label: valueLabel(c, m, path, undefined) };
}

export function valueLabel(c: RuleFileChecker, m: Raw, path: ValuePath, entry: Entry | undefined): ValueLabel | undefined {
  const hasSource = m.source !== undefined;
  const hasDefault = m.product_default !== undefined;
  if (hasSource && hasDefault) {
    c.report([...path, 'product_default'], entry, 'give either source or product_default, not both');
    return undefined;
  }
  if (!hasSource && !hasDefault) {
    c.report(
      path,
      entry,
      'missing label: every coefficient block needs `source: <tag of standards.md §10>` (with an optional note) or `product_default: <why this value>`',
    );
    return undefined;
  }
  if (hasDefault) {
    if (m.note !== undefined) c.report([...path, 'note'], entry, 'note goes with source; for a product default put the explanation in product_default');
    const note = c.string(m.product_default, [...path, 'product_default'], entry);
    return note === undefined ? undefined : { kind: 'product_default', note };
  }
  const source = c.sourceTag(m.source, [...path, 'source'], entry);
  const note = c.optionalString(m.note, [...path, 'note'], entry);
  if (source === undefined) return undefined;
  return note === undefined ? { kind: 'source', source } : { kind: 'source', source, note };
}

// ------------------------------------------------------------------ scoring_rules

export function validateScoringRules(data: Raw, c: RuleFileChecker): ScoringRules | undefined {
  const raw = c.map(data, [], undefined, {
    required: ['kind', 'code', 'title', 'base', 'deduction', 'scopeMultiplier', 'recency', 'closureFactor', 'overdue', 'returned', 'repeat', 'majorOpenCap'],
    optional: HEADER_OPTIONAL,
  })!;
  const header = c.header(raw);
  const nonNeg = { min: 0 };
  const unit = { min: 0, max: 1 };

  const b = block(c, raw, 'base', ['points']);
  const basePoints = b && num(c, b.m.points, ['base', 'points'], undefined, { min: 1, max: 100, meaning: ' (the score runs 0–100)' });

  const d = block(c, raw, 'deduction', ['general', 'major']);
  const general = d && num(c, d.m.general, ['deduction', 'general'], undefined, nonNeg);
  const major = d && num(c, d.m.major, ['deduction', 'major'], undefined, nonNeg);
  if (general !== undefined && major !== undefined && major < general) {
    c.report(['deduction', 'major'], undefined, `not monotonic: a major hazard (${major}) must cost at least as much as a general one (${general})`);
  }

  const s = block(c, raw, 'scopeMultiplier', ['single', 'multiple', 'widespread']);
  const single = s && num(c, s.m.single, ['scopeMultiplier', 'single'], undefined, nonNeg);
  const multiple = s && num(c, s.m.multiple, ['scopeMultiplier', 'multiple'], undefined, nonNeg);
  const widespread = s && num(c, s.m.widespread, ['scopeMultiplier', 'widespread'], undefined, nonNeg);
  if (single !== undefined && multiple !== undefined && multiple < single) {
    c.report(['scopeMultiplier', 'multiple'], undefined, `not monotonic: multiple (${multiple}) is below single (${single})`);
  }
  if (multiple !== undefined && widespread !== undefined && widespread < multiple) {
    c.report(['scopeMultiplier', 'widespread'], undefined, `not monotonic: widespread (${widespread}) is below multiple (${multiple})`);
  }

  const r = block(c, raw, 'recency', ['weights']);
  const weights: number[] = [];
  (r ? c.list(r.m.weights, ['recency', 'weights'], undefined) ?? [] : []).forEach((w, i) => {
    const v = num(c, w, ['recency', 'weights', i], undefined, { ...unit, meaning: ' (a weight)' });
    if (v === undefined) return;
    const prev = weights[weights.length - 1];
    if (prev !== undefined && v > prev) {
      c.report(['recency', 'weights', i], undefined, `not monotonic: weight ${v} of an older inspection exceeds the more recent ${prev}`);
    }
    weights.push(v);
  });

  const cf = block(c, raw, 'closureFactor', ['verified', 'objectionUpheld']);
  const verified = cf && num(c, cf.m.verified, ['closureFactor', 'verified'], undefined, { ...unit, meaning: ' (a factor)' });
  const objectionUpheld = cf && num(c, cf.m.objectionUpheld, ['closureFactor', 'objectionUpheld'], undefined, { ...unit, meaning: ' (a factor)' });

  const o = block(c, raw, 'overdue', ['pointsPerHazard']);
  const overduePoints = o && num(c, o.m.pointsPerHazard, ['overdue', 'pointsPerHazard'], undefined, nonNeg);
  const rt = block(c, raw, 'returned', ['pointsPerReturn']);
  const returnedPoints = rt && num(c, rt.m.pointsPerReturn, ['returned', 'pointsPerReturn'], undefined, nonNeg);
  const rp = block(c, raw, 'repeat', ['windowMonths', 'pointsPerHazard']);
  const windowMonths = rp && c.integer(rp.m.windowMonths, ['repeat', 'windowMonths'], undefined, 1, ' (months)');
  const repeatPoints = rp && num(c, rp.m.pointsPerHazard, ['repeat', 'pointsPerHazard'], undefined, nonNeg);

  const cap = block(c, raw, 'majorOpenCap', ['maxScore']);
  const maxScore = cap && num(c, cap.m.maxScore, ['majorOpenCap', 'maxScore'], undefined, { min: 0, max: basePoints ?? 100, meaning: ' (at most base.points)' });

  if (
    c.issues.length ||
    !b?.label || basePoints === undefined ||
    !d?.label || general === undefined || major === undefined ||
    !s?.label || single === undefined || multiple === undefined || widespread === undefined ||
    !r?.label || !weights.length ||
    !cf?.label || verified === undefined || objectionUpheld === undefined ||
    !o?.label || overduePoints === undefined ||
    !rt?.label || returnedPoints === undefined ||
    !rp?.label || windowMonths === undefined || repeatPoints === undefined ||
    !cap?.label || maxScore === undefined
  ) {
    return undefined;
  }
  return {
    kind: 'scoring_rules',
    ...(header as { code: string; title: BilingualText }),
    base: { points: basePoints, label: b.label },
    deduction: { general, major, label: d.label },
    scopeMultiplier: { single, multiple, widespread, label: s.label },
    recency: { weights, label: r.label },
    closureFactor: { verified, objectionUpheld, label: cf.label },
    overdue: { pointsPerHazard: overduePoints, label: o.label },
    returned: { pointsPerReturn: returnedPoints, label: rt.label },
    repeat: { windowMonths, pointsPerHazard: repeatPoints, label: rp.label },
    majorOpenCap: { maxScore, label: cap.label },
  };
}

// ------------------------------------------------------------------ subsidy_policy

export function validateSubsidyPolicy(data: Raw, c: RuleFileChecker): SubsidyPolicy | undefined {
  const raw = c.map(data, [], undefined, {
    required: ['kind', 'code', 'title', 'divisionCode', 'year', 'baseAmount', 'careLevelUplift', 'gradeCoefficient', 'safetyCoefficient', 'suspension', 'proRata'],
    optional: HEADER_OPTIONAL,
  })!;
  const header = c.header(raw);
  const nonNeg = { min: 0 };
  const divisionCode = c.string(raw.divisionCode, ['divisionCode'], undefined, /^\d{6}$/, "division code (6 digits, quoted: '320400')");
  const year = c.integer(raw.year, ['year'], undefined, 2000);

  const ba = block(c, raw, 'baseAmount', ['yuanPerOccupiedBedPerMonth']);
  const base = ba && num(c, ba.m.yuanPerOccupiedBedPerMonth, ['baseAmount', 'yuanPerOccupiedBedPerMonth'], undefined, { min: 0, maxDecimals: 2, meaning: ' (yuan, fen-exact)' });

  const cu = block(c, raw, 'careLevelUplift', ['percentOfBase']);
  let percentOfBase: Record<CareLevelKey, number> | undefined;
  if (cu) {
    const m = c.map(cu.m.percentOfBase, ['careLevelUplift', 'percentOfBase'], undefined, { required: CARE_LEVEL_KEYS });
    if (m) {
      const values = CARE_LEVEL_KEYS.map((k) => num(c, m[k], ['careLevelUplift', 'percentOfBase', k], undefined, { ...nonNeg, meaning: ' (percent of the base)' }));
      if (values.every((v): v is number => v !== undefined)) {
        percentOfBase = Object.fromEntries(CARE_LEVEL_KEYS.map((k, i) => [k, values[i]])) as Record<CareLevelKey, number>;
      }
    }
  }

  const gc = block(c, raw, 'gradeCoefficient', SUBSIDY_GRADE_KEYS);
  let gradeCoefficient: SubsidyPolicy['gradeCoefficient'] | undefined;
  if (gc) {
    const values = SUBSIDY_GRADE_KEYS.map((k) => num(c, gc.m[k], ['gradeCoefficient', k], undefined, { ...nonNeg, meaning: ' (a coefficient)' }));
    for (let i = 2; i < SUBSIDY_GRADE_KEYS.length; i++) {
      const prev = values[i - 1];
      const cur = values[i];
      if (prev !== undefined && cur !== undefined && cur < prev) {
        c.report(['gradeCoefficient', SUBSIDY_GRADE_KEYS[i]], undefined, `not monotonic: ${SUBSIDY_GRADE_KEYS[i]} (${cur}) is below ${SUBSIDY_GRADE_KEYS[i - 1]} (${prev})`);
      }
    }
    if (values.every((v): v is number => v !== undefined) && gc.label) {
      gradeCoefficient = {
        ...(Object.fromEntries(SUBSIDY_GRADE_KEYS.map((k, i) => [k, values[i]])) as Record<SubsidyGradeKey, number>),
        label: gc.label,
      };
    }
  }

  const sc = block(c, raw, 'safetyCoefficient', ['unscored', 'bands']);
  const unscored = sc && num(c, sc.m.unscored, ['safetyCoefficient', 'unscored'], undefined, { ...nonNeg, meaning: ' (a coefficient)' });
  const bands: SafetyBand[] = [];
  (sc ? c.list(sc.m.bands, ['safetyCoefficient', 'bands'], undefined) ?? [] : []).forEach((rawBand, i) => {
    const path = ['safetyCoefficient', 'bands', i];
    const entry = { label: `band #${i + 1}`, root: path };
    const m = c.map(rawBand, path, entry, { required: ['minScore', 'coefficient'] });
    if (!m) return;
    const minScore = num(c, m.minScore, [...path, 'minScore'], entry, { min: 0, max: 100, maxDecimals: 1, meaning: ' (a score)' });
    const coefficient = num(c, m.coefficient, [...path, 'coefficient'], entry, { ...nonNeg, meaning: ' (a coefficient)' });
    if (minScore === undefined || coefficient === undefined) return;
    const prev = bands[bands.length - 1];
    if (!prev && minScore !== 0) c.report([...path, 'minScore'], entry, `the first band must start at 0, found ${minScore}`);
    if (prev && minScore <= prev.minScore) c.report([...path, 'minScore'], entry, `bands not monotonic: minScore ${minScore} is not above the previous band's ${prev.minScore}`);
    if (prev && coefficient < prev.coefficient) {
      c.report([...path, 'coefficient'], entry, `bands not monotonic: coefficient ${coefficient} is below the lower band's ${prev.coefficient} (a higher score must not pay less)`);
    }
    bands.push({ minScore, coefficient });
  });

  const su = block(c, raw, 'suspension', ['whileMajorHazardOpen']);
  const whileMajorHazardOpen = su && c.boolean(su.m.whileMajorHazardOpen, ['suspension', 'whileMajorHazardOpen'], undefined);
  const pr = block(c, raw, 'proRata', ['method']);
  const method = pr && c.oneOf(pr.m.method, ['proRata', 'method'], undefined, ['calendar_days'] as const);

  if (
    c.issues.length || !divisionCode || year === undefined ||
    !ba?.label || base === undefined ||
    !cu?.label || !percentOfBase ||
    !gradeCoefficient ||
    !sc?.label || unscored === undefined || !bands.length ||
    !su?.label || whileMajorHazardOpen === undefined ||
    !pr?.label || !method
  ) {
    return undefined;
  }
  return {
    kind: 'subsidy_policy',
    ...(header as { code: string; title: BilingualText }),
    divisionCode,
    year,
    baseAmount: { yuanPerOccupiedBedPerMonth: base, label: ba.label },
    careLevelUplift: { percentOfBase, label: cu.label },
    gradeCoefficient,
    safetyCoefficient: { unscored, bands, label: sc.label },
    suspension: { whileMajorHazardOpen, label: su.label },
    proRata: { method, label: pr.label },
  };
}
