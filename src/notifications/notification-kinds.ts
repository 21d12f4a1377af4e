import { formatChineseDate } from '../common/calendar';

/**
 * 通知类型 — every kind of in-app notification the product writes, and who it is addressed to. The labels are in
 * common/catalog/notifications.vocabulary.ts (`notificationKind`); the producers are the services where the event
 * happens (rectification, major hazards, scoring, plans), each in the transaction of the event, once per dedup key.
 */
export const NOTIFICATION_KINDS = [
  /** 整改通知书已下达 → the institution */
  'notice.issued',
  /** 整改期限临近 (the hazard's policy `reminders.daysBefore`, product default 3 and 1 days) → the institution */
  'hazard.reminder',
  /** 整改被退回 → the institution */
  'hazard.returned',
  /** 复核通过、销号 → the institution */
  'hazard.closed',
  /** 逾期未整改 → the bureau and the institution */
  'hazard.overdue',
  /** 机构已提交整改情况，待复核 → the bureau */
  'hazard.responded',
  /** 重大隐患挂牌督办 → the bureau */
  'hazard.listed',
  /** 认定为重大隐患 → the institution */
  'hazard.major_confirmed',
  /** 不认定为重大隐患 → the institution */
  'hazard.major_downgraded',
  /** 疑似重大隐患逾期未认定 → the bureau */
  'hazard.major_decision_late',
  /** 延期申请已审批 → the institution */
  'extension.decided',
  /** 陈述申辩已处理 → the institution */
  'objection.decided',
  /** 等级评定有效期即将届满 → the institution */
  'grade.expiring',
  /** 新的检查任务 → each inspector of the team (audience 'user') */
  'inspection.assigned',
  /** 证书或法定检测即将到期 (registers.expiryAlertDays, product default 30 and 7 days) → the institution and the bureau */
  'register.expiring',
  /** 机构报告突发事件 → the bureau */
  'incident.reported',
  /** 物联网报警，请值班人员确认 (devices.alarmConfirmMinutes) → the institution */
  'alarm.raised',
  /** 报警超时未确认，已上报 → the bureau (its on-call inbox) and the institution */
  'alarm.escalated',
  /** 设备离线或故障超时 (devices.impairmentHours) → the institution and the bureau */
  'device.impaired',
  /** 设备频繁误报，需维保 (devices.falseAlarmsForMaintenance) → the institution */
  'device.maintenance',
  /** 检查已提交，请评价 (检查码, issue 17) → the inspected institution */
  'inspection.rating_invited',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Who a notification is addressed to: one institution's accounts, the bureau accounts of a division subtree, or one account. */
export const NOTIFICATION_AUDIENCES = ['institution', 'bureau', 'user'] as const;
export type NotificationAudience = (typeof NOTIFICATION_AUDIENCES)[number];

/**
 * How many days before a grade's validity ends the institution is told. A product default, not a regulation's
 * figure (no source sets a lead time); the bureau's grades page flags 90 days.
 */
export const GRADE_EXPIRY_NOTICE_DAYS = 30;

/**
 * 等级即将到期 — the notification's text. It names the end date (not "还有 N 天", which would be wrong the day after
 * it was written) and asks only to watch the validity: what a re-assessment takes is for the local rules to say.
 */
export function gradeExpiringText(gradeLabel: string, validTo: string): { title: string; body: string } {
  return {
    title: `等级评定将于 ${formatChineseDate(validTo)} 到期`,
    body: `现评定等级：${gradeLabel}，有效期至 ${formatChineseDate(validTo)}。请关注等级有效期，按当地规定办理重新评定。`,
  };
}

/**
 * Where a notification leads: the page of the object it is about (null: no page for this viewer). 等级即将到期 is
 * addressed to the institution, whose grade and validity are on its workspace's 安全评分 page.
 */
export function notificationHref(entityType: string, entityId: string, kind?: string): string | null {
  if (kind === 'grade.expiring') return '/workspace/score';
  if (kind === 'register.expiring') return `/institutions/${entityId}/registers`;
  if (kind === 'inspection.rating_invited') return `/inspection-codes/visits/${entityId}`;
  switch (entityType) {
    case 'notice': return `/notices/${entityId}`;
    case 'hazard': return `/hazards/${entityId}`;
    case 'inspection': return `/inspections/${entityId}`;
    case 'institution': return `/institutions/${entityId}`;
    case 'grade_assessment': return `/grades/${entityId}`;
    case 'incident': return `/incidents/${entityId}`;
    case 'device_alarm': return `/alarms/${entityId}`;
    case 'device': return `/devices/${entityId}`;
    default: return null;
  }
}
