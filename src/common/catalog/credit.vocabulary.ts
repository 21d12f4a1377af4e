/** Enumerated labels of 信用评价 (credit evaluation) (merged into VOCABULARY in ../vocabulary.ts). */
export const CREDIT_VOCABULARY = {
  /** CREDIT_LEVELS of checklists/credit-rules.yaml */
  creditLevel: {
    A: { zh: 'A 级', en: 'level A' },
    B: { zh: 'B 级', en: 'level B' },
    C: { zh: 'C 级', en: 'level C' },
    D: { zh: 'D 级', en: 'level D' },
  },
  /** credit_dishonesty_decision.status (DISHONESTY_STATUSES) */
  dishonestyStatus: {
    decided: { zh: '已认定', en: 'decided' },
    objected: { zh: '申辩中', en: 'objection filed' },
    upheld: { zh: '申辩未采纳（维持认定）', en: 'upheld' },
    withdrawn: { zh: '已撤销认定', en: 'withdrawn' },
    repaired: { zh: '已信用修复', en: 'credit repaired' },
  },
  /** the facts a credit rule counts (CREDIT_FACT_KINDS) */
  creditFactKind: {
    overdue_hazard: { zh: '隐患逾期未整改', en: 'overdue hazard' },
    repeated_hazard: { zh: '同一隐患重复出现', en: 'repeated hazard' },
    major_hazard: { zh: '重大事故隐患', en: 'confirmed major hazard' },
    objection_lost: { zh: '申辩未被采纳', en: 'objection rejected' },
    complaint_upheld: { zh: '投诉经核查属实', en: 'complaint upheld' },
    incident: { zh: '突发事件', en: 'incident' },
    incident_late: { zh: '突发事件迟报', en: 'incident reported late' },
    falsified_facts: { zh: '虚报床位', en: 'beds overstated' },
    self_hazard_closed: { zh: '自查隐患按期整改', en: 'self-reported hazard closed' },
    drill_on_time: { zh: '按期实战演练', en: 'drill on time' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
