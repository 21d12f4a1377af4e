/** Enumerated labels of 投诉举报 (public complaints and their triage) (merged into VOCABULARY in ../vocabulary.ts). */
export const COMPLAINT_VOCABULARY = {
  /** complaint.category (src/complaints/domain/complaint.ts COMPLAINT_CATEGORIES) */
  complaintCategory: {
    fire_safety: { zh: '消防安全', en: 'Fire safety' },
    food_safety: { zh: '食品安全', en: 'Food safety' },
    care_quality: { zh: '照护服务质量', en: 'Quality of care' },
    elder_rights: { zh: '侵害老年人权益', en: 'Harm to residents\' rights' },
    facilities: { zh: '设施设备安全', en: 'Facilities and equipment' },
    fees: { zh: '收费问题', en: 'Fees' },
    other: { zh: '其他', en: 'Other' },
  },
  /** complaint.status (COMPLAINT_STATUSES) */
  complaintStatus: {
    received: { zh: '待受理', en: 'Received' },
    accepted: { zh: '已受理，办理中', en: 'Accepted, in hand' },
    merged: { zh: '已合并办理', en: 'Merged with another complaint' },
    referred: { zh: '已转办', en: 'Referred to another agency' },
    rejected: { zh: '不予受理', en: 'Not accepted' },
    replied: { zh: '已答复', en: 'Answered' },
  },
  /** the bureau's actions on a complaint (COMPLAINT_ACTIONS; audit actions complaint.<action>) */
  complaintAction: {
    accept: { zh: '受理', en: 'Accept' },
    merge: { zh: '合并重复投诉', en: 'Merge as duplicate' },
    refer: { zh: '转办其他部门', en: 'Refer to another agency' },
    reject: { zh: '不予受理', en: 'Reject' },
    open_inspection: { zh: '发起投诉核查', en: 'Open a complaint inspection' },
    reply: { zh: '答复投诉人', en: 'Reply to the complainant' },
  },
  /** which deadline a complaint has missed (src/complaints/domain/deadlines.ts overdueKind) */
  complaintOverdue: {
    triage: { zh: '受理逾期', en: 'Triage overdue' },
    reply: { zh: '答复逾期', en: 'Reply overdue' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
