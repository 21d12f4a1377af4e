import { JOBS } from '../outbox/job-names';

/** Queue and job names live beneath the features, in outbox/job-names.ts; re-exported for the queue wiring here. */
export { JOBS, MAINTENANCE_QUEUE, REPORTS_QUEUE } from '../outbox/job-names';

/** How long one queue call made on behalf of a request, the relay or /health may take before it counts as failed. */
export const QUEUE_CALL_TIMEOUT_MS = 5_000;
/** How long closing the queues and workers may take before their connections are cut (Ctrl-C must end the process). */
export const QUEUE_CLOSE_TIMEOUT_MS = 4_000;

/** Options of every job unless it says otherwise: 5 attempts with exponential back-off, kept a while for inspection. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export const SCHEDULES = {
  /** Every night at 02:30 China time the audit chain is recomputed. */
  auditVerifyNightly: { id: 'audit-verify-nightly', pattern: '0 30 2 * * *', tz: 'Asia/Shanghai' },
  /** Every hour: overdue hazards are escalated (once each) and deadline reminders sent. */
  hazardsSweepHourly: { id: 'hazards-sweep-hourly', pattern: '0 5 * * * *', tz: 'Asia/Shanghai' },
  /** Every minute: documents whose render is stuck (pending too long, or failed) are marked failed or queued again. */
  documentsSweep: { id: 'documents-sweep', pattern: '0 * * * * *', tz: 'Asia/Shanghai' },
  /** Every hour: the dashboard's hazard summaries are compacted and the last two days' repeat links checked. */
  hazardSummariesHourly: { id: 'hazard-summaries-hourly', pattern: '0 20 * * * *', tz: 'Asia/Shanghai' },
  /** Every minute: pending SMS / e-mail deliveries go to the gateway adapter in batches. */
  notificationsDeliver: { id: 'notifications-deliver', pattern: '30 * * * * *', tz: 'Asia/Shanghai' },
  /** Every morning at 08:10: institutions whose grade ends within 30 days are told (once per grade). */
  gradesExpiringDaily: { id: 'grades-expiring-daily', pattern: '0 10 8 * * *', tz: 'Asia/Shanghai' },
  /** Every night at 03:40: the monthly partitions of the history tables are created 3 months ahead (src/partitions). */
  partitionsEnsureDaily: { id: 'partitions-ensure-daily', pattern: '0 40 3 * * *', tz: 'Asia/Shanghai' },
  /** Every morning at 08:15: certificates and statutory tests expiring in 30 or 7 days are announced (once per threshold). */
  registersExpiringDaily: { id: 'registers-expiring-daily', pattern: '0 15 8 * * *', tz: 'Asia/Shanghai' },
  /** Every minute (at :45) the duty clocks of device alarms and the devices' impairments are swept. */
  devicesSweep: { id: 'devices-sweep', pattern: '45 * * * * *', tz: 'Asia/Shanghai' },
} as const;

/** Each schedule and the job it runs (on the queue its handler declares). */
export const SCHEDULED_JOBS = [
  { schedule: SCHEDULES.auditVerifyNightly, job: JOBS.auditVerify },
  { schedule: SCHEDULES.hazardsSweepHourly, job: JOBS.hazardsSweep },
  { schedule: SCHEDULES.documentsSweep, job: JOBS.documentsSweep },
  { schedule: SCHEDULES.hazardSummariesHourly, job: JOBS.hazardSummaries },
  { schedule: SCHEDULES.notificationsDeliver, job: JOBS.notificationsDeliver },
  { schedule: SCHEDULES.gradesExpiringDaily, job: JOBS.gradesExpiring },
  { schedule: SCHEDULES.partitionsEnsureDaily, job: JOBS.partitionsEnsure },
  { schedule: SCHEDULES.registersExpiringDaily, job: JOBS.registersExpiring },
  { schedule: SCHEDULES.devicesSweep, job: JOBS.devicesSweep },
] as const;
