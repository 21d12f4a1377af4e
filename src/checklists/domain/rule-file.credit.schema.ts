/**
 * Schema of the `credit_rules` rule file (养老机构信用评价规则, checklists/credit-rules.yaml): the points each kind of
 * fact of an institution's record is worth, the look-back window, the base score, the level thresholds (A/B/C/D),
 * the 失信 decision rules (objection window, 信用修复 after a clean period, publication on 公示) and the
 * consequences of each level and of a 失信 decision as policy data (draw stratum and ratio, inspections a year,
 * subsidy eligibility or reduction). Read as plain values by `creditValues` (credit-rules.ts); every value carries
 * its label (`source: <tag>` or `product_default: <why>`), as in the product policy.
 */
import { z } from 'zod';
import { checkLabel, LABEL_SHAPE, labelOf, type LabelFields, type ValueLabel } from './rule-file.coefficients.schema';
import { flag, header, integer, list, map, number, oneOf, text } from './rule-file.fields';
import { labelledValue } from './rule-file.policy.schema';

/** The facts of the record a credit rule can count (docs/credit.md says where each one comes from). */
export const CREDIT_FACT_KINDS = [
  'overdue_hazard',
  'repeated_hazard',
  'major_hazard',
  'objection_lost',
  'complaint_upheld',
  'incident',
  'incident_late',
  'falsified_facts',
  'self_hazard_closed',
  'drill_on_time',
] as const;
export type CreditFactKind = (typeof CREDIT_FACT_KINDS)[number];

export const CREDIT_LEVELS = ['A', 'B', 'C', 'D'] as const;

/**
 * The inspection kinds a rule file may count toward 检查频次 (inspectionsPerYear): the inspection kinds of
 * src/inspections/inspection.entity.ts, listed here because the rule files do not depend on the inspections module
 * (a unit test keeps the two lists equal).
 */
export const FREQUENCY_INSPECTION_KINDS = ['routine', 'random', 'joint', 'special', 'complaint', 'reinspection'] as const;
export type FrequencyInspectionKind = (typeof FREQUENCY_INSPECTION_KINDS)[number];
export type CreditLevel = (typeof CREDIT_LEVELS)[number];

/** A block of fields plus its label (`source` [+ `note`] or `product_default`) → the fields and `label`. */
function labelled<S extends z.core.$ZodLooseShape>(shape: S, what: string) {
  type Values = z.output<z.ZodObject<S, z.core.$strict>>;
  return map({ ...shape, ...LABEL_SHAPE })
    .superRefine((block, ctx) => checkLabel(block as LabelFields, ctx, what))
    .transform((block): Values & { label: ValueLabel } => {
      const { source, note, product_default, ...values } = block as LabelFields & Record<string, unknown>;
      return { ...(values as Values), label: labelOf({ source, note, product_default }) };
    });
}

const RULE_CODE = /^CR-[A-Z0-9-]{2,30}$/;
const STRATUM_CODE = /^[A-Z][A-Z0-9_]{0,15}$/;

const consequence = (what: string) =>
  labelled(
    {
      /** the 双随机 stratum the institution is drawn in */
      stratum: text(STRATUM_CODE, 'stratum code'),
      /** planned inspections a year (检查频次) */
      inspectionsPerYear: integer(0, ' (inspections a year)'),
      subsidy: map({
        /** may receive the operating subsidy at all */
        eligible: flag,
        /** the operating subsidy is reduced by this percent (0 = in full) */
        reductionPercent: number({ min: 0, max: 100, maxDecimals: 2, meaning: ' (percent)' }),
      }),
    },
    what,
  );

