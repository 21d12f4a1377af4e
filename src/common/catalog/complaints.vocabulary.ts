/** Enumerated labels of 投诉举报 (public complaints and their triage) (merged into VOCABULARY in ../vocabulary.ts). */
export const COMPLAINT_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
