/** Messages of 信用评价 and 失信认定 (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const CREDIT_MESSAGES: Record<string, { zh: string; en: string }> = {
  'credit.institution_not_found': { zh: '机构不存在或不在您的辖区内', en: 'No such institution in your area' },
  'credit.decision_not_found': { zh: '失信认定不存在或不在您的范围内', en: 'No such dishonesty decision in your scope' },
  'credit.already_in_force': { zh: '该机构已有生效的失信认定', en: 'A dishonesty decision is already in force for this institution' },
  'credit.version_conflict': { zh: '该认定已被他人处理，请刷新后重试', en: 'Someone else acted on this decision; reload and try again' },
  'credit.not_yours': { zh: '您不能进行此操作', en: 'You may not take this action' },
  'credit.not_decided': { zh: '只有“已认定”状态可以陈述申辩', en: 'Only a decision in the decided state can be objected to' },
  'credit.objection_closed': { zh: '申辩期限已过（截止 {objectionDueOn}）', en: 'The objection window has closed ({objectionDueOn})' },
  'credit.not_objected': { zh: '该认定没有待处理的申辩', en: 'This decision has no pending objection' },
  'credit.not_repairable': { zh: '该认定当前不能信用修复（申辩处理中、已撤销或已修复）', en: 'This decision cannot be repaired now (objection pending, withdrawn or repaired)' },
  'credit.objection_window_open': { zh: '申辩期限（{objectionDueOn}）届满前不能信用修复', en: 'Credit repair waits for the objection window to close ({objectionDueOn})' },
  'credit.not_clean_yet': { zh: '信用修复须自 {since} 起连续 {months} 个月无新的扣分记录，最早 {from} 可修复', en: 'Repair needs {months} clean months from {since}: from {from}' },
};

export const CREDIT_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  decidedInFuture: { zh: '认定日期不能晚于今天', en: 'must not be in the future' },
  creditConfirm: { zh: '请勾选确认：该决定将影响机构的抽查分层与补贴', en: 'tick the confirmation: the decision changes the draw stratum and the subsidy' },
  notAnInstitution: { zh: '不是本辖区的机构', en: 'is not an institution in your area' },
};
