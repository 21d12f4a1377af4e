import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Job, JobState, Queue } from 'bullmq';
import type { QueueName } from '../../src/outbox/job-names';

type WantedState = JobState | 'unknown';

export interface WaitForJobOptions {
  /** The state(s) to wait for; default `completed` (a job that fails for good instead throws, with its reason). */
  state?: WantedState | WantedState[];
  timeoutMs?: number;
}

const SCANNED: JobState[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'];

/**
 * Waits for a job on the app's queue — by id (e.g. `inspection-report-<id>`: ids are derived from the entity), or
 * the first job a predicate accepts — to reach a state, and returns it. A job still in the outbox simply is not on the
 * queue yet. Waiting for `completed`, a job that failed for good throws at once with BullMQ's reason, so a broken
 * render shows up as its error rather than as a timeout.
 */
export async function waitForJob(app: INestApplicationContext, queueName: QueueName, target: string | ((job: Job) => boolean), options: WaitForJobOptions = {}): Promise<Job> {
  const queue = app.get<Queue>(getQueueToken(queueName));
  const wanted = new Set<WantedState>(Array.isArray(options.state) ? options.state : [options.state ?? 'completed']);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const what = typeof target === 'string' ? `job ${target}` : 'a matching job';
  const until = Date.now() + timeoutMs;
  let last: WantedState | 'absent' = 'absent';
  for (;;) {
    const job = typeof target === 'string' ? await queue.getJob(target) : (await queue.getJobs(SCANNED)).find(target);
    if (job) {
      last = (await job.getState()) as WantedState;
      // The state is read after the job: fetch it again so a job that finished in between has its return value.
      if (wanted.has(last)) return (await queue.getJob(job.id!)) ?? job;
      if (last === 'failed' && wanted.has('completed') && !wanted.has('failed') && job.finishedOn) {
        throw new Error(`${what} on queue ${queueName} failed: ${job.failedReason}`);
      }
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} on queue ${queueName} to be ${[...wanted].join(' or ')} (last seen: ${last})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
