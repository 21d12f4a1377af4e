/** Queue and job names, and their options, in one place. */
export const MAINTENANCE_QUEUE = 'maintenance';
export const REPORTS_QUEUE = 'reports';

export const JOBS = {
  auditVerify: 'audit.verify',
  inspectionReport: 'inspection.report',
  noticePdf: 'notice.pdf',
  hazardsSweep: 'hazards.sweep',
  scoreRecompute: 'score.recompute',
  documentsSweep: 'documents.sweep',
} as const;

/** How long one queue call made on behalf of a request, the relay or /health may take before it counts as failed. */
export const QUEUE_CALL_TIMEOUT_MS = 5_000;
/** How long closing the queues and workers may take before their connections are cut (Ctrl-C must end the process). */
export const QUEUE_CLOSE_TIMEOUT_MS = 4_000;

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
  /** Every minute: documents whose render is stuck (pending too long, or failed) are marked failed or queued again. */
  documentsSweep: { id: 'documents-sweep', pattern: '0 * * * * *', tz: 'Asia/Shanghai' },
} as const;

/** Each schedule and the job it runs. */
export const SCHEDULED_JOBS = [
  { schedule: SCHEDULES.auditVerifyNightly, job: JOBS.auditVerify },
  { schedule: SCHEDULES.hazardsSweepHourly, job: JOBS.hazardsSweep },
  { schedule: SCHEDULES.documentsSweep, job: JOBS.documentsSweep },
] as const;
