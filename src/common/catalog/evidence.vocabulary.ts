/** Enumerated labels of evidence (photo viewer, markup, answer trail) (merged into VOCABULARY in ../vocabulary.ts). */
export const EVIDENCE_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
