/** Messages of 突发事件报告 (incident reports) (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const INCIDENT_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const INCIDENT_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
