/** Messages of the accounts pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const ACCOUNT_MESSAGES: Record<string, { zh: string; en: string }> = {
  'account.confirm_required': { zh: '请勾选确认后再提交', en: 'Tick the confirmation box first' },
};

export const ACCOUNT_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  cannotDisableSelf: { zh: '不能停用自己正在使用的账号', en: 'you cannot disable your own account' },
};
