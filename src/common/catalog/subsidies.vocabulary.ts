/** Enumerated labels of the subsidies area (merged into VOCABULARY in ../vocabulary.ts). */
export const SUBSIDY_VOCABULARY = {
  /** subsidy_schedule.status */
  subsidyScheduleStatus: {
    draft: { zh: '草稿', en: 'draft' },
    approved: { zh: '已审批', en: 'approved' },
  },
  /** how an institution's line differs between two schedules (compareSchedules) */
  subsidyChange: {
    added: { zh: '新增', en: 'added' },
    removed: { zh: '移除', en: 'removed' },
    changed: { zh: '金额变化', en: 'amount changed' },
    unchanged: { zh: '未变', en: 'unchanged' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
