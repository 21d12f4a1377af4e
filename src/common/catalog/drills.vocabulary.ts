/** Enumerated labels of 演练与培训 (drills and training records) (merged into VOCABULARY in ../vocabulary.ts). */
export const DRILL_VOCABULARY = {
  /** drill.kind (DRILL_KINDS) */
  drillKind: {
    fire_evacuation: { zh: '消防疏散演练', en: 'fire evacuation drill' },
    night_drill: { zh: '夜间疏散演练', en: 'night-time evacuation drill' },
    gas_leak: { zh: '燃气泄漏处置演练', en: 'gas leak drill' },
    power_outage: { zh: '停电应急演练', en: 'power outage drill' },
    earthquake: { zh: '地震避险演练', en: 'earthquake drill' },
    flood: { zh: '防汛避险演练', en: 'flood drill' },
    food_poisoning: { zh: '食物中毒处置演练', en: 'food poisoning drill' },
    other: { zh: '其他应急演练', en: 'other emergency drill' },
  },
  /** drill.form (DRILL_FORMS) */
  drillForm: {
    live: { zh: '实战演练', en: 'live drill' },
    tabletop: { zh: '桌面推演', en: 'tabletop exercise' },
  },
  /** staff_training.topic (TRAINING_TOPICS) */
  trainingTopic: {
    fire_safety: { zh: '消防安全知识', en: 'fire safety' },
    evacuation: { zh: '疏散引导与转移', en: 'evacuation and moving residents' },
    first_aid: { zh: '急救技能', en: 'first aid' },
    gas_safety: { zh: '燃气安全', en: 'gas safety' },
    emergency_plan: { zh: '应急预案', en: 'emergency plan' },
    other: { zh: '其他', en: 'other' },
  },
  /** DrillState (drillStatus) */
  drillState: {
    not_started: { zh: '未到首次演练期限', en: 'not yet due' },
    ok: { zh: '按期', en: 'on schedule' },
    due: { zh: '即将到期', en: 'due soon' },
    missed: { zh: '逾期未演练', en: 'missed' },
  },
  /** residents evacuated, by care level (EVACUATED_LEVELS) */
  evacuatedLevel: {
    selfCare: { zh: '自理老人', en: 'self-care residents' },
    mildlyDisabled: { zh: '轻度失能老人', en: 'mildly disabled residents' },
    moderatelyDisabled: { zh: '中度失能老人', en: 'moderately disabled residents' },
    severelyDisabled: { zh: '重度失能老人', en: 'severely disabled residents' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
