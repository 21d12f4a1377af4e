/** Messages of the offline day (task download, outbox) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const OFFLINE_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const OFFLINE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
