/** Messages of the accounts pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const ACCOUNT_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const ACCOUNT_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
