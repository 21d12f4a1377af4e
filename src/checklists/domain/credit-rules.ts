/**
 * 信用评价规则 as the rest of the code sees it: plain values of the published `credit_rules` rule file
 * (checklists/credit-rules.yaml). Every standing, 失信 decision and subsidy schedule computed under it pins the
 * version it used (`credit_rules_version_id`). Field names here are stable; the YAML shape is the loader's concern.
 */
import { CREDIT_FACT_KINDS, CREDIT_LEVELS, type CreditFactKind, type CreditLevel, FREQUENCY_INSPECTION_KINDS, type FrequencyInspectionKind } from './rule-file.credit.schema';
import type { CreditRulesFile } from './rule-file.types';

export { CREDIT_FACT_KINDS, CREDIT_LEVELS, type CreditFactKind, type CreditLevel, FREQUENCY_INSPECTION_KINDS, type FrequencyInspectionKind };

/**
 * What a rule file without a `frequency` block (revision 2026.1) counts toward 检查频次: the supervision visits
 * (日常、双随机、联合、专项) — a complaint check or a re-inspection answers one matter, not the yearly round.
 */
export const FREQUENCY_KINDS_BEFORE_2026_2: readonly FrequencyInspectionKind[] = ['routine', 'random', 'joint', 'special'];

export interface CreditRule {
  code: string;
  fact: CreditFactKind;
  titleZh: string;
  /** per occurrence; negative = deduction */
  points: number;
  /** occurrences counted within the window; null = all */
  maxCount: number | null;
}

export interface CreditConsequence {
  stratum: string;
  inspectionsPerYear: number;
  subsidy: { eligible: boolean; reductionPercent: number };
}

export interface CreditStratum {
  code: string;
  labelZh: string;
  ratio: number;
}

export interface CreditValues {
  windowMonths: number;
  basePoints: number;
  maxPoints: number;
  repeatMonths: number;
  rules: CreditRule[];
  /** best first; the lowest starts at 0 */
  levels: { level: CreditLevel; labelZh: string; minPoints: number }[];
  dishonesty: { objectionDays: number; repairCleanMonths: number; publish: boolean };
  /** in draw order */
  strata: CreditStratum[];
  consequences: { levels: Record<CreditLevel, CreditConsequence>; dishonest: CreditConsequence };
  /** 检查频次: the inspection kinds counted toward inspectionsPerYear */
  frequency: { countedKinds: FrequencyInspectionKind[] };
}

/** A published version with its identity (pin `versionId` on the record that used it). */
export interface CreditRulesVersion {
  versionId: string;
  code: string;
  versionNo: number;
  contentHash: string;
  revision?: string;
  values: CreditValues;
}

/** The values of a `credit_rules` file, without their labels. */
export function creditValues(file: CreditRulesFile): CreditValues {
  const consequence = (c: CreditRulesFile['consequences']['dishonest']): CreditConsequence => ({
    stratum: c.stratum, inspectionsPerYear: c.inspectionsPerYear, subsidy: { eligible: c.subsidy.eligible, reductionPercent: c.subsidy.reductionPercent },
  });
  return {
    windowMonths: file.windowMonths.value,
    basePoints: file.basePoints.value,
    maxPoints: file.maxPoints.value,
    repeatMonths: file.repeatMonths.value,
    rules: file.rules.map((r) => ({ code: r.code, fact: r.fact, titleZh: r.titleZh, points: r.points, maxCount: r.maxCount ?? null })),
    levels: file.levels.map((l) => ({ level: l.level, labelZh: l.labelZh, minPoints: l.minPoints })),
    dishonesty: { objectionDays: file.dishonesty.objectionDays.value, repairCleanMonths: file.dishonesty.repairCleanMonths.value, publish: file.dishonesty.publish.value },
    strata: file.strata.map((s) => ({ code: s.code, labelZh: s.labelZh, ratio: s.ratio })),
    consequences: {
      levels: Object.fromEntries(CREDIT_LEVELS.map((l) => [l, consequence(file.consequences.levels[l])])) as Record<CreditLevel, CreditConsequence>,
      dishonest: consequence(file.consequences.dishonest),
    },
    frequency: { countedKinds: [...(file.frequency?.countedKinds ?? FREQUENCY_KINDS_BEFORE_2026_2)] },
  };
}
