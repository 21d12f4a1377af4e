/** Messages of 投诉举报 (public complaints and their triage) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const COMPLAINT_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const COMPLAINT_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
