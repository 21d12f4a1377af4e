/** Enumerated labels of the hazards area (merged into VOCABULARY in ../vocabulary.ts). */
export const HAZARD_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
