import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Job } from 'bullmq';
import { JobContext, JOBS, MAINTENANCE_QUEUE, REPORTS_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { JobHandlers } from './job-handlers';
import { isFinalFailure } from './jobs.processor';

@Injectable()
class Renders {
  readonly seen: unknown[] = [];
  @OnJob({ queue: REPORTS_QUEUE, name: JOBS.inspectionReport })
  report(data: { inspectionId: string }, job: JobContext) {
    this.seen.push([data.inspectionId, job.id]);
    return { rendered: true };
  }
  @OnJob({ queue: REPORTS_QUEUE, name: JOBS.noticePdf })
  notice() {}
}

@Injectable()
class Maintenance {
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.auditVerify }) audit() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.hazardsSweep }) hazards() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.scoreRecompute }) score() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.hazardSummaries }) summaries() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.notificationsDeliver }) deliveries() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.gradesExpiring }) grades() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.partitionsEnsure }) partitions() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.registersExpiring }) registers() {}
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.devicesSweep }) devices() {}
}

@Injectable()
class Documents {
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.documentsSweep }) sweep() {}
}

@Injectable()
class SecondDocuments {
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.documentsSweep }) alsoSweep() {}
}

@Module({ providers: [Renders, Maintenance] })
class FeatureModule {}

async function boot(...providers: (new (...args: never[]) => unknown)[]) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule, FeatureModule], providers: [JobHandlers, ...providers] }).compile();
  return moduleRef.init();
}

const job = (name: string, data: object) => ({ id: 'j1', name, data, timestamp: 0, attemptsMade: 0 }) as unknown as Job;

describe('job handlers discovered at boot', () => {
  it('finds the handler each feature declares and runs it with the typed payload', async () => {
    const app = await boot(Documents);
    const handlers = app.get(JobHandlers);
    expect(handlers.queueOf(JOBS.noticePdf)).toBe(REPORTS_QUEUE);
    expect(handlers.queueOf(JOBS.documentsSweep)).toBe(MAINTENANCE_QUEUE);
    await expect(handlers.run(REPORTS_QUEUE, job(JOBS.inspectionReport, { inspectionId: 'i1' }))).resolves.toEqual({ rendered: true });
    expect(app.get(Renders).seen).toEqual([['i1', 'j1']]);
    await app.close();
  });

  it('fails a job sent to a queue its handler is not on, or with no handler, at once (unrecoverable)', async () => {
    const app = await boot(Documents);
    const handlers = app.get(JobHandlers);
    await expect(handlers.run(MAINTENANCE_QUEUE, job(JOBS.noticePdf, { noticeId: 'n' }))).rejects.toMatchObject({ name: 'UnrecoverableError' });
    await expect(handlers.run(REPORTS_QUEUE, job('nothing.here', {}))).rejects.toThrow('no handler for job nothing.here on queue reports');
    await app.close();
  });

  it('refuses to start when a job has no handler', async () => {
    await expect(boot()).rejects.toThrow(/job 'documents\.sweep' has no handler/);
  });

  it('refuses to start when a job has two handlers, naming both', async () => {
    await expect(boot(Documents, SecondDocuments)).rejects.toThrow(/job 'documents\.sweep' has 2 handlers: Documents\.sweep .*, SecondDocuments\.alsoSweep/);
  });
});

describe('the last attempt of a job', () => {
  const opts = { attempts: 3 };
  it('is the one with no attempt left, an unrecoverable failure, or a job already finished (stalled too often)', () => {
    expect(isFinalFailure({ attemptsMade: 1, opts, finishedOn: undefined }, new Error('x'))).toBe(false);
    expect(isFinalFailure({ attemptsMade: 3, opts, finishedOn: undefined }, new Error('x'))).toBe(true);
    expect(isFinalFailure({ attemptsMade: 1, opts, finishedOn: undefined }, Object.assign(new Error('x'), { name: 'UnrecoverableError' }))).toBe(true);
    expect(isFinalFailure({ attemptsMade: 0, opts, finishedOn: Date.now() }, undefined)).toBe(true);
  });
});
