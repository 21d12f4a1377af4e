/** Messages of team inspections (per-item draft merge, conflicts) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const TEAM_MESSAGES: Record<string, { zh: string; en: string }> = {
  'team.conflicts_open': {
    zh: '还有 {count} 项答案冲突（检查组成员作答不一致），请先选定答案再提交',
    en: '{count} answers conflict (team members answered differently); choose one for each before submitting',
  },
  'team.conflict_not_found': { zh: '该答案冲突不存在或已处理', en: 'The answer conflict does not exist or is already resolved' },
  'team.conflict_not_open': { zh: '该答案冲突已被其他成员处理', en: 'The answer conflict was already resolved by another member' },
  'team.lead_only': { zh: '只有检查组组长可以分配检查类别', en: 'Only the team lead assigns sections' },
  'team.answer_differs': {
    zh: '有 {count} 项的提交答案与其他组员在团队草稿中的答案不同，请先核对（同步后选定答案）再提交',
    en: '{count} submitted answers differ from another team member\'s answer in the team draft; check them (sync and choose) before submitting',
  },
};

export const TEAM_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  draftConflictOpen: { zh: '{0} 的答案存在冲突，请选定一个答案', en: 'the answers to {0} conflict: choose one' },
  conflictSideUnknown: { zh: '请选择冲突中的一个答案（共 {0} 个）', en: 'choose one of the {0} answers' },
  notOnTeam: { zh: '不是本检查组成员', en: 'is not on the inspection team' },
  answerDiffers: { zh: '{0} 已由 {1} 答为“{2}”，与本次提交的“{3}”不同', en: '{1} answered {0} as "{2}", not "{3}" as submitted' },
  draftItemUnknown: { zh: '{0} 不是本次检查所用检查表中的检查项', en: '{0} is not an item of this inspection\'s checklist' },
  draftItemTooLarge: { zh: '该项答案过大（不超过 {0} KB）', en: 'the item\'s answer is too large (at most {0} KB)' },
  categoryDuplicate: { zh: '检查类别 {0} 重复分配', en: 'category {0} is assigned twice' },
  categoryUnknown: { zh: '{0} 不是本次检查所用检查表的类别', en: '{0} is not a category of this inspection\'s checklist' },
};
