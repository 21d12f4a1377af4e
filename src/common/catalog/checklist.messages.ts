/** Messages of the phone checklist (sections, bulk actions, guidance) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const CHECKLIST_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const CHECKLIST_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
