/** Enumerated labels of the grades area (merged into VOCABULARY in ../vocabulary.ts). */
export const GRADE_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
