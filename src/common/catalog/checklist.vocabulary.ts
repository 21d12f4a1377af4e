/** Enumerated labels of the phone checklist (sections, bulk actions, guidance) (merged into VOCABULARY in ../vocabulary.ts). */
export const CHECKLIST_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
