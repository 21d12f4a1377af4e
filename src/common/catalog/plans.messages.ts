/** Messages of the plans pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const PLAN_MESSAGES: Record<string, { zh: string; en: string }> = {
  'plan.published': { zh: '计划已公示，不能再修改', en: 'The plan is published and can no longer be changed' },
  'plan.started': { zh: '计划内已有检查开始或完成，不能再修改或重新抽取', en: 'An inspection of the plan has started; the plan can no longer be changed or drawn again' },
};

export const PLAN_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  stratifiedRandomOnly: { zh: '差异化抽查仅用于双随机抽查', en: 'a stratified draw is for random plans only' },
  stratifiedNoSample: { zh: '差异化抽查按信用规则的各层比例抽取，不填抽取数量或比例', en: 'a stratified draw takes the credit rules’ ratios: give no sample count or ratio' },
  planPublished: { zh: '计划已于 {0} 公示，公示后不能修改', en: 'the plan was published on {0}; a published plan cannot be changed' },
  planStarted: { zh: '已有 {0} 项检查开始或完成，不能重新抽取', en: '{0} inspections have started or finished; the plan cannot be drawn again' },
  periodReversed: { zh: '不能早于检查期间的开始日期 {0}', en: 'must not be before the start of the period, {0}' },
  notPlanKind: { zh: '复查由整改流程发起，不能作为计划类型', en: 're-inspections are started by rectification, not planned' },
};
