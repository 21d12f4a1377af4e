/** Messages of the plans pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const PLAN_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const PLAN_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
