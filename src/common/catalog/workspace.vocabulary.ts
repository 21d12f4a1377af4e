/** Enumerated labels of the institution's workspace (merged into VOCABULARY in ../vocabulary.ts). */
export const WORKSPACE_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
