/** Messages of 巡查 (the institution's own patrols and self-reported hazards) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const PATROL_MESSAGES: Record<string, { zh: string; en: string }> = {
  'patrol.not_found': { zh: '巡查记录不存在或不在您的范围内', en: 'The patrol does not exist or is outside your scope' },
  'patrol.point_not_found': { zh: '巡查点位不存在、已停用或不在您的范围内', en: 'The patrol point does not exist, was retired or is outside your scope' },
  'patrol.no_open_slot': { zh: '当前不在该巡查的时段内（夜间巡查只在夜间时段开始）；已过的时段不能补巡', en: 'No slot of this patrol is open now (a night patrol starts only at night); a past slot cannot be patrolled afterwards' },
  'patrol.already_submitted': { zh: '该巡查已提交，不能再修改', en: 'The patrol was already submitted and cannot change' },
  'patrol.institution_closed': { zh: '机构已注销，不能开始巡查', en: 'The institution is closed; no patrol can start' },
  'patrol.no_checklist': { zh: '未找到生效的自查表（checklists/self-inspection-*.yaml）', en: 'No self-inspection list is in force (checklists/self-inspection-*.yaml)' },
  'patrol.code_exhausted': { zh: '点位码生成冲突，请重试', en: 'Could not draw a free point code; try again' },
  'self_hazard.not_found': { zh: '自查隐患不存在或不在您的范围内', en: 'The self-reported hazard does not exist or is outside your scope' },
  'self_hazard.already_closed': { zh: '该自查隐患已整改销号', en: 'The self-reported hazard is already closed' },
};

export const PATROL_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  unknownPatrolPoint: { zh: '不是本机构在用的巡查点位', en: 'is not an active patrol point of this institution' },
  unknownItem: { zh: '巡查表中没有 {0}', en: '{0} is not on the patrol list' },
  duplicateItem: { zh: '{0} 重复填写', en: '{0} is answered twice' },
  failNeedsNote: { zh: '{0} 异常，须说明情况', en: '{0} failed: say what is wrong' },
  itemsUnanswered: { zh: '以下巡查项未填写：{0}', en: 'these items are unanswered: {0}' },
};
