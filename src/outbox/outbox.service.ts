import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { JobName, JobPayloads } from './job-names';
import { OutboxRepository } from './outbox.repository';

export type OutboxEntry<N extends JobName = JobName> = { [K in N]: { name: K; jobId: string; payload: JobPayloads[K] } }[N];

/**
 * Queue work that must never be lost is written as an outbox row in the transaction of the change that causes it
 * (`add`), with a job id derived from the change so a row relayed twice still runs once. The relay in the jobs
 * module moves rows to the queue: periodically, and soon after `kick()`.
 */
@Injectable()
export class OutboxService {
  private readonly kickListeners = new Set<() => void>();

  constructor(private readonly repo: OutboxRepository) {}

  async add<N extends JobName>(em: EntityManager, name: N, jobId: string, payload: JobPayloads[N]): Promise<void> {
    await this.repo.insert(em, [{ name, jobId, payload }]);
  }

  /** Several rows in one statement (one round trip inside the caller's transaction). */
  async addMany(em: EntityManager, rows: OutboxEntry[]): Promise<void> {
    await this.repo.insert(em, rows);
  }

  /** Asks the relay to drain soon (call it after the commit); the periodic sweep catches anything a crash left behind. */
  kick(): void {
    for (const listener of this.kickListeners) listener();
  }

  /** The relay subscribes here; returns the unsubscribe function. */
  onKick(listener: () => void): () => void {
    this.kickListeners.add(listener);
    return () => this.kickListeners.delete(listener);
  }

  pendingAmong(jobIds: string[]): Promise<Set<string>> {
    return this.repo.pendingAmong(jobIds);
  }

  backlog(): Promise<{ pending: number; oldestAt: Date | null }> {
    return this.repo.backlog();
  }
}
