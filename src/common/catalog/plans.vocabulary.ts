/** Enumerated labels of the plans area (merged into VOCABULARY in ../vocabulary.ts). */
export const PLAN_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
