/** Enumerated labels of 突发事件报告 (incident reports) (merged into VOCABULARY in ../vocabulary.ts). */
export const INCIDENT_VOCABULARY = {
  /** incident.type (INCIDENT_TYPES, 民发〔2025〕32号) */
  incidentType: {
    natural_disaster: { zh: '自然灾害', en: 'natural disaster' },
    accident: { zh: '事故灾难', en: 'accident' },
    public_health: { zh: '公共卫生事件', en: 'public health event' },
    social_security: { zh: '社会安全事件', en: 'social security event' },
  },
  /** incident.grade (INCIDENT_GRADES) */
  incidentGrade: {
    general: { zh: '一般', en: 'general' },
    larger: { zh: '较大', en: 'larger' },
    major: { zh: '重大', en: 'major' },
    especially_major: { zh: '特别重大', en: 'especially major' },
  },
  /** incident.status (INCIDENT_STATUSES) */
  incidentStatus: {
    reported: { zh: '待确认', en: 'reported' },
    acknowledged: { zh: '已确认收到', en: 'acknowledged' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
