/** Messages of the notices pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const NOTICE_MESSAGES: Record<string, { zh: string; en: string }> = {
  'notice.number_changed': { zh: '预览后已有其他通知书先行下达，编号 {expected} 已被使用，本通知书将编号为 {actual}；请重新核对后再确认下达', en: 'Another notice was issued after the preview and took {expected}; this one would be {actual}. Review it again before confirming' },
  'notice.confirm_required': {
    zh: '请勾选“我已核对通知书内容无误，知晓编号确定后不可更改、通知书下达后不能撤回”，再确认下达。',
    en: 'Tick "I have checked the notice" before confirming: the number is final and the notice cannot be withdrawn.',
  },
};

export const NOTICE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
