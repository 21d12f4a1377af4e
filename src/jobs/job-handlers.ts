import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Job, UnrecoverableError } from 'bullmq';
import { JOB_NAMES, JobName, QUEUE_NAMES, QueueName } from '../outbox/job-names';
import { ON_JOB, OnJobOptions } from '../outbox/on-job.decorator';

interface DiscoveredHandler {
  queue: QueueName;
  name: JobName;
  /** `Class.method (Module)`, for messages. */
  where: string;
  run: (data: unknown, job: Job) => Promise<unknown>;
}

/** Thrown at boot when the declared handlers do not cover every job exactly once. */
export class JobHandlersError extends Error {}

/**
 * Finds every `@OnJob` handler at boot (immich's job repository `setup()`): each job name must have exactly one,
 * on a known queue, or the app does not start. The processors dispatch through here; the relay and the schedules
 * ask it which queue a job runs on.
 */
@Injectable()
export class JobHandlers implements OnModuleInit {
  private handlers = new Map<JobName, DiscoveredHandler>();

  constructor(private readonly discovery: DiscoveryService, private readonly scanner: MetadataScanner, private readonly reflector: Reflector) {}

  onModuleInit(): void {
    this.handlers = resolveHandlers(this.discover());
  }

  private discover(): DiscoveredHandler[] {
    const found: DiscoveredHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const key of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[key] as ((...args: unknown[]) => unknown) | undefined;
        const options = method && this.reflector.get<OnJobOptions | undefined>(ON_JOB, method);
        if (!options) continue;
        found.push({
          queue: options.queue, name: options.name, where: `${instance.constructor.name}.${key} (${wrapper.host?.name ?? '?'})`,
          run: async (data, job) => method.call(instance, data, { id: job.id, name: job.name, timestamp: job.timestamp, attemptsMade: job.attemptsMade }),
        });
      }
    }
    return found;
  }

  /** The queue a job runs on (as its handler declares). */
  queueOf(name: JobName): QueueName {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler for job ${name}`);
    return handler.queue;
  }

  /** Runs the job's handler; a job this queue has no handler for fails at once (no retries). */
  async run(queue: QueueName, job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler || handler.queue !== queue) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
    return handler.run(job.data, job);
  }
}

/** Checks the discovered handlers: every job exactly once, on a known queue; throws one error listing every problem. */
export function resolveHandlers(found: DiscoveredHandler[]): Map<JobName, DiscoveredHandler> {
  const problems: string[] = [];
  const byName = new Map<JobName, DiscoveredHandler[]>();
  for (const h of found) {
    if (!JOB_NAMES.includes(h.name)) problems.push(`${h.where} handles unknown job '${h.name}'`);
    else if (!QUEUE_NAMES.includes(h.queue)) problems.push(`${h.where} declares unknown queue '${h.queue}' for job '${h.name}'`);
    else byName.set(h.name, [...(byName.get(h.name) ?? []), h]);
  }
  for (const name of JOB_NAMES) {
    const handlers = byName.get(name) ?? [];
    if (!handlers.length) problems.push(`job '${name}' has no handler (declare one with @OnJob({ queue, name: '${name}' }) on a provider)`);
    if (handlers.length > 1) problems.push(`job '${name}' has ${handlers.length} handlers: ${handlers.map((h) => h.where).join(', ')}`);
  }
  if (problems.length) throw new JobHandlersError(`the queue's job handlers are not in order:\n  - ${problems.join('\n  - ')}`);
  return new Map([...byName].map(([name, [h]]) => [name, h]));
}
