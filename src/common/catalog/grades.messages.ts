/** Messages of the grades pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const GRADE_MESSAGES: Record<string, { zh: string; en: string }> = {
  'grade.prerequisites_unmet': { zh: '前提条件不满足，不能评定等级：{reasons}', en: 'A prerequisite is not met; no grade can be given: {reasons}' },
  'grade.not_finalized_result': { zh: '该等级评定尚未定稿，还没有评定结果', en: 'The assessment is not finalized; there is no result yet' },
};

export const GRADE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  gradeFormVersionUnknown: { zh: '评分表没有第 {0} 版', en: 'the grading form has no version {0}' },
  gradePartUnknown: { zh: '评分表中没有部分 {0}', en: 'the grading form has no part {0}' },
  gradeItemNotInPart: { zh: '{0} 不属于“{1}”部分', en: '{0} is not an item of part {1}' },
  gradePointsNotNumber: { zh: '{0} 的得分须为数字', en: 'the points of {0} must be a number' },
  gradeDecisionConfirm: { zh: '请勾选确认', en: 'tick the confirmation' },
};
