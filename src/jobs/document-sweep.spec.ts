import { renderJobId, retryAt, sweepAction, UnrenderedDocument } from './document-sweep';

const policy = { staleMinutes: 5, retries: 3 };
const t0 = new Date('2026-12-01T02:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const pending = (over: Partial<UnrenderedDocument> = {}): UnrenderedDocument => ({ kind: 'inspection.report', id: 'x', status: 'pending', queuedAt: t0, failedAt: null, requeues: 0, ...over });
const failed = (over: Partial<UnrenderedDocument> = {}) => pending({ status: 'failed', failedAt: t0, ...over });

describe('the document render sweep', () => {
  it('leaves a pending document alone while it is young or its job is still queued or running', () => {
    expect(sweepAction(pending(), 'failed', minutes(4), policy)).toBe('leave');
    for (const state of ['outbox', 'waiting', 'active', 'delayed', 'prioritized'] as const) expect(sweepAction(pending(), state, minutes(60), policy)).toBe('leave');
  });

  it('marks failed a stale pending document whose job failed (a render stalled twice never reached the processor)', () => {
    expect(sweepAction(pending(), 'failed', minutes(6), policy)).toBe('mark-failed');
  });

  it('queues again a stale pending document whose job is gone, within the budget', () => {
    expect(sweepAction(pending(), 'unknown', minutes(6), policy)).toBe('requeue');
    expect(sweepAction(pending(), 'completed', minutes(6), policy)).toBe('requeue');
    expect(sweepAction(pending({ requeues: 3 }), 'unknown', minutes(6), policy)).toBe('mark-failed');
  });

  it('queues a failed document again after 5, 10, 20 minutes, three times, then leaves it failed', () => {
    expect(retryAt(failed(), policy)).toEqual(minutes(5));
    expect(retryAt(failed({ requeues: 1 }), policy)).toEqual(minutes(10));
    expect(retryAt(failed({ requeues: 2 }), policy)).toEqual(minutes(20));
    expect(retryAt(failed({ requeues: 3 }), policy)).toBeNull();
    expect(sweepAction(failed(), 'failed', minutes(4), policy)).toBe('leave');
    expect(sweepAction(failed(), 'failed', minutes(5), policy)).toBe('requeue');
    expect(sweepAction(failed({ requeues: 2 }), 'failed', minutes(19), policy)).toBe('leave');
    expect(sweepAction(failed({ requeues: 3 }), 'failed', minutes(600), policy)).toBe('leave');
    expect(sweepAction(failed(), 'failed', minutes(600), { ...policy, retries: 0 })).toBe('leave');
  });

  it('derives each render job id from the document and its re-queue count', () => {
    expect(renderJobId('inspection.report', 'a', 0)).toBe('inspection-report-a');
    expect(renderJobId('notice.pdf', 'b', 0)).toBe('notice-pdf-b');
    expect(renderJobId('notice.pdf', 'b', 2)).toBe('notice-pdf-b-r2');
  });
});
