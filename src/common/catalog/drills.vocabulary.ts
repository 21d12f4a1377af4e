/** Enumerated labels of 演练与培训 (drills and training records) (merged into VOCABULARY in ../vocabulary.ts). */
export const DRILL_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
