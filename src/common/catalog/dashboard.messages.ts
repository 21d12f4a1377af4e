/** Messages of the dashboard pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const DASHBOARD_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const DASHBOARD_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
