/** Enumerated labels of the offline day (task download, outbox) (merged into VOCABULARY in ../vocabulary.ts). */
export const OFFLINE_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
