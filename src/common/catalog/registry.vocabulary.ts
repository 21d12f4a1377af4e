/** Enumerated labels of the registry area (merged into VOCABULARY in ../vocabulary.ts). */
export const REGISTRY_VOCABULARY = {
  /** the bureau's operating-status changes of an institution (institutions/operating-status.ts) */
  statusAction: {
    suspend: { zh: '停业整顿', en: 'suspend' },
    resume: { zh: '恢复运营', en: 'resume operating' },
    close: { zh: '注销/关闭', en: 'close (deregister)' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
