/** Queue and job names, and their options, in one place. */
export const MAINTENANCE_QUEUE = 'maintenance';

export const JOBS = {
  auditVerify: 'audit.verify',
} as const;

export const SCHEDULES = {
  /** Every night at 02:30 China time the audit chain is recomputed. */
  auditVerifyNightly: { id: 'audit-verify-nightly', pattern: '0 30 2 * * *', tz: 'Asia/Shanghai' },
} as const;
