/**
 * The schemas of the two coefficient file kinds: `scoring_rules` (institution safety score) and `subsidy_policy`
 * (operating subsidy of one division and year). Every coefficient block carries a label — `source: <tag>`
 * (standards.md §10, with an optional `note`) or `product_default: <why>` — so each number can be traced years
 * later; in the content the label becomes `label: ValueLabel`. See docs/scoring.md.
 */
import { z } from 'zod';
import { flag, header, integer, list, map, number, oneOf, sourceTag, text } from './rule-file.fields';
import type { EntrySpec } from './rule-file.issues';
import { CARE_LEVEL_KEYS, SUBSIDY_GRADE_KEYS } from './rule-file.types';
import { INSTITUTION_KINDS } from '../../institutions/institution-kinds';

/** Who owns the institution (institution.ownership). */
export const SUBSIDY_OWNERSHIPS = ['public', 'private', 'public_private'] as const;
/** institution.profit_status, with `unknown` for an institution whose status is not registered (NULL). */
export const SUBSIDY_PROFIT_KEYS = ['for_profit', 'non_profit', 'unknown'] as const;
export type SubsidyProfitKey = (typeof SUBSIDY_PROFIT_KEYS)[number];
/**
 * What a subsidy pays for: the occupied beds and the care-level uplifts, or the occupied beds only (武汉 explores
 * paying for-profit institutions by their occupied beds: seed 004 §十二, standards.md §11).
 */
export const SUBSIDY_BASES = ['beds_and_care_levels', 'beds_only'] as const;

/**
 * Where a coefficient comes from: `{ kind: 'source', source, note? }` or `{ kind: 'product_default', note }`.
 */
export type ValueLabel = { kind: 'source'; source: string; note?: string } | { kind: 'product_default'; note: string };

/** The label fields every labelled block carries (one of `source` [+ `note`] or `product_default`). */
export interface LabelFields {
  source?: string;
  note?: string;
  product_default?: string;
}

/** The label fields of a block's shape. */
export const LABEL_SHAPE = { source: sourceTag.optional(), note: text().optional(), product_default: text().optional() };

/** Reports a block with both labels, neither (naming `what`, e.g. "coefficient block"), or a note on a product default. */
export function checkLabel(b: LabelFields, ctx: z.RefinementCtx, what: string): void {
  if (b.source !== undefined && b.product_default !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['product_default'], message: 'give either source or product_default, not both' });
  } else if (b.source === undefined && b.product_default === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `missing label: every ${what} needs \`source: <tag of standards.md §10>\` (with an optional note) or \`product_default: <why this value>\``,
    });
  } else if (b.product_default !== undefined && b.note !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['note'], message: 'note goes with source; for a product default put the explanation in product_default' });
  }
}

/** The label of a checked block. */
export function labelOf({ source, note, product_default }: LabelFields): ValueLabel {
  return product_default !== undefined ? { kind: 'product_default', note: product_default } : note === undefined ? { kind: 'source', source: source! } : { kind: 'source', source: source!, note };
}

/** A labelled coefficient block: the given fields plus `source` [+ `note`] or `product_default`. */
function labelled<S extends z.core.$ZodLooseShape>(shape: S) {
  type Values = z.output<z.ZodObject<S, z.core.$strict>>;
  return map({ ...shape, ...LABEL_SHAPE })
    .superRefine((block, ctx) => checkLabel(block as LabelFields, ctx, 'coefficient block'))
    .transform((block): Values & { label: ValueLabel } => {
      const { source, note, product_default, ...values } = block as LabelFields & Record<string, unknown>;
      return { ...(values as Values), label: labelOf({ source, note, product_default }) };
    });
}

const nonNegative = number({ min: 0 });
const unit = (meaning: string) => number({ min: 0, max: 1, meaning });
const coefficient = number({ min: 0, meaning: ' (a coefficient)' });

type Ctx = z.RefinementCtx;
const notBelow = (ctx: Ctx, path: Array<string | number>, message: string, value: number, floor: number) => {
  if (value < floor) ctx.addIssue({ code: 'custom', path, message });
};

