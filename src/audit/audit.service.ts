import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { requestContext, SYSTEM_ACTOR } from '../common/request-context';
import { JOBS, MAINTENANCE_QUEUE } from '../outbox/job-names';
import { OnJob } from '../outbox/on-job.decorator';
import { BreakReason, ChainBreak, ChainedFields, Checkpoint, HashAlg, checkpointMac, firstBadCheckpoint, keyMatchesChain, SealedRow, sameHex, toPlainJson, verifySealedBatch, WALK_START, WalkState } from './audit-chain';
import { AuditWarning, KeyProblem, SealingStop, warningText } from './audit-messages';
import { AuditSealer, readAnchor } from './audit-sealer';
import { endOfDay, addDays, shanghaiDate } from '../common/calendar';
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
  /** The chain is intact from the first event through the last one, and no checkpoint says it was longer. */
  ok: boolean;
  /** Events verified intact (before the first break). */
  checked: number;
  /** The first broken event; `tail_truncated`/`checkpoint_*` name the last event that is still there. */
  firstBroken: ChainBreak | null;
  /** The chain head (the last sealed event; seq 0: none yet). */
  head: { seq: string; eventId: string | null };
  /** Checkpoints in the database and lines in the anchor file, checked. */
  checkpoints: number;
  anchored: number;
  /** Events not sealed yet; `stale` of them older than UNSEALED_STALE_SECONDS (a warning, not a break). */
  unsealed: { total: number; stale: number; oldestAt: Date | null };
  /** What is worth a look but is no break (events waiting too long to be sealed, no anchor file…), "中文 / English". */
  warnings: string[];
  /** The same as codes (kept with the verification, shown on the 审计日志 page). */
  warningCodes: AuditWarning[];
  /**
   * The MAC key is missing or not the chain's: nothing could be verified (`ok` false, `firstBroken` null, `checked` 0)
   * — no false tamper alarm; restore the key (see the warning).
   */
  keyProblem: KeyProblem | null;
}

/**
 * The chain as seen from one division subtree. The chain itself is city-wide (each event's hash covers the one
 * before it, whoever's it is), so it is always verified from the first event to the last; what is reported is
 * about the caller's events only: how many were verified, how many come at or after the first break (and so
 * cannot be vouched for), and which event broke when it is the caller's. A break in another subtree is reported
 * as such, without naming the event. A truncated tail or a bad checkpoint concerns the whole chain: every subtree is told.
 */
export interface ScopedChainReport extends ChainReport {
  /** The division path the counts are about. */
  scopePath: string;
  /** Events of the subtree at or after the first break (0 when the chain is intact). */
  unverified: number;
  /** The first break is in an event outside the subtree (`firstBroken` is then null). */
  brokenOutsideScope: boolean;
}

