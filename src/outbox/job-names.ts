/**
 * The work that can be queued: queue names, job names and each job's payload. Features name jobs from here (to write
 * them to the outbox, or to declare their handler with `@OnJob`); nothing here knows which service handles what —
 * the jobs module discovers that at boot.
 */
export const MAINTENANCE_QUEUE = 'maintenance';
export const REPORTS_QUEUE = 'reports';
export type QueueName = typeof MAINTENANCE_QUEUE | typeof REPORTS_QUEUE;
export const QUEUE_NAMES: readonly QueueName[] = [MAINTENANCE_QUEUE, REPORTS_QUEUE];

export const JOBS = {
  auditVerify: 'audit.verify',
  inspectionReport: 'inspection.report',
  noticePdf: 'notice.pdf',
  hazardsSweep: 'hazards.sweep',
  scoreRecompute: 'score.recompute',
  documentsSweep: 'documents.sweep',
  hazardSummaries: 'hazards.summaries',
  notificationsDeliver: 'notifications.deliver',
  gradesExpiring: 'grades.expiring',
  partitionsEnsure: 'partitions.ensure', // 分区维护 (src/partitions)
  registersExpiring: 'registers.expiring', // 证书与法定检测到期提醒 (src/registers)
  devicesSweep: 'devices.sweep', // 报警超时升级、设备离线超时 (src/devices)
} as const;

/** The payload of each job (what the outbox row or the schedule carries). */
export interface JobPayloads {
  /** 审计链校验: the whole chain, nightly or on request. */
  'audit.verify': Record<string, never>;
  /** 检查记录 PDF of a submitted inspection. */
  'inspection.report': { inspectionId: string };
  /** 整改通知书 PDF. */
  'notice.pdf': { noticeId: string };
  /** Overdue escalation and reminders, as of `at` (a scheduled run: its scheduled time). */
  'hazards.sweep': { at?: string };
  'score.recompute': { institutionId: string };
  /** Stuck or failed document renders, as of the job's time. */
  'documents.sweep': Record<string, never>;
  /** The dashboard's hazard summaries: day-count deltas folded, recent findings' previous findings derived again. */
  'hazards.summaries': Record<string, never>;
  /** Pending SMS / e-mail deliveries drained through the configured adapter (NOTIFY_ADAPTER). */
  'notifications.deliver': Record<string, never>;
  /** Institutions told that their grade's validity ends soon, as of `at` (a scheduled run: its scheduled time). */
  'grades.expiring': { at?: string };
  /** The history tables' monthly partitions created ahead (the current month and 3 more). */
  'partitions.ensure': Record<string, never>;
  /** Certificates and statutory tests expiring within the policy's alert days (30 and 7), as of `at`. */
  'registers.expiring': { at?: string };
  /** Unconfirmed alarms past their duty clock escalated once, impaired devices reported once, as of `at`. */
  'devices.sweep': { at?: string };
}

export type JobName = keyof JobPayloads;
export const JOB_NAMES = Object.values(JOBS) as JobName[];

/** What a handler may know about the job it runs, besides its payload. */
export interface JobContext {
  id?: string;
  name: JobName;
  /** When the job was created (a scheduled job: its scheduled time), in ms. */
  timestamp: number;
  attemptsMade: number;
}
