/** Messages of the hazards pages and API (merged into MESSAGES / FIELD_MESSAGES in ../messages.ts). */
export const HAZARD_MESSAGES: Record<string, { zh: string; en: string }> = {
};

export const HAZARD_FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  dateRangeBackwards: { zh: '不能早于开始日期 {0}', en: 'must not be before the start date {0}' },
};
