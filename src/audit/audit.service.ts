import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { requestContext, SYSTEM_ACTOR } from '../common/request-context';
import { ChainBreak, eventHash, GENESIS_HASH, toPlainJson, verifyBatch } from './audit-chain';
import { AuditRepository } from './audit.repository';

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
  ok: boolean;
  checked: number;
  firstBroken: ChainBreak | null;
}

@Injectable()
export class AuditService {
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

  /** Recomputes the whole chain in batches and names the first broken event. */
  async verifyChain(batchSize = 2000): Promise<ChainReport> {
    let prev = GENESIS_HASH;
    let afterId = '0';
    let checked = 0;
    for (;;) {
      const batch = await this.audit.batchAfter(afterId, batchSize);
      if (batch.length === 0) return { ok: true, checked, firstBroken: null };
      const result = verifyBatch(prev, batch);
      if (result.broken) {
        checked += batch.findIndex((e) => e.id === result.broken!.id);
        return { ok: false, checked, firstBroken: result.broken };
      }
      checked += batch.length;
      prev = result.lastHash;
      afterId = batch[batch.length - 1].id;
    }
  }
}
