/** Messages of 演练与培训 (drills and training records) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const DRILL_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const DRILL_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
