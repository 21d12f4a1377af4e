/** Messages of the institution's workspace (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const WORKSPACE_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const WORKSPACE_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
