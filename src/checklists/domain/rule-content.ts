/**
 * Typed access to the content of a published rule-set version. The content was validated by the schema of its
 * kind before it was published and never changes, so reading it needs only a check of its `kind`; a version of
 * another kind is a programming error (a wrong code or id), never a user input problem.
 */
import { ContentOf, RuleFileContent, RuleFileKind } from './rule-file.types';

/** Anything that carries published content: a `RuleSetVersion` row or a `ParsedRuleFile`. */
export interface HasRuleContent {
  content: unknown;
}

export function ruleContent<K extends RuleFileKind>(version: HasRuleContent, kind: K): ContentOf<K> {
  const content = version.content as RuleFileContent | null | undefined;
  if (content?.kind !== kind) {
    throw new Error(`rule-set content "${content?.code ?? '?'}" is of kind ${content?.kind ?? 'none'}, expected ${kind}`);
  }
  return content as ContentOf<K>;
}

/** 检查表 */
export const checklistContent = (v: HasRuleContent) => ruleContent(v, 'inspection_checklist');
/** 重大事故隐患判定标准 */
export const criteriaContent = (v: HasRuleContent) => ruleContent(v, 'major_hazard_criteria');
/** 等级评定表 */
export const gradingContent = (v: HasRuleContent) => ruleContent(v, 'grading_form');
/** 自查表 */
export const selfInspectionContent = (v: HasRuleContent) => ruleContent(v, 'self_inspection');
/** 安全评分系数 */
export const scoringContent = (v: HasRuleContent) => ruleContent(v, 'scoring_rules');
/** 运营补贴政策 */
export const subsidyContent = (v: HasRuleContent) => ruleContent(v, 'subsidy_policy');
/** 监管策略 (product policy) */
export const productPolicyContent = (v: HasRuleContent) => ruleContent(v, 'product_policy');
/** 工作日历 (one year of State Council holidays and 调休 working days) */
export const workingCalendarContent = (v: HasRuleContent) => ruleContent(v, 'working_calendar');
/** 地方规则 (the deploying city's local rule set) */
export const localRuleSetContent = (v: HasRuleContent) => ruleContent(v, 'local_rule_set');
/** 机构日常安全工作与投诉举报策略 (patrols, drills, registers, complaints, incidents) */
export const safetyWorkPolicyContent = (v: HasRuleContent) => ruleContent(v, 'safety_work_policy');
/** 信用评价规则 (credit points, levels, 失信 and their consequences) */
export const creditRulesContent = (v: HasRuleContent) => ruleContent(v, 'credit_rules');