// ------------------------------------------------------------------ scoring_rules

/** Coefficients of the institution safety score (0–100); see docs/scoring.md. */
export const scoringRulesSchema = map({
  kind: z.literal('scoring_rules'),
  ...header,
  /** starting points (≤ 100); deductions are taken from it */
  base: labelled({ points: number({ min: 1, max: 100, meaning: ' (the score runs 0–100)' }) }),
  /** points deducted per hazard, by severity */
  deduction: labelled({ general: nonNegative, major: nonNegative }),
  /** multiplier of the deduction by the finding's scope (单处 / 多处 / 普遍) */
  scopeMultiplier: labelled({ single: nonNegative, multiple: nonNegative, widespread: nonNegative }),
  /** weights of the most recent inspections, most recent first; older inspections weigh 0 */
  recency: labelled({ weights: list(unit(' (a weight)')) }),
  /** factor on the finding points of a closed hazard, by closure reason (open hazards: 1) */
  closureFactor: labelled({ verified: unit(' (a factor)'), objectionUpheld: unit(' (a factor)') }),
  /** extra points deducted per overdue hazard */
  overdue: labelled({ pointsPerHazard: nonNegative }),
  /** extra points deducted per response returned after a failed verification */
  returned: labelled({ pointsPerReturn: nonNegative }),
  /** extra points deducted when the same item failed at an earlier inspection within windowMonths */
  repeat: labelled({ windowMonths: integer(1, ' (months)'), pointsPerHazard: nonNegative }),
  /** the score may not exceed maxScore while any major hazard is not closed */
  majorOpenCap: labelled({ maxScore: nonNegative }),
}).superRefine((r, ctx) => {
  const { general, major } = r.deduction;
  notBelow(ctx, ['deduction', 'major'], `not monotonic: a major hazard (${major}) must cost at least as much as a general one (${general})`, major, general);
  const { single, multiple, widespread } = r.scopeMultiplier;
  notBelow(ctx, ['scopeMultiplier', 'multiple'], `not monotonic: multiple (${multiple}) is below single (${single})`, multiple, single);
  notBelow(ctx, ['scopeMultiplier', 'widespread'], `not monotonic: widespread (${widespread}) is below multiple (${multiple})`, widespread, multiple);
  r.recency.weights.forEach((w, i) => {
    const newer = r.recency.weights[i - 1];
    if (newer !== undefined && w > newer) {
      ctx.addIssue({ code: 'custom', path: ['recency', 'weights', i], message: `not monotonic: weight ${w} of an older inspection exceeds the more recent ${newer}` });
    }
  });
  const { maxScore } = r.majorOpenCap;
  if (maxScore > r.base.points) {
    ctx.addIssue({
      code: 'custom',
      path: ['majorOpenCap', 'maxScore'],
      message: `must be a number within [0, ${r.base.points}] (at most base.points), found ${maxScore}`,
    });
  }
});

// ------------------------------------------------------------------ subsidy_policy

