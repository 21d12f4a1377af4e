/** Messages of the registry pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const REGISTRY_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const REGISTRY_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
};
