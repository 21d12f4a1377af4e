/** Enumerated labels of team inspections (per-item draft merge, conflicts) (merged into VOCABULARY in ../vocabulary.ts). */
export const TEAM_VOCABULARY = {
  /** inspection_draft_conflict.status */
  draftConflictStatus: {
    open: { zh: '待选定', en: 'open' },
    resolved: { zh: '已选定', en: 'resolved' },
    agreed: { zh: '已一致', en: 'agreed' },
  },
  /** audit_event.action of team drafts (InspectionsService draft methods) */
  teamAuditAction: {
    'inspection.draft_conflict': { zh: '检查组答案冲突', en: 'team answers conflict' },
    'inspection.draft_conflict_agreed': { zh: '冲突答案已一致', en: 'conflicting answers came to agree' },
    'inspection.draft_resolve': { zh: '选定冲突答案', en: 'answer conflict resolved' },
    'inspection.assign_sections': { zh: '检查组分工', en: 'sections assigned' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
