/** Enumerated labels of the dashboard area (merged into VOCABULARY in ../vocabulary.ts). */
export const DASHBOARD_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
