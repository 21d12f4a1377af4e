/**
 * Typed content of the rule files under checklists/ (检查表、重大隐患判定标准、等级评定表、自查表、评分与补贴系数),
 * inferred from the schemas in rule-file.schema.ts and rule-file.coefficients.schema.ts; see docs/checklists.md.
 */
import type { z } from 'zod';
import type { bilingual, localized } from './rule-file.fields';
import type { scoringRulesSchema, subsidyPolicySchema } from './rule-file.coefficients.schema';
import type { productPolicySchema, workingCalendarSchema } from './rule-file.policy.schema';
import type { localRuleSetSchema } from './rule-file.local.schema';
import type { safetyWorkPolicySchema } from './rule-file.safety-work.schema';
import type { creditRulesSchema } from './rule-file.credit.schema';
import type { gradingFormSchema, inspectionChecklistSchema, majorHazardCriteriaSchema, selfInspectionSchema } from './rule-file.schema';

export type { ValueLabel } from './rule-file.coefficients.schema';

export const RULE_FILE_KINDS = [
  'inspection_checklist',
  'major_hazard_criteria',
  'grading_form',
  'self_inspection',
  'scoring_rules',
  'subsidy_policy',
  'product_policy',
  'working_calendar',
  'local_rule_set',
  'safety_work_policy',
  'credit_rules',
] as const;
export type RuleFileKind = (typeof RULE_FILE_KINDS)[number];

export const SEVERITIES = ['general', 'major'] as const;
/** general = 一般隐患, major = 重大隐患 */
export type Severity = (typeof SEVERITIES)[number];
export const TEXT_STATUSES = ['retrieved', 'not_found'] as const;
export type TextStatus = (typeof TEXT_STATUSES)[number];
export const BREAKDOWN_STATUSES = ['sourced', 'recalled', 'product_default'] as const;
export type BreakdownStatus = (typeof BREAKDOWN_STATUSES)[number];
export const SELF_INSPECTION_FREQUENCIES = ['daily', 'monthly'] as const;
export type SelfInspectionFrequency = (typeof SELF_INSPECTION_FREQUENCIES)[number];
export const SUBSIDY_GRADE_KEYS = ['ungraded', 'grade1', 'grade2', 'grade3', 'grade4', 'grade5'] as const;
export type SubsidyGradeKey = (typeof SUBSIDY_GRADE_KEYS)[number];
export const CARE_LEVEL_KEYS = ['selfCare', 'mildlyDisabled', 'moderatelyDisabled', 'severelyDisabled'] as const;
export type CareLevelKey = (typeof CARE_LEVEL_KEYS)[number];

export type BilingualText = z.output<typeof bilingual>;
export type LocalizedText = z.output<typeof localized>;

export type InspectionChecklist = z.output<typeof inspectionChecklistSchema>;
export type Category = InspectionChecklist['categories'][number];
/** One line of the on-site checklist (检查项). */
export type ChecklistItem = InspectionChecklist['items'][number];
/** 依据: `legal` (a citation with its source tag), `product_default` (a product proposal) or `local_rule`. */
export type BasisEntry = ChecklistItem['basis'][number];
export type EvidenceRequirement = ChecklistItem['evidence'];
/** 临时管控措施 — what must happen at once while the real fix takes longer. */
export type InterimMeasure = NonNullable<ChecklistItem['interim']>;

export type MajorHazardCriteria = z.output<typeof majorHazardCriteriaSchema>;
export type MajorHazardDocument = MajorHazardCriteria['document'];
export type MajorHazardAspect = MajorHazardCriteria['aspects'][number];
/** One situation (情形) of the 重大事故隐患判定标准; `text` is null when it was not found (never reconstructed). */
export type MajorHazardCriterion = MajorHazardAspect['criteria'][number];

export type GradingForm = z.output<typeof gradingFormSchema>;
export type GradingPart = GradingForm['parts'][number];
export type GradingItem = GradingPart['items'][number];
export type GradeThresholds = GradingForm['thresholds'];
export type GradeThreshold = GradeThresholds['grades'][number];

export type SelfInspectionList = z.output<typeof selfInspectionSchema>;
export type SelfInspectionItem = SelfInspectionList['items'][number];

export type ScoringRules = z.output<typeof scoringRulesSchema>;
export type SubsidyPolicy = z.output<typeof subsidyPolicySchema>;
export type SafetyBand = SubsidyPolicy['safetyCoefficient']['bands'][number];

export type ProductPolicyFile = z.output<typeof productPolicySchema>;
export type WorkingCalendarFile = z.output<typeof workingCalendarSchema>;
export type LocalRuleSet = z.output<typeof localRuleSetSchema>;
export type SafetyWorkPolicyFile = z.output<typeof safetyWorkPolicySchema>;
export type CreditRulesFile = z.output<typeof creditRulesSchema>;

export type RuleFileContent = InspectionChecklist | MajorHazardCriteria | GradingForm | SelfInspectionList | ScoringRules | SubsidyPolicy | ProductPolicyFile | WorkingCalendarFile | LocalRuleSet | SafetyWorkPolicyFile | CreditRulesFile;
export type ContentOf<K extends RuleFileKind> = Extract<RuleFileContent, { kind: K }>;

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
