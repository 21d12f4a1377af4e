/** Messages of notifications for every role and delivery adapters (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const NOTIFICATION_MESSAGES: Record<string, { zh: string; en: string }> = {
  'notification.not_found': { zh: '通知不存在或不是发给您的', en: 'The notification does not exist or is not addressed to you' },
};

export const NOTIFICATION_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
