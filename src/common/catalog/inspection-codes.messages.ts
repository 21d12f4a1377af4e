/** Messages of 检查码 and 评价 (issue 17, item 4) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const INSPECTION_CODE_MESSAGES: Record<string, { zh: string; en: string }> = {
  'inspection_code.rate_limited': { zh: '检查码输错次数过多，请 {minutes} 分钟后再试', en: 'Too many wrong inspection codes; try again in {minutes} minutes' },
  'inspection_code.cancelled': { zh: '该检查已取消，不能确认；如有人员持此检查码到场检查，请联系主管部门核实', en: 'This inspection was cancelled and cannot be confirmed; if someone presents this code, check with the bureau' },
  'inspection_code.visit_closed': { zh: '该检查已提交，无需再核验检查码；可以对本次检查作出评价', en: 'This inspection is already submitted; the code needs no confirmation, the visit may be rated' },
  'inspection_rating.not_submitted': { zh: '检查组提交检查记录后才能评价', en: 'The visit can be rated once the team has submitted its record' },
  'inspection_rating.already_rated': { zh: '本次检查已评价过，每次检查只能评价一次', en: 'This visit has already been rated; a visit is rated once' },
  'inspection_rating.window_closed': { zh: '已超过评价期限（检查提交后 {days} 天内）', en: 'The rating period has ended ({days} days after the submission)' },
};

export const INSPECTION_CODE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  inspectionCodeMalformed: { zh: '检查码为 8 位字母和数字（如 7K2M-QX9D），请核对后重新输入', en: 'an inspection code has 8 letters and digits (e.g. 7K2M-QX9D)' },
  inspectionCodeUnknown: { zh: '检查码不正确，或不是本机构的检查，请核对检查人员出示的检查码', en: 'is wrong, or not a code of an inspection of this institution' },
  inspectionCancelled: { zh: '该检查已取消', en: 'the inspection was cancelled' },
  inspectionAlreadySubmitted: { zh: '该检查已提交', en: 'the inspection is already submitted' },
  ratingRequired: { zh: '请选择评分', en: 'choose a score' },
  ratingRange: { zh: '评分须为 {0}–{1} 分', en: 'must be {0}–{1}' },
  alreadyRated: { zh: '本次检查已评价', en: 'is already rated' },
  ratingBeforeSubmission: { zh: '检查尚未提交', en: 'the inspection is not submitted yet' },
  ratingWindowClosed: { zh: '检查提交已超过 {0} 天', en: 'was submitted more than {0} days ago' },
  scoreRangeReversed: { zh: '不能低于“最低分不低于”', en: 'must not be below minScore' },
  warrantNoForInstitution: { zh: '机构账号不登记执法证号', en: 'an institution account has no warrant number' },
};
