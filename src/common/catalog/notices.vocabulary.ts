/** Enumerated labels of the notices area (merged into VOCABULARY in ../vocabulary.ts). */
export const NOTICE_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
