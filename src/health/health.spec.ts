import { healthVerdict } from './health';

const now = new Date('2026-12-01T02:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const queue = (workers: number) => ({ waiting: 3, active: 1, failed: 0, delayed: 0, workers });
const base = {
  database: true, queues: { maintenance: queue(1), reports: queue(1) }, now, backlogMinutes: 10,
  documents: { pending: 2, failed: 0, failedFinal: 0, oldestPendingAt: ago(1) }, outbox: { pending: 1, oldestAt: ago(0.5) },
};

describe('/health verdict', () => {
  it('is ok with workers connected and a young backlog, and reports depth and ages', () => {
    expect(healthVerdict(base)).toEqual({
      status: 'ok', database: 'up', queue: 'up', reasons: [], queues: base.queues,
      documents: { pending: 2, failed: 0, failedFinal: 0, oldestPendingSeconds: 60 }, outbox: { pending: 1, oldestSeconds: 30 },
    });
  });

  it('is degraded with a reason for each problem', () => {
    expect(healthVerdict({ ...base, queues: { maintenance: queue(1), reports: queue(0) } }).reasons).toEqual(['workers.none']);
    expect(healthVerdict({ ...base, documents: { ...base.documents, oldestPendingAt: ago(11) } }).reasons).toEqual(['documents.stale']);
    expect(healthVerdict({ ...base, documents: { ...base.documents, failed: 1, failedFinal: 1 } }).reasons).toEqual(['documents.failed']);
    expect(healthVerdict({ ...base, outbox: { pending: 40, oldestAt: ago(12) } }).reasons).toEqual(['outbox.backlog']);
    const down = healthVerdict({ ...base, database: false, queues: null, documents: null, outbox: null });
    expect(down).toMatchObject({ status: 'degraded', database: 'down', queue: 'down', reasons: ['database.down', 'queue.down'], documents: null });
  });

  it('does not count a failed render that will be retried as degraded', () => {
    expect(healthVerdict({ ...base, documents: { ...base.documents, failed: 2, failedFinal: 0 } }).status).toBe('ok');
  });
});
