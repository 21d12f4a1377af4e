/** Messages of the notices pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const NOTICE_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const NOTICE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
