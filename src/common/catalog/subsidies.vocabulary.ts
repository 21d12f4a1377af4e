/** Enumerated labels of the subsidies area (merged into VOCABULARY in ../vocabulary.ts). */
export const SUBSIDY_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
