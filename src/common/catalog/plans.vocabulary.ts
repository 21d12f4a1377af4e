/** Enumerated labels of the plans area (merged into VOCABULARY in ../vocabulary.ts). */
export const PLAN_VOCABULARY = {
  /**
   * inspection_plan.kind (PLAN_KINDS): the kinds a plan may have — the inspection kinds without 复查, and with
   * 专项整治 (`special`, added in issue 13; inspectionKind in vocabulary.ts needs it too).
   */
  planKind: {
    routine: { zh: '日常检查', en: 'routine inspection' },
    random: { zh: '双随机抽查', en: 'random draw inspection' },
    joint: { zh: '联合检查', en: 'joint inspection' },
    special: { zh: '专项整治', en: 'special campaign' },
    complaint: { zh: '投诉核查', en: 'complaint inspection' },
  },
  /** inspection_plan.status */
  planStatus: {
    drawn: { zh: '已抽取，未公示', en: 'drawn, not published' },
    published: { zh: '已公示', en: 'published' },
  },
  /** inspection_plan.joint_agencies (JOINT_AGENCIES) */
  jointAgency: {
    fire: { zh: '消防救援', en: 'fire and rescue' },
    market: { zh: '市场监管', en: 'market regulation' },
    health: { zh: '卫生健康', en: 'health' },
    housing: { zh: '住房城乡建设', en: 'housing and construction' },
  },
  /** the risk band of an institution for planning (RISK_LEVELS): its current safety score */
  riskLevel: {
    high: { zh: '高风险（安全分低于 60）', en: 'high risk (safety score below 60)' },
    elevated: { zh: '较高风险（安全分 60–79.9）', en: 'elevated risk (safety score 60–79.9)' },
    normal: { zh: '一般风险（安全分 80 及以上）', en: 'normal risk (safety score 80 or more)' },
    unscored: { zh: '尚无安全分', en: 'not yet scored' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
