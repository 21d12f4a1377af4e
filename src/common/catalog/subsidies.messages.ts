/** Messages of the subsidies pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const SUBSIDY_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const SUBSIDY_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
