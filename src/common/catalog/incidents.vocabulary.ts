/** Enumerated labels of 突发事件报告 (incident reports) (merged into VOCABULARY in ../vocabulary.ts). */
export const INCIDENT_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