/** Unsealed events older than this are reported (the sealer normally seals within a second). */
export const UNSEALED_STALE_SECONDS = 300;
const VERIFY_BATCH = 5000;
const WHOLE_CHAIN: ReadonlySet<BreakReason> = new Set(['tail_truncated', 'checkpoint_mismatch', 'checkpoint_missing']);

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly audit: AuditRepository, private readonly sealer: AuditSealer) {}

  /**
   * Appends an event inside the caller's transaction: one INSERT, no lock (the sealer chains it after the commit).
   */
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await this.recordMany(em, [entry]);
  }

  /** Several events of one change in one statement. */
  async recordMany(em: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('audit events must be written inside the changing transaction');
    if (!entries.length) return;
    const ctx = requestContext.get();
    const actor = ctx?.actor ?? SYSTEM_ACTOR;
    await this.audit.insertMany(em, entries.map((entry) => ({
      actorId: actor.userId, actorRole: actor.role, actorName: actor.username,
      action: entry.action, entityType: entry.entityType, entityId: entry.entityId, scopePath: entry.scopePath,
      before: toPlainJson(entry.before), after: toPlainJson(entry.after), requestId: ctx?.requestId ?? null,
    })), new Date());
    this.sealer.kick();
  }

  /** The nightly (or requested) verification; a broken chain is logged as an error. */
  @OnJob({ queue: MAINTENANCE_QUEUE, name: JOBS.auditVerify })
  async verifyJob(): Promise<ChainReport> {
    const report = await this.verifyChain();
    if (!report.ok) this.logger.error(`audit chain broken: ${describeBreak(report)}`);
    for (const w of report.warnings) this.logger.warn(`audit: ${w}`);
    return report;
  }

  /** Verifies events, MACs, checkpoints and the anchor file, naming the first break (the CLI and the nightly job). */
  async verifyChain(opts: { seal?: boolean } = {}): Promise<ChainReport> {
    const { brokenEvent: _e, brokenSeq: _s, ...report } = await this.walk(() => true, opts.seal ?? true);
    return report;
  }

  /** Recomputes the whole chain and reports on the events of one division subtree (see {@link ScopedChainReport}). */
  async verifyForScope(scopePath: string): Promise<ScopedChainReport> {
    const inScope = (scope: string | null) => scope !== null && scope.startsWith(scopePath);
    const { brokenEvent, brokenSeq, ...report } = await this.walk((e) => inScope(e.scopePath), true);
    if (report.ok) return { ...report, scopePath, firstBroken: null, unverified: 0, brokenOutsideScope: false };
    if (!report.firstBroken) return { ...report, scopePath, unverified: await this.audit.countInScopeFromSeq('0', scopePath), brokenOutsideScope: false };
    const mine = WHOLE_CHAIN.has(report.firstBroken!.reason) || inScope(brokenEvent?.scopePath ?? null);
    return {
      ...report, scopePath, firstBroken: mine ? report.firstBroken : null, brokenOutsideScope: !mine,
      unverified: await this.audit.countInScopeFromSeq(brokenSeq, scopePath),
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
      warnings: report.warningCodes,
    });
    if (report.keyProblem) this.logger.error(`audit chain not verifiable (reported to ${scopePath}): ${warningText({ code: report.keyProblem })}`);
    else if (!report.ok) this.logger.error(`audit chain broken (reported to ${scopePath}): ${report.firstBroken ? describeBreak(report) : 'outside the subtree'}`);
    return { ...report, verifiedAt };
  }

  async status(scopePath: string): Promise<AuditStatus> {
    const [lastEventAt, lastVerification] = await Promise.all([this.audit.lastEventAt(scopePath), this.audit.lastVerification(scopePath)]);
    return { lastEventAt, lastVerification };
  }

  /**
   * The daily head for the public feed: the last checkpoint before today (Shanghai) began — the same all day, so
   * whoever archives the feed holds a copy of the chain head outside this server. Null before the first day is over.
   */
  async dailyHead(now = new Date()): Promise<{ day: string; headSeq: string; headHash: string; alg: string; mac: string; checkpointedAt: string } | null> {
    const today = shanghaiDate(now);
    const c = await this.audit.checkpointBefore(endOfDay(addDays(today, -1)));
    return c ? { day: addDays(today, -1), headSeq: c.headSeq, headHash: c.headHash, alg: c.alg, mac: c.mac, checkpointedAt: c.createdAt } : null;
  }

  /** Events waiting to be sealed (cheap; for /health): how many and the oldest one's time. */
  async sealingBacklog(): Promise<{ pending: number; oldestAt: Date | null; stopped: SealingStop | null }> {
    const head = await this.audit.head();
    const [tail, keyState, behind] = await Promise.all([this.audit.unsealedTail(head), this.sealer.keyState(), this.audit.xidBehind(head?.eventXid ?? null)]);
    return { pending: tail.count, oldestAt: tail.oldestAt, stopped: keyState.problem ?? (behind ? 'xid_behind' : null) };
  }

  /**
   * One pass over the sealed chain in sequence order (reading the next batch while hashing this one), then the
   * checkpoints, the anchor file and the unsealed events. `counts` selects the verified events that are counted.
   */
  private async walk(counts: (e: ChainedFields) => boolean, seal: boolean):
    Promise<ChainReport & { brokenEvent: ChainedFields | null; brokenSeq: string }> {
    if (seal) await this.sealer.sealPending().catch((err) => this.logger.warn(`sealing before verification failed: ${err?.message ?? err}`));
    const keyState = await this.sealer.keyState();
    const warnings: AuditWarning[] = [];
    const cps = await this.audit.checkpoints();
    const anchor = readAnchor(this.sealer.dataDir);
    // A key that verifies the first checkpoint but not the last is the chain's key and the last checkpoint is bad (a
    // tamper, reported as a break); no key, or one that verifies no checkpoint, is an operator's problem, not a tamper.
    // (the first checkpoint, the first seal or an anchored line: an attacker cannot make any of them fit another key)
    const keyFitsFirst = !!keyState.key && keyState.problem === 'key_mismatch' && await this.keyFitsAnything(keyState.key, cps, anchor);
    if (!keyState.key || (keyState.problem === 'key_mismatch' && !keyFitsFirst)) {
      const problem: KeyProblem = keyState.problem ?? 'key_missing';
      const head = await this.audit.head();
      return {
        ok: false, checked: 0, firstBroken: null, head: { seq: head?.seq ?? '0', eventId: head?.eventId ?? null }, checkpoints: cps.length, anchored: anchor.length,
        unsealed: { total: 0, stale: 0, oldestAt: null }, warnings: [warningText({ code: problem })], warningCodes: [{ code: problem }], keyProblem: problem,
        brokenEvent: null, brokenSeq: '0',
      };
    }
    const key = keyState.key;
    const badCp = firstBadCheckpoint(key, cps);
    const goodCps = badCp < 0 ? cps : cps.slice(0, badCp);
    const cpHashes = new Map(goodCps.map((c) => [c.headSeq, c.headHash]));
    if (!anchor.length && cps.length) warnings.push({ code: 'anchor_missing' });

    let state: WalkState = WALK_START;
    let checked = 0;
    let headEventId: string | null = null;
    let headEvent: ChainedFields | null = null;
    const onRow = (r: SealedRow) => {
      if (counts(r.event!)) checked++;
      headEventId = r.eventId;
      headEvent = r.event;
    };
    let next = this.audit.sealedAfter('0', VERIFY_BATCH);
    for (;;) {
      const batch = await next;
      if (!batch.length) break;
      next = this.audit.sealedAfter(batch[batch.length - 1].seq, VERIFY_BATCH);
      for (const r of batch) {
        // The join by id and time found nothing: altered time (a hash mismatch) or really gone.
        if (!r.event) r.event = await this.audit.eventById(r.eventId);
        if (!r.event) break;
      }
      const result = verifySealedBatch(key, state, batch, onRow, cpHashes);
      if (result.broken) {
        await next.catch(() => undefined);
        const brokenRow = batch.find((r) => r.seq === result.broken!.seq) ?? null;
        return {
          ...this.summary(checked, { id: result.broken.id, reason: result.broken.reason }, result.state, headEventId, cps.length, anchor.length, { total: 0, stale: 0, oldestAt: null }, warnings),
          brokenEvent: brokenRow?.event ?? null, brokenSeq: result.broken.seq,
        };
      }
      state = result.state;
    }

    const head = { xid: state.xid < 0n ? '0' : state.xid.toString(), id: state.id.toString() };
    const unsealed = await this.audit.unsealed(head, UNSEALED_STALE_SECONDS);
    const un = { total: unsealed.total, stale: unsealed.stale, oldestAt: unsealed.oldestAt };
    if (unsealed.stale) warnings.push({ code: 'unsealed_stale', count: unsealed.stale });
    if (state.xid >= 0n && await this.audit.xidBehind(state.xid.toString())) {
      warnings.push({ code: 'xid_behind' });
      this.logger.error(`audit: ${warningText({ code: 'xid_behind' })}`);
    }
    const after = String(state.seq + 1n);
    const headId = headEventId ?? '0';
    const fail = async (reason: BreakReason, id = headId, event: ChainedFields | null = headEvent) =>
      ({ ...this.summary(checked, { id, reason }, state, headEventId, cps.length, anchor.length, un, warnings), brokenEvent: event, brokenSeq: after });

    if (unsealed.firstBehind) {
      return fail('not_sealed', unsealed.firstBehind, await this.audit.eventById(unsealed.firstBehind));
    }
    // The tail: no checkpoint (in the database or in the anchor file) may name a head beyond the chain's.
    const anchoredGood = anchor.filter((a): a is Checkpoint => a !== null && sameHex(a.mac, checkpointMac(key, a)));
    const furthest = [...goodCps, ...anchoredGood].reduce((m, c) => (BigInt(c.headSeq) > m ? BigInt(c.headSeq) : m), 0n);
    if (furthest > state.seq) return fail('tail_truncated');
    if (badCp >= 0) return fail('checkpoint_mismatch');
    if (anchoredGood.length !== anchor.length) warnings.push({ code: 'anchor_bad', count: anchor.length - anchoredGood.length });
    const inDb = new Map(cps.map((c) => [c.id, c.mac]));
    if (anchoredGood.some((a) => inDb.get(a.id) !== a.mac)) return fail('checkpoint_missing');
    // Every checkpoint's head was checked on the way if it is within the chain (cpHashes); none is beyond it (above).
    return { ...this.summary(checked, null, state, headEventId, cps.length, anchor.length, un, warnings), brokenEvent: null, brokenSeq: after };
  }

  private async keyFitsAnything(key: Buffer, cps: Checkpoint[], anchor: (Checkpoint | null)[]): Promise<boolean> {
    if (cps.length && keyMatchesChain(key, { checkpoint: cps[0], seal: null })) return true;
    if (anchor.some((a) => a !== null && keyMatchesChain(key, { checkpoint: a, seal: null }))) return true;
    const [first] = await this.audit.sealedAfter('0', 1);
    return !!first && keyMatchesChain(key, { checkpoint: null, seal: { ...first, alg: first.alg as HashAlg } });
  }

  private summary(checked: number, firstBroken: ChainBreak | null, state: WalkState, headEventId: string | null, checkpoints: number,
    anchored: number, unsealed: ChainReport['unsealed'], warnings: AuditWarning[]): ChainReport {
    return {
      ok: firstBroken === null, checked, firstBroken, head: { seq: state.seq.toString(), eventId: headEventId }, checkpoints, anchored, unsealed,
      warnings: warnings.map(warningText), warningCodes: warnings, keyProblem: null,
    };
  }
}

/** "event #12 (hash_mismatch)" or "tail truncated after #40". */
export function describeBreak(report: Pick<ChainReport, 'firstBroken'>): string {
  const b = report.firstBroken;
  if (!b) return 'intact';
  if (b.reason === 'tail_truncated') return `tail truncated after #${b.id}`;
  if (b.reason === 'checkpoint_missing') return `checkpoint missing from the database (anchor file) after #${b.id}`;
  if (b.reason === 'checkpoint_mismatch') return `checkpoint does not verify (at or before #${b.id})`;
  return `event #${b.id} (${b.reason})`;
}
