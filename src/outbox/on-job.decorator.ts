import { SetMetadata } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobContext, JobName, JobPayloads, QueueName } from './job-names';

export const ON_JOB = 'yian:on-job';

export interface OnJobOptions<N extends JobName = JobName> {
  queue: QueueName;
  name: N;
}

/** A handler of job `N`: its payload, typed by name, and the job's context. */
export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: JobContext) => unknown;

/**
 * Declares the method as the handler of one job, on the service that owns the work (immich's `@OnJob`). The jobs
 * module finds every declaration at boot and refuses to start when a job has no handler or two.
 */
export function OnJob<N extends JobName>(options: OnJobOptions<N>) {
  return <H extends JobHandler<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    SetMetadata(ON_JOB, options)(target, key, descriptor);
  };
}

/** A failure that retrying cannot fix (the document is gone, the input is wrong): the job fails now, without retries. */
export function permanentJobFailure(message: string): Error {
  return new UnrecoverableError(message);
}
