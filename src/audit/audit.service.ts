import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { requestContext, SYSTEM_ACTOR } from '../common/request-context';
import { JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { ChainBreak, eventHash, GENESIS_HASH, StoredEvent, toPlainJson, verifyBatch } from './audit-chain';
import { endOfDay, addDays } from '../common/calendar';
import { pageOf, Page } from '../common/pagination';
import type { AuditEvent } from './audit-event.entity';
import { AuditQuery } from './dto/audit-query.dto';
import { AuditRepository, VerificationRecord } from './audit.repository';

/** 审计状态 — what the admin's home and the audit page show about a subtree's log. */
export interface AuditStatus {
  lastEventAt: Date | null;
  lastVerification: VerificationRecord | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  /** The division path the entity belongs to, so audit reads can be scoped like everything else. */
  scopePath: string | null;
  before?: unknown;
  after?: unknown;
}

export interface ChainReport {
  /** The chain is intact from the first event through the last one. */
  ok: boolean;
  /** Events verified intact (before the first break). */
  checked: number;
  firstBroken: ChainBreak | null;
}

/**
 * The chain as seen from one division subtree. The chain itself is city-wide (each event's hash covers the one
 * before it, whoever's it is), so it is always verified from the first event to the last; what is reported is
 * about the caller's events only: how many were verified, how many come at or after the first break (and so
 * cannot be vouched for), and which event broke when it is the caller's. A break in another subtree is reported
 * as such, without naming the event.
 */
export interface ScopedChainReport extends ChainReport {
  /** The division path the counts are about. */
  scopePath: string;
  /** Events of the subtree at or after the first break (0 when the chain is intact). */
  unverified: number;
  /** The first break is in an event outside the subtree (`firstBroken` is then null). */
  brokenOutsideScope: boolean;
}

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly audit: AuditRepository) {}

  /** Appends an event inside the caller's transaction; call it last, since it holds the chain lock until commit. */
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('audit events must be written inside the changing transaction');
    const prevHash = await this.audit.lockAndGetLastHash(em);
    const ctx = requestContext.get();
    const actor = ctx?.actor ?? SYSTEM_ACTOR;
    const occurredAt = new Date();
    const fields = {
      occurredAt: occurredAt.toISOString(), actorId: actor.userId, actorRole: actor.role, actorName: actor.username,
      action: entry.action, entityType: entry.entityType, entityId: entry.entityId, scopePath: entry.scopePath,
      before: toPlainJson(entry.before), after: toPlainJson(entry.after), requestId: ctx?.requestId ?? null,
    };
    await this.audit.insert(em, { ...fields, occurredAt, prevHash, hash: eventHash(prevHash, fields) });
  }

  /** The nightly (or requested) verification; a broken chain is logged as an error. */
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.auditVerify })
  async verifyJob(): Promise<ChainReport> {
    const report = await this.verifyChain();
    if (!report.ok) this.logger.error(`audit chain broken at event #${report.firstBroken?.id} (${report.firstBroken?.reason})`);
    return report;
  }

  /** Recomputes the whole chain in batches and names the first broken event (the CLI and the nightly job). */
  async verifyChain(batchSize = 2000): Promise<ChainReport> {
    const { ok, checked, firstBroken } = await this.walk(batchSize, () => true);
    return { ok, checked, firstBroken };
  }

  /** Recomputes the whole chain and reports on the events of one division subtree (see {@link ScopedChainReport}). */
  async verifyForScope(scopePath: string, batchSize = 2000): Promise<ScopedChainReport> {
    const inScope = (e: StoredEvent) => e.scopePath !== null && e.scopePath.startsWith(scopePath);
    const { ok, checked, firstBroken, brokenEvent } = await this.walk(batchSize, inScope);
    if (ok) return { ok, scopePath, checked, firstBroken: null, unverified: 0, brokenOutsideScope: false };
    const mine = inScope(brokenEvent!);
    return {
      ok, scopePath, checked, firstBroken: mine ? firstBroken : null, brokenOutsideScope: !mine,
      unverified: await this.audit.countInScopeFrom(firstBroken!.id, scopePath),
    };
  }

  /** A subtree's events, filtered (dates are Shanghai days, inclusive), newest first. */
  async list(scopePath: string, query: AuditQuery): Promise<Page<AuditEvent>> {
    const { from, to, page, pageSize, ...rest } = query;
    const [items, total] = await this.audit.page({
      scopePath, ...rest,
      from: from ? endOfDay(addDays(from, -1)) : undefined,
      until: to ? endOfDay(to) : undefined,
    }, (page - 1) * pageSize, pageSize);
    return pageOf(items, total, query);
  }

  /** The entity types and actions that occur in the subtree, for the page's filters. */
  filterChoices(scopePath: string): Promise<{ entityTypes: string[]; actions: string[] }> {
    return this.audit.vocabulary(scopePath);
  }

  /** Verifies the chain for a subtree and keeps the result, so the pages can show the last verification. */
  async verifyAndRecord(scopePath: string, verifiedBy: string | null): Promise<ScopedChainReport & { verifiedAt: Date }> {
    const report = await this.verifyForScope(scopePath);
    const verifiedAt = new Date();
    await this.audit.insertVerification({
      verifiedAt, scopePath, verifiedBy, ok: report.ok, checked: report.checked, unverified: report.unverified,
      firstBrokenId: report.firstBroken?.id ?? null, firstBrokenReason: report.firstBroken?.reason ?? null, brokenOutsideScope: report.brokenOutsideScope,
    });
    if (!report.ok) this.logger.error(`audit chain broken (reported to ${scopePath}): ${report.firstBroken ? `event #${report.firstBroken.id} (${report.firstBroken.reason})` : 'outside the subtree'}`);
    return { ...report, verifiedAt };
  }

  async status(scopePath: string): Promise<AuditStatus> {
    const [lastEventAt, lastVerification] = await Promise.all([this.audit.lastEventAt(scopePath), this.audit.lastVerification(scopePath)]);
    return { lastEventAt, lastVerification };
  }

  /** One pass over the chain in id order, counting the verified events that `counts` selects. */
  private async walk(batchSize: number, counts: (e: StoredEvent) => boolean): Promise<ChainReport & { brokenEvent: StoredEvent | null }> {
    let prev = GENESIS_HASH;
    let afterId = '0';
    let checked = 0;
    for (;;) {
      const batch = await this.audit.batchAfter(afterId, batchSize);
      if (batch.length === 0) return { ok: true, checked, firstBroken: null, brokenEvent: null };
      const result = verifyBatch(prev, batch);
      const verified = result.broken ? batch.slice(0, batch.findIndex((e) => e.id === result.broken!.id)) : batch;
      for (const e of verified) if (counts(e)) checked++;
      if (result.broken) {
        return { ok: false, checked, firstBroken: result.broken, brokenEvent: batch.find((e) => e.id === result.broken!.id)! };
      }
      prev = result.lastHash;
      afterId = batch[batch.length - 1].id;
    }
  }
}
