/** Messages of the subsidies pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const SUBSIDY_MESSAGES: Record<string, { zh: string; en: string }> = {
  'subsidy.changed_since_review': { zh: '确认页显示后发放表已被重新计算，金额可能已变化；请重新核对后再审批', en: 'The schedule was recomputed after the confirmation was shown; review the new figures before approving' },
  'subsidy.period_approved': {
    zh: '该区划同一期间的发放表已有审批版本（第 {versionNo} 版），不能再审批另一版本',
    en: 'Another version of this division and period is already approved (version {versionNo})',
  },
  'subsidy.no_previous': { zh: '该区划没有更早期间的发放表可供对比', en: 'This division has no schedule of an earlier period to compare with' },
};

export const SUBSIDY_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  compareSelf: { zh: '不能与自身对比', en: 'cannot compare a schedule with itself' },
  approveConfirm: { zh: '请勾选确认：批准后发放表不可修改', en: 'tick the confirmation: the schedule cannot be changed once approved' },
};
