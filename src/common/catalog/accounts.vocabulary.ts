/** Enumerated labels of the accounts area (merged into VOCABULARY in ../vocabulary.ts). */
export const ACCOUNT_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
