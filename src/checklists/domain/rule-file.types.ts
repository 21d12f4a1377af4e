/**
 * Typed content of the rule files under checklists/ (检查表、重大隐患判定标准、等级评定表、自查表).
 * The YAML is validated against these shapes by rule-file.schema.ts; see docs/checklists.md.
 */
import type { Rule } from './applicability';

export const RULE_FILE_KINDS = [
  'inspection_checklist',
  'major_hazard_criteria',
  'grading_form',
  'self_inspection',
  'scoring_rules',
  'subsidy_policy',
] as const;
export type RuleFileKind = (typeof RULE_FILE_KINDS)[number];

export const SEVERITIES = ['general', 'major'] as const;
/** general = 一般隐患, major = 重大隐患 */
export type Severity = (typeof SEVERITIES)[number];

export interface BilingualText {
  zh: string;
  en: string;
}

export interface LocalizedText {
  zh: string;
  en?: string;
}

/**
 * Why an item exists (依据). A `legal` entry cites a law, regulation or standard and the
 * standards.md source tag it was read from; `product_default` marks a product proposal;
 * `local_rule` marks a rule adopted from a local (provincial/city) document.
 */
export type BasisEntry =
  | { kind: 'legal'; document: string; clause?: string; source?: string; note?: string }
  | { kind: 'product_default'; note: string }
  | { kind: 'local_rule'; document: string; source?: string; note?: string };

export interface Category {
  code: string;
  title: BilingualText;
}

export interface EvidenceRequirement {
  photoRequiredWhenFailed: boolean;
  minPhotos?: number;
}

/** 临时管控措施 — what must happen at once while the real fix takes longer. */
export interface InterimMeasure {
  measure: LocalizedText;
  deadlineDays: number;
}

/** One line of the on-site checklist (检查项). */
export interface ChecklistItem {
  code: string;
  category: string;
  title: BilingualText;
  check: LocalizedText;
  basis: BasisEntry[];
  severity: Severity;
  /** 判定标准 criterion code; required when severity is major */
  majorCriterion?: string;
  /** criterion under which a general finding may be escalated to major (G→M?) */
  escalatesTo?: string;
  /** default rectification deadline in calendar days; 0 = 立即/当场改正 */
  deadlineDays: number;
  interim?: InterimMeasure;
  evidence: EvidenceRequirement;
  weight: number;
  /** compiled applicability rule; absent = always applies */
  appliesWhen?: Rule;
  /** false = shipped but not active in this version (e.g. a local rule awaiting adoption) */
  enabled: boolean;
  note?: string;
}

interface RuleFileHeader {
  code: string;
  title: BilingualText;
  description?: string;
  /** informative label only; the version identity is the content hash */
  revision?: string;
  notes?: string[];
}

export interface InspectionChecklist extends RuleFileHeader {
  kind: 'inspection_checklist';
  categories: Category[];
  items: ChecklistItem[];
}

export const TEXT_STATUSES = ['retrieved', 'not_found'] as const;
export type TextStatus = (typeof TEXT_STATUSES)[number];

/** One situation (情形) of the 重大事故隐患判定标准. */
export interface MajorHazardCriterion {
  code: string;
  /** the item marker in the article, e.g. （一）; absent for placeholders */
  item?: string;
  textStatus: TextStatus;
  /** null when the text was not found: never reconstructed */
  text: LocalizedText | null;
  source: string[];
  note?: string;
}

export interface MajorHazardAspect {
  code: string;
  article: string;
  title: BilingualText;
  criteria: MajorHazardCriterion[];
}

export interface MajorHazardDocument {
  title: string;
  issuer: string;
  issued: string;
  number?: string;
  numberStatus?: 'verified' | 'unverified';
  source: string[];
}

export interface MajorHazardCriteria extends RuleFileHeader {
  kind: 'major_hazard_criteria';
  document: MajorHazardDocument;
  /** number of situations the official text has (22 per S4) */
  expectedCriteriaCount: number;
  aspects: MajorHazardAspect[];
}

export const BREAKDOWN_STATUSES = ['sourced', 'recalled', 'product_default'] as const;
export type BreakdownStatus = (typeof BREAKDOWN_STATUSES)[number];

export interface GradingItem {
  code: string;
  title: BilingualText;
  maxPoints: number;
}

export interface GradingPart {
  code: string;
  title: BilingualText;
  maxPoints: number;
  source: string;
  /** how the sub-item list and points were obtained */
  breakdownStatus: BreakdownStatus;
  note?: string;
  items: GradingItem[];
}

export interface GradeThreshold {
  level: number;
  name: BilingualText;
  minTotal: number;
  /** every part must reach this percentage of its maximum */
  minPartPercent: number;
}

export interface GradeThresholds {
  source: string;
  status: 'sourced' | 'product_default';
  uncertainty: string;
  grades: GradeThreshold[];
}

export interface GradingForm extends RuleFileHeader {
  kind: 'grading_form';
  standard: string;
  totalPoints: number;
  parts: GradingPart[];
  thresholds: GradeThresholds;
}

