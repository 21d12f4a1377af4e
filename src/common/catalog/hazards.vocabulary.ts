/** Enumerated labels of the hazards area (merged into VOCABULARY in ../vocabulary.ts). */
export const HAZARD_VOCABULARY = {
  /** the ledger's `sort` (HAZARD_SORTS in rectification/dto/rectification.dto.ts) */
  hazardSort: {
    '-found': { zh: '发现日期（最新在前）', en: 'found (newest first)' },
    found: { zh: '发现日期（最早在前）', en: 'found (oldest first)' },
    due: { zh: '整改期限（最近在前）', en: 'due date (soonest first)' },
    '-due': { zh: '整改期限（最晚在前）', en: 'due date (latest first)' },
    institution: { zh: '机构名称', en: 'institution name' },
    severity: { zh: '等级（重大隐患在前）', en: 'severity (major first)' },
  },
  /** the hazard page's timeline: the audit actions of a hazard's story that are not moves on the hazard itself */
  hazardTimelineEvent: {
    'notice.issue': { zh: '下达整改通知书', en: 'notice issued' },
    'notice.acknowledge': { zh: '机构签收通知书', en: 'notice acknowledged' },
    'hazard.reinspection_schedule': { zh: '安排现场复查', en: 're-inspection scheduled' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
