/** Queue and job names, and their options, in one place. */
export const MAINTENANCE_QUEUE = 'maintenance';
export const REPORTS_QUEUE = 'reports';

export const JOBS = {
  auditVerify: 'audit.verify',
  inspectionReport: 'inspection.report',
} as const;

/** Outbox topics and the queue job each becomes. */
export const TOPIC_ROUTES = {
  'inspection.report': { queue: REPORTS_QUEUE, job: JOBS.inspectionReport },
} as const;

export const SCHEDULES = {
  /** Every night at 02:30 China time the audit chain is recomputed. */
  auditVerifyNightly: { id: 'audit-verify-nightly', pattern: '0 30 2 * * *', tz: 'Asia/Shanghai' },
} as const;