export const SELF_INSPECTION_FREQUENCIES = ['daily', 'monthly'] as const;
export type SelfInspectionFrequency = (typeof SELF_INSPECTION_FREQUENCIES)[number];

export interface SelfInspectionItem {
  code: string;
  title: BilingualText;
  check: LocalizedText;
  basis: BasisEntry[];
  appliesWhen?: Rule;
  enabled: boolean;
  /** on-site checklist items this self-check feeds (cross-checked at load) */
  relatedItems: string[];
}

export interface SelfInspectionList extends RuleFileHeader {
  kind: 'self_inspection';
  frequency: SelfInspectionFrequency;
  frequencyBasis: BasisEntry[];
  items: SelfInspectionItem[];
}

/**
 * Where a coefficient comes from. In the YAML a labelled block carries either `source: <tag>` (a tag of
 * standards.md §10, optionally with `note`) or `product_default: <why>` — never neither, never both.
 */
export type ValueLabel = { kind: 'source'; source: string; note?: string } | { kind: 'product_default'; note: string };

/** Coefficients of the institution safety score (0–100); see docs/scoring.md. */
export interface ScoringRules extends RuleFileHeader {
  kind: 'scoring_rules';
  /** starting points (≤ 100); deductions are taken from it */
  base: { points: number; label: ValueLabel };
  /** points deducted per hazard, by severity */
  deduction: { general: number; major: number; label: ValueLabel };
  /** multiplier of the deduction by the finding's scope (单处 / 多处 / 普遍) */
  scopeMultiplier: { single: number; multiple: number; widespread: number; label: ValueLabel };
  /** weights of the most recent inspections, most recent first; older inspections weigh 0 */
  recency: { weights: number[]; label: ValueLabel };
  /** factor on the finding points of a closed hazard, by closure reason (open hazards: 1) */
  closureFactor: { verified: number; objectionUpheld: number; label: ValueLabel };
  /** extra points deducted per overdue hazard */
  overdue: { pointsPerHazard: number; label: ValueLabel };
  /** extra points deducted per response returned after a failed verification */
  returned: { pointsPerReturn: number; label: ValueLabel };
  /** extra points deducted when the same item failed at an earlier inspection within windowMonths */
  repeat: { windowMonths: number; pointsPerHazard: number; label: ValueLabel };
  /** the score may not exceed maxScore while any major hazard is not closed */
  majorOpenCap: { maxScore: number; label: ValueLabel };
}

export const SUBSIDY_GRADE_KEYS = ['ungraded', 'grade1', 'grade2', 'grade3', 'grade4', 'grade5'] as const;
export type SubsidyGradeKey = (typeof SUBSIDY_GRADE_KEYS)[number];

export const CARE_LEVEL_KEYS = ['selfCare', 'mildlyDisabled', 'moderatelyDisabled', 'severelyDisabled'] as const;
export type CareLevelKey = (typeof CARE_LEVEL_KEYS)[number];

export interface SafetyBand {
  /** the band applies from this score (inclusive) up to the next band's minScore */
  minScore: number;
  coefficient: number;
}

/** Operating-subsidy (运营补贴) rules of one division and year; see docs/scoring.md. */
export interface SubsidyPolicy extends RuleFileHeader {
  kind: 'subsidy_policy';
  /** 6-digit administrative division code, e.g. 320400 (常州市) */
  divisionCode: string;
  year: number;
  /** yuan per occupied bed per month (at most 2 decimals) */
  baseAmount: { yuanPerOccupiedBedPerMonth: number; label: ValueLabel };
  /** uplift per resident per month, in percent of the base amount, by care level */
  careLevelUplift: { percentOfBase: Record<CareLevelKey, number>; label: ValueLabel };
  /** coefficient by grade (ungraded = 未评级) */
  gradeCoefficient: Record<SubsidyGradeKey, number> & { label: ValueLabel };
  /** coefficient by safety-score band (bands ascending by minScore, first at 0); `unscored` when no score */
  safetyCoefficient: { unscored: number; bands: SafetyBand[]; label: ValueLabel };
  /** true: no subsidy for the days a major hazard is open */
  suspension: { whileMajorHazardOpen: boolean; label: ValueLabel };
  /** how partial periods are counted; only calendar_days is defined */
  proRata: { method: 'calendar_days'; label: ValueLabel };
}

export type RuleFileContent =
  | InspectionChecklist
  | MajorHazardCriteria
  | GradingForm
  | SelfInspectionList
  | ScoringRules
  | SubsidyPolicy;

/** A validated rule file plus its version identity. */
export interface ParsedRuleFile<C extends RuleFileContent = RuleFileContent> {
  fileName: string;
  /** SHA-256 hex of the file text: the published version identity */
  hash: string;
  content: C;
  /** non-fatal findings, e.g. the GB/T 37276 threshold inconsistency */
  warnings: string[];
  /** 1-based line of a path in the YAML (or of its nearest existing parent) */
  lineOf(path: ReadonlyArray<string | number>): number;
}
