/** Enumerated labels of the registry area (merged into VOCABULARY in ../vocabulary.ts). */
export const REGISTRY_VOCABULARY = {
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
