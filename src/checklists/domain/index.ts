/** Pure domain of the checklists feature: rule-file loading/validation and applicability. */
export * from './applicability';
export * from './basis-text';
export * from './institution-profile';
export * from './local-rules';
export * from './policy';
export * from './rule-content';
export * from './rule-file.errors';
export * from './rule-file.loader';
export * from './rule-file.types';
export { CRITERION_CODE_PATTERN, GRADING_TOTAL_POINTS, ITEM_CODE_PATTERN } from './rule-file.schema';
export { isKnownSourceTag, SOURCE_TAGS } from './source-tags';
export * from './safety-work-policy';
export * from './credit-rules';
