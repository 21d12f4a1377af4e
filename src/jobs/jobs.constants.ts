/** Queue and job names, and their options, in one place. */
export const MAINTENANCE_QUEUE = 'maintenance';
export const REPORTS_QUEUE = 'reports';

export const JOBS = {
  auditVerify: 'audit.verify',
  inspectionReport: 'inspection.report',
  noticePdf: 'notice.pdf',
  hazardsSweep: 'hazards.sweep',
  scoreRecompute: 'score.recompute',
} as const;

/** Outbox topics and the queue job each becomes. */
export const TOPIC_ROUTES = {
  'inspection.report': { queue: REPORTS_QUEUE, job: JOBS.inspectionReport },
  'notice.pdf': { queue: REPORTS_QUEUE, job: JOBS.noticePdf },
  'score.recompute': { queue: MAINTENANCE_QUEUE, job: JOBS.scoreRecompute },
} as const;

export const SCHEDULES = {
  /** Every night at 02:30 China time the audit chain is recomputed. */
  auditVerifyNightly: { id: 'audit-verify-nightly', pattern: '0 30 2 * * *', tz: 'Asia/Shanghai' },
  /** Every hour: overdue hazards are escalated (once each) and deadline reminders sent. */
  hazardsSweepHourly: { id: 'hazards-sweep-hourly', pattern: '0 5 * * * *', tz: 'Asia/Shanghai' },
} as const;
