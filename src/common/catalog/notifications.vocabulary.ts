/** Enumerated labels of notifications for every role and delivery adapters (merged into VOCABULARY in ../vocabulary.ts). */
export const NOTIFICATION_VOCABULARY = {
  /** 通知类型 (src/notifications/notification-kinds.ts NOTIFICATION_KINDS) */
  notificationKind: {
    'notice.issued': { zh: '整改通知书', en: 'Rectification notice served' },
    'hazard.reminder': { zh: '期限提醒', en: 'Deadline reminder' },
    'hazard.returned': { zh: '整改退回', en: 'Rectification returned' },
    'hazard.closed': { zh: '已销号', en: 'Verified and closed' },
    'hazard.overdue': { zh: '逾期', en: 'Overdue' },
    'hazard.responded': { zh: '待复核', en: 'Awaiting verification' },
    'hazard.listed': { zh: '挂牌督办', en: 'Listed for supervision' },
    'hazard.major_confirmed': { zh: '重大隐患认定', en: 'Major hazard confirmed' },
    'hazard.major_downgraded': { zh: '不认定重大隐患', en: 'Not a major hazard' },
    'hazard.major_decision_late': { zh: '认定逾期', en: 'Major-hazard decision late' },
    'extension.decided': { zh: '延期审批', en: 'Extension decided' },
    'objection.decided': { zh: '陈述申辩处理', en: 'Objection decided' },
    'grade.expiring': { zh: '等级即将到期', en: 'Grade expiring' },
    'inspection.assigned': { zh: '检查任务', en: 'Inspection assigned' },
    'register.expiring': { zh: '证书/检测即将到期', en: 'Certificate or test expiring' },
    'incident.reported': { zh: '突发事件报告', en: 'Incident reported' },
    'alarm.raised': { zh: '物联网报警', en: 'Device alarm' },
    'alarm.escalated': { zh: '报警超时未确认', en: 'Alarm not confirmed in time' },
    'device.impaired': { zh: '设备离线或故障超时', en: 'Device impaired' },
    'device.maintenance': { zh: '设备频繁误报需维保', en: 'Device needs maintenance' },
    'inspection.rating_invited': { zh: '检查评价', en: 'Rate the inspection' },
  },
  /** 通知对象 (notification.audience) */
  notificationAudience: {
    institution: { zh: '机构', en: 'Institution' },
    bureau: { zh: '民政部门', en: 'Bureau' },
    user: { zh: '本人', en: 'Addressed to the account' },
  },
  /** 短信/邮件发送状态 (notification_delivery.status) */
  deliveryStatus: {
    pending: { zh: '待发送', en: 'Pending' },
    sent: { zh: '已发送', en: 'Sent' },
    failed: { zh: '发送失败', en: 'Failed' },
  },
} as const satisfies Record<string, Record<string, { readonly zh: string; readonly en: string }>>;