export const creditRulesSchema = map({
  kind: z.literal('credit_rules'),
  ...header,
  /** only facts dated within this many months before the evaluation day count */
  windowMonths: labelledValue(integer(1, ' (months)')),
  /** every institution starts from this many points */
  basePoints: labelledValue(integer(0, ' (points)')),
  /** the total is capped at this many points (good conduct cannot buy more) */
  maxPoints: labelledValue(integer(1, ' (points)')),
  /** a hazard of the same checklist item found again within this many months of the earlier one is a repeat */
  repeatMonths: labelledValue(integer(1, ' (months)')),
  /** one rule per kind of fact: points per occurrence (negative = deduction), at most `maxCount` occurrences counted */
  rules: list(
    labelled(
      {
        code: text(RULE_CODE, 'rule code (CR-…, e.g. CR-OVERDUE)'),
        fact: oneOf(CREDIT_FACT_KINDS),
        /** Chinese name shown in the ledger */
        titleZh: text(),
        points: number({ min: -1000, max: 1000, maxDecimals: 0, meaning: ' (points, negative = deduction)' }),
        /** occurrences counted within the window (further ones are listed with 0 points) */
        maxCount: integer(1, ' (occurrences)').optional(),
      },
      'credit rule',
    ),
  ),
  /** best first; an institution has the first level whose minPoints it reaches */
  levels: list(labelled({ level: oneOf(CREDIT_LEVELS), labelZh: text(), minPoints: integer(0, ' (points)') }, 'level')),
  dishonesty: map({
    /** 陈述申辩: days after the decision within which the institution may object */
    objectionDays: labelledValue(integer(1, ' (days)')),
    /** 信用修复 may be granted after this many months without a new deduction since the decision */
    repairCleanMonths: labelledValue(integer(1, ' (months)')),
    /** decisions in force are published on the public 公示 page */
    publish: labelledValue(flag),
  }),
  /** the 双随机 strata, in the order the draw uses them; every stratum named by a consequence is listed once */
  strata: list(labelled({ code: text(STRATUM_CODE, 'stratum code'), labelZh: text(), ratio: number({ min: 0, max: 1, maxDecimals: 4, meaning: ' (sampling ratio)' }) }, 'stratum')),
  /**
   * 检查频次: which inspections count toward a level's `inspectionsPerYear` (an open one counts as planned, a
   * submitted one in its calendar year; cancelled ones never). Absent in revisions before 2026.2, which read as the
   * four supervision kinds (creditValues).
   */
  frequency: labelled({ countedKinds: list(oneOf(FREQUENCY_INSPECTION_KINDS)) }, 'frequency').optional(),
  consequences: map({
    levels: map({ A: consequence('level consequence'), B: consequence('level consequence'), C: consequence('level consequence'), D: consequence('level consequence') }),
    /** while a 失信 decision is in force, whatever the level */
    dishonest: consequence('失信 consequence'),
  }),
}).superRefine((f, ctx) => {
  const codes = new Set<string>();
  const facts = new Set<string>();
  f.rules.forEach((r, i) => {
    if (codes.has(r.code)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'code'], message: `duplicate rule code ${r.code}` });
    if (facts.has(r.fact)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'fact'], message: `a second rule for fact ${r.fact}: one rule per kind of fact` });
    if (r.points === 0) ctx.addIssue({ code: 'custom', path: ['rules', i, 'points'], message: 'a rule worth 0 points: remove it instead' });
    codes.add(r.code);
    facts.add(r.fact);
  });
  if (f.basePoints.value > f.maxPoints.value) ctx.addIssue({ code: 'custom', path: ['basePoints', 'value'], message: `cannot exceed maxPoints (${f.maxPoints.value})` });
  const order = f.levels.map((l) => l.level).join('');
  if (order !== CREDIT_LEVELS.join('')) ctx.addIssue({ code: 'custom', path: ['levels'], message: `list the levels ${CREDIT_LEVELS.join(', ')} once each, best first; found ${order || 'none'}` });
  f.levels.forEach((l, i) => {
    if (i > 0 && l.minPoints >= f.levels[i - 1].minPoints) ctx.addIssue({ code: 'custom', path: ['levels', i, 'minPoints'], message: `must be below the previous level's ${f.levels[i - 1].minPoints}` });
  });
  const last = f.levels[f.levels.length - 1];
  if (last && last.minPoints !== 0) ctx.addIssue({ code: 'custom', path: ['levels', f.levels.length - 1, 'minPoints'], message: 'the lowest level starts at 0 so every total has a level' });
  const counted = f.frequency?.countedKinds ?? [];
  if (f.frequency && counted.length === 0) ctx.addIssue({ code: 'custom', path: ['frequency', 'countedKinds'], message: 'name at least one inspection kind' });
  counted.forEach((k, i) => {
    if (counted.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: ['frequency', 'countedKinds', i], message: `${k} listed twice` });
  });
  const strata = new Set<string>();
  f.strata.forEach((s, i) => {
    if (strata.has(s.code)) ctx.addIssue({ code: 'custom', path: ['strata', i, 'code'], message: `duplicate stratum ${s.code}` });
    strata.add(s.code);
  });
  const named: [string[], string][] = [...CREDIT_LEVELS.map((l): [string[], string] => [['consequences', 'levels', l, 'stratum'], f.consequences.levels[l].stratum]), [['consequences', 'dishonest', 'stratum'], f.consequences.dishonest.stratum]];
  for (const [path, code] of named) {
    if (!strata.has(code)) ctx.addIssue({ code: 'custom', path, message: `stratum ${code} is not listed under strata (${[...strata].join(', ')})` });
  }
});