/** Operating-subsidy (运营补贴) rules of one division and year; see docs/scoring.md. */
export const subsidyPolicySchema = map({
  kind: z.literal('subsidy_policy'),
  ...header,
  /** 6-digit administrative division code, e.g. 320400 (常州市) */
  divisionCode: text(/^\d{6}$/, "division code (6 digits, quoted: '320400')"),
  year: integer(2000),
  /** yuan per occupied bed per month (at most 2 decimals) */
  baseAmount: labelled({ yuanPerOccupiedBedPerMonth: number({ min: 0, maxDecimals: 2, meaning: ' (yuan, fen-exact)' }) }),
  /** uplift per resident per month, in percent of the base amount, by care level */
  careLevelUplift: labelled({
    percentOfBase: map(Object.fromEntries(CARE_LEVEL_KEYS.map((k) => [k, number({ min: 0, meaning: ' (percent of the base)' })])) as Record<(typeof CARE_LEVEL_KEYS)[number], ReturnType<typeof number>>),
  }),
  /** coefficient by grade (ungraded = 未评级) */
  gradeCoefficient: labelled(Object.fromEntries(SUBSIDY_GRADE_KEYS.map((k) => [k, coefficient])) as Record<(typeof SUBSIDY_GRADE_KEYS)[number], typeof coefficient>),
  /** coefficient by safety-score band (bands ascending by minScore, first at 0); `unscored` when no score */
  safetyCoefficient: labelled({
    /**
     * an institution without any stored score (never inspected). Must not exceed the coefficient of `passScore`'s
     * band: not having been inspected must never pay more than passing an inspection.
     */
    unscored: coefficient,
    /** the pass mark (及格) the unscored coefficient is capped by */
    passScore: number({ min: 0, max: 100, maxDecimals: 1, meaning: ' (a score)' }),
    /** a band applies from its minScore (inclusive) up to the next band's minScore */
    bands: list(map({ minScore: number({ min: 0, max: 100, maxDecimals: 1, meaning: ' (a score)' }), coefficient })),
  }),
  /**
   * Which institutions the policy pays: each list names the values that are eligible; an institution outside any
   * list is listed with amount 0 and the reason. Absent (files before this release): every institution is eligible.
   */
  eligibility: labelled({
    ownership: list(oneOf(SUBSIDY_OWNERSHIPS)),
    profitStatus: list(oneOf(SUBSIDY_PROFIT_KEYS)),
    kinds: list(oneOf(INSTITUTION_KINDS)),
  }).optional(),
  /** What is paid, by profit status. Absent: beds and care levels for everyone (the behaviour before this release). */
  basis: labelled(Object.fromEntries(SUBSIDY_PROFIT_KEYS.map((k) => [k, oneOf(SUBSIDY_BASES)])) as Record<SubsidyProfitKey, ReturnType<typeof oneOf<typeof SUBSIDY_BASES>>>).optional(),
  /** true: no subsidy for the days a major hazard is open */
  suspension: labelled({ whileMajorHazardOpen: flag }),
  /** how partial periods are counted; only calendar_days is defined */
  proRata: labelled({ method: oneOf(['calendar_days']) }),
}).superRefine((p, ctx) => {
  // grade1…grade5 must not fall with the grade (ungraded stands apart)
  for (let i = 2; i < SUBSIDY_GRADE_KEYS.length; i++) {
    const [lower, key] = [SUBSIDY_GRADE_KEYS[i - 1], SUBSIDY_GRADE_KEYS[i]];
    const [prev, cur] = [p.gradeCoefficient[lower], p.gradeCoefficient[key]];
    notBelow(ctx, ['gradeCoefficient', key], `not monotonic: ${key} (${cur}) is below ${lower} (${prev})`, cur, prev);
  }
  p.safetyCoefficient.bands.forEach(({ minScore, coefficient: c }, i) => {
    const at = (f: string) => ['safetyCoefficient', 'bands', i, f];
    const prev = p.safetyCoefficient.bands[i - 1];
    if (!prev && minScore !== 0) ctx.addIssue({ code: 'custom', path: at('minScore'), message: `the first band must start at 0, found ${minScore}` });
    if (!prev) return;
    if (minScore <= prev.minScore) {
      ctx.addIssue({ code: 'custom', path: at('minScore'), message: `bands not monotonic: minScore ${minScore} is not above the previous band's ${prev.minScore}` });
    }
    notBelow(ctx, at('coefficient'), `bands not monotonic: coefficient ${c} is below the lower band's ${prev.coefficient} (a higher score must not pay less)`, c, prev.coefficient);
  });
  const { unscored, passScore, bands } = p.safetyCoefficient;
  const passBand = [...bands].reverse().find((b) => b.minScore <= passScore);
  if (passBand && unscored > passBand.coefficient) {
    ctx.addIssue({
      code: 'custom',
      path: ['safetyCoefficient', 'unscored'],
      message: `must not exceed ${passBand.coefficient}, the coefficient of the pass score ${passScore} (never inspected must not pay more than passing), found ${unscored}`,
    });
  }
});

export const SUBSIDY_ENTRIES: EntrySpec[] = [{ at: ['safetyCoefficient', 'bands', '#'], label: (_raw, i) => `band #${i + 1}` }];
