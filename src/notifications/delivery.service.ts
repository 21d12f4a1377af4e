import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobContext, JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { DELIVERY_ADAPTER, DeliveryAdapter, DeliveryOutcome } from './delivery-adapter';
import {
  DELIVERY_BATCH_SIZE, DELIVERY_LEASE_MARGIN_MS, DELIVERY_LEASE_MINUTES, DELIVERY_MAX_AGE_HOURS, DELIVERY_MAX_ATTEMPTS, DELIVERY_MAX_BATCHES, normalizeOutcome, retryAt,
} from './delivery-policy';
import { NotificationsRepository } from './notifications.repository';

export interface DrainResult {
  sent: number;
  failed: number;
  retrying: number;
  expired: number;
}

/**
 * Drains notification_delivery: every minute, the pending SMS / e-mail rows go to the configured adapter in
 * batches. A batch is claimed with a lease and committed at once (SKIP LOCKED, so two workers never claim the same
 * row; no lock is held while sending); each row is then sent and its outcome recorded on its own — sent, failed with
 * the reason, or pending again after a back-off. A worker that stops mid-batch leaves its rows to be claimed again
 * when the lease ends, so an adapter must be idempotent on the delivery id (docs/notifications.md).
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: NotificationsRepository,
    @Inject(DELIVERY_ADAPTER) private readonly adapter: DeliveryAdapter,
  ) {}

  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.notificationsDeliver })
  deliverJob(_data: unknown, _job: JobContext): Promise<DrainResult> {
    return this.drain(new Date());
  }

  async drain(at: Date = new Date(), batchSize = DELIVERY_BATCH_SIZE): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, failed: 0, retrying: 0, expired: 0 };
    const em = this.dataSource.manager;
    result.expired = await this.repo.expirePending(em, new Date(at.getTime() - DELIVERY_MAX_AGE_HOURS * 3600_000), at, DELIVERY_MAX_ATTEMPTS);
    const started = Date.now();
    for (let batch = 0; batch < DELIVERY_MAX_BATCHES; batch++) {
      // The lease runs from this batch's claim (`at` moved on by the time this run has taken so far).
      const claimedAt = Date.now();
      const leaseUntil = new Date(at.getTime() + (claimedAt - started) + DELIVERY_LEASE_MINUTES * 60_000);
      const due = await this.repo.claimBatch(em, at, leaseUntil, batchSize);
      for (let i = 0; i < due.length; i++) {
        if (Date.now() - claimedAt > DELIVERY_LEASE_MINUTES * 60_000 - DELIVERY_LEASE_MARGIN_MS) {
          // A slow gateway: the rest of the batch goes back before its lease ends (another run takes it then).
          await this.repo.releaseClaimed(em, due.slice(i).map((d) => d.id), leaseUntil).catch((e: unknown) => this.logger.warn(`release of deliveries failed: ${(e as Error)?.message ?? e}`));
          this.logRun(result);
          return result;
        }
        const d = due[i];
        const outcome = normalizeOutcome(await this.adapter.send(d).catch((e: unknown): DeliveryOutcome => ({ status: 'failed', reason: `adapter error: ${(e as Error)?.message ?? e}`, retryable: true })));
        const again = outcome.status === 'failed' ? retryAt(d.attempts, at, outcome.retryable ?? false) : null;
        try {
          await this.repo.recordOutcome(em, d.id, leaseUntil, this.adapter.name, outcome, new Date(), again);
        } catch (e) {
          // Not recorded: the row stays claimed until its lease ends, then it is tried again (adapters are idempotent on the id).
          this.logger.error(`delivery #${d.id}: outcome ${outcome.status} not recorded: ${(e as Error)?.message ?? e}`);
          continue;
        }
        if (outcome.status === 'sent') result.sent++;
        else if (again) result.retrying++;
        else result.failed++;
      }
      if (due.length < batchSize) break;
    }
    this.logRun(result);
    return result;
  }

  private logRun(result: DrainResult): void {
    if (result.sent || result.failed || result.retrying || result.expired) {
      this.logger.log(`deliveries via ${this.adapter.name}: ${result.sent} sent, ${result.failed} failed, ${result.retrying} to retry, ${result.expired} expired`);
    }
  }
}
