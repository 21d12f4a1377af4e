/** Enumerated labels of the grades area (merged into VOCABULARY in ../vocabulary.ts). */
export const GRADE_VOCABULARY = {
  gradeStanding: {
    open: { zh: '评定中', en: 'Open' },
    in_force: { zh: '现行有效', en: 'In force' },
    superseded: { zh: '已被后评覆盖', en: 'Superseded' },
    revoked: { zh: '已撤销', en: 'Revoked' },
    expired: { zh: '已过期', en: 'Expired' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
