/** Messages of the grades pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const GRADE_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const GRADE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
