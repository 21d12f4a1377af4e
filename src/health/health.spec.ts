import type { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/env';
import type { DatabaseRoleCheck } from '../database/database-role-check';
import type { DocumentRendersService } from '../jobs/document-renders.service';
import type { JobsService } from '../jobs/jobs.service';
import { healthVerdict } from './health';
import { HealthController } from './health.controller';
import type { HealthRepository } from './health.repository';

const now = new Date('2026-12-01T02:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const queue = (workers: number) => ({ waiting: 3, active: 1, failed: 0, delayed: 0, workers });
const base = {
  database: true, queues: { maintenance: queue(1), reports: queue(1) }, now, backlogMinutes: 10,
  documents: { pending: 2, failed: 0, failedFinal: 0, oldestPendingAt: ago(1) }, outbox: { pending: 1, oldestAt: ago(0.5) },
  audit: { pending: 4, oldestAt: ago(0.25) },
};

describe('/health verdict', () => {
  it('is ok with workers connected and a young backlog, and reports depth and ages', () => {
    expect(healthVerdict(base)).toEqual({
      status: 'ok', database: 'up', queue: 'up', reasons: [], queues: base.queues,
      documents: { pending: 2, failed: 0, failedFinal: 0, oldestPendingSeconds: 60 }, outbox: { pending: 1, oldestSeconds: 30 },
      audit: { unsealed: 4, oldestUnsealedSeconds: 15 },
    });
  });

  it('warns, still ok, when the app connects as a superuser or the tables\' owner', () => {
    expect(healthVerdict({ ...base, privilegedDatabaseRole: true })).toMatchObject({ status: 'ok', reasons: [], warnings: ['database.privileged_role'] });
    expect(healthVerdict({ ...base, privilegedDatabaseRole: false }).warnings).toBeUndefined();
  });

  it('is degraded with a reason for each problem', () => {
    expect(healthVerdict({ ...base, queues: { maintenance: queue(1), reports: queue(0) } }).reasons).toEqual(['workers.none']);
    expect(healthVerdict({ ...base, documents: { ...base.documents, oldestPendingAt: ago(11) } }).reasons).toEqual(['documents.stale']);
    expect(healthVerdict({ ...base, documents: { ...base.documents, failed: 1, failedFinal: 1 } }).reasons).toEqual(['documents.failed']);
    expect(healthVerdict({ ...base, outbox: { pending: 40, oldestAt: ago(12) } }).reasons).toEqual(['outbox.backlog']);
    const down = healthVerdict({ ...base, database: false, queues: null, documents: null, outbox: null, audit: null });
    expect(down).toMatchObject({ status: 'degraded', database: 'down', queue: 'down', reasons: ['database.down', 'queue.down'], documents: null, audit: null });
  });

  it('is degraded with audit.unsealed when the oldest unsealed audit event is older than the backlog limit', () => {
    expect(healthVerdict({ ...base, audit: { pending: 120, oldestAt: ago(11) } })).toMatchObject({
      status: 'degraded', reasons: ['audit.unsealed'], audit: { unsealed: 120, oldestUnsealedSeconds: 660 },
    });
    // Many unsealed but young, or none at all: ok. A backlog that could not be measured (null) does not degrade.
    expect(healthVerdict({ ...base, audit: { pending: 5000, oldestAt: ago(9) } }).status).toBe('ok');
    expect(healthVerdict({ ...base, audit: { pending: 0, oldestAt: null } })).toMatchObject({ status: 'ok', audit: { unsealed: 0, oldestUnsealedSeconds: null } });
    expect(healthVerdict({ ...base, audit: null })).toMatchObject({ status: 'ok', audit: null });
  });

  it('does not count a failed render that will be retried as degraded', () => {
    expect(healthVerdict({ ...base, documents: { ...base.documents, failed: 2, failedFinal: 0 } }).status).toBe('ok');
  });
});

describe('/health controller', () => {
  it('answers without the audit backlog (audit: null, still ok) when sealingBacklog() fails', async () => {
    const controller = new HealthController(
      { HEALTH_BACKLOG_MINUTES: 10 } as AppConfig,
      { ping: async () => undefined } as unknown as HealthRepository,
      { status: async () => base.queues } as unknown as JobsService,
      { backlog: async () => ({ ...base.documents, oldestPendingAt: new Date() }), outboxBacklog: async () => ({ pending: 0, oldestAt: null }) } as unknown as DocumentRendersService,
      { privileged: () => false } as unknown as DatabaseRoleCheck,
      { sealingBacklog: async () => { throw new Error('audit_seal unreadable'); } } as unknown as AuditService,
    );
    const res = { status: jest.fn(), setHeader: jest.fn() };
    const report = await controller.health(res as never);
    expect(report).toMatchObject({ status: 'ok', database: 'up', reasons: [], audit: null });
    expect(res.status).toHaveBeenCalledWith(200);
  });
});
