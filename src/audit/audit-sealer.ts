import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/env';
import { Checkpoint, checkpointMac, eventHash, GENESIS_HASH, HashAlg, keyMatchesChain, sealMac } from './audit-chain';
import { anchorPath, AuditKeyError, createAuditKey, loadAuditKey } from './audit-key';
import { KeyProblem, SealingStop, warningText } from './audit-messages';
import { AuditRepository, SealInsert, UnsealedEvent } from './audit.repository';

/** Events sealed per transaction. */
export const SEAL_BATCH = 2000;
/** The sweep that seals what the kicks missed (events of other processes, an API-only process's writes). */
export const SEAL_INTERVAL_MS = 300;
/** A sealing pass that sealed something writes a checkpoint when the last one is older than this. */
export const CHECKPOINT_EVERY_MS = 30_000;
/** Without new events, a checkpoint each hour all the same (the hourly head). */
export const CHECKPOINT_IDLE_MS = 3_600_000;
/** A key problem is looked at again this often (a key file restored from the backup is taken up without a restart). */
export const KEY_RECHECK_MS = 60_000;

/** The MAC key as checked against the chain: null with a problem when the sealer must not seal. */
export interface KeyState {
  key: Buffer | null;
  problem: KeyProblem | null;
}

export interface SealPass {
  sealed: number;
  /** Another process holds the sealer's lock. */
  busy: boolean;
  checkpoint: Checkpoint | null;
  /** Why nothing was sealed although it may be due (the key, a restored cluster). */
  stopped?: SealingStop;
}

/**
 * The single sealer (docs/adr/0001-audit-chain.md). Requests only append events; this chains them shortly after
 * their commit, in (xid, id) order, never passing over a transaction still running (xid < the snapshot's xmin).
 * It runs in the processes with queue workers; any process may run a pass (verification does), and
 * pg_try_advisory_xact_lock keeps it to one at a time across processes.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditSealer.name);
  readonly alg: HashAlg;
  private timer?: NodeJS.Timeout;
  private kickTimer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private closing = false;
  private lastError = 0;
  private keyCheck?: { state: Promise<KeyState>; at: number };
  /** Why the last pass stopped (null: it sealed normally); for /health and the verify report. */
  stoppedBy: SealingStop | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly repo: AuditRepository,
  ) {
    this.alg = config.AUDIT_HASH;
  }

  /**
   * The key, checked against the chain (once, and again every minute while there is a problem). A new key is created
   * only while nothing has been sealed; a missing, invalid or wrong key (one that does not verify the last checkpoint)
   * stops the sealer — never a new key under an old chain, never a seal with a wrong key. The app serves on.
   */
  keyState(): Promise<KeyState> {
    const c = this.keyCheck;
    if (!c || (Date.now() - c.at > KEY_RECHECK_MS && this.stoppedBy !== null && this.stoppedBy !== 'xid_behind')) {
      const state = this.checkKey();
      this.keyCheck = { state, at: Date.now() };
      state.then((s) => this.noteStop(s.problem), () => (this.keyCheck = undefined));
    }
    return this.keyCheck!.state;
  }

  private async checkKey(): Promise<KeyState> {
    let key: Buffer | null;
    try {
      key = loadAuditKey({ dataDir: this.config.DATA_DIR, envKey: this.config.AUDIT_HMAC_KEY || undefined });
    } catch (err) {
      if (err instanceof AuditKeyError) return { key: null, problem: 'key_invalid' };
      throw err;
    }
    const last = { checkpoint: await this.repo.lastCheckpoint(), seal: await this.repo.lastSeal() };
    if (!key) {
      if (last.checkpoint || last.seal) return { key: null, problem: 'key_missing' };
      key = createAuditKey(this.config.DATA_DIR);
    }
    return keyMatchesChain(key, last) ? { key, problem: null } : { key, problem: 'key_mismatch' };
  }

  /** Logs a stop once when it starts (and once a minute while it lasts, through tick's error log). */
  private noteStop(stop: SealingStop | null): void {
    if (stop && this.stoppedBy !== stop) this.logger.error(`audit sealing stopped: ${warningText({ code: stop })}`);
    this.stoppedBy = stop;
  }

  /** Where the anchor file lives. */
  get dataDir(): string {
    return this.config.DATA_DIR;
  }

  /** Whether this process seals in the background (queue-worker processes). */
  get background(): boolean {
    return this.config.PROCESS_ROLE !== 'api';
  }

  /** Checks the key at boot in every process (a problem is logged; the app boots and serves, only sealing stops). */
  onApplicationBootstrap(): void {
    this.keyState().catch((err) => this.logger.warn(`audit key check failed (retried at the next pass): ${err?.message ?? err}`));
    if (!this.background) return;
    this.start();
  }

  /** Starts the background sweep (tests stop it to tamper undisturbed). */
  start(): void {
    if (this.timer || this.closing) return;
    this.timer = setInterval(() => this.tick(), SEAL_INTERVAL_MS);
    this.timer.unref();
    this.kick();
  }

  stop(): Promise<unknown> {
    clearInterval(this.timer);
    clearTimeout(this.kickTimer);
    this.timer = undefined;
    return this.running?.catch(() => undefined) ?? Promise.resolve();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.stop();
  }

  /** Seals soon (called after a request wrote events; the transaction has usually committed by then). */
  kick(): void {
    if (!this.timer || this.closing) return;
    clearTimeout(this.kickTimer);
    this.kickTimer = setTimeout(() => this.tick(), 15);
  }

  private tick(): void {
    void this.sealPending().catch((err) => {
      if (Date.now() - this.lastError > 60_000) this.logger.warn(`audit sealing failed (events wait for the next pass): ${err?.message ?? err}`);
      this.lastError = Date.now();
    });
  }

  /** Seals every event that can be sealed now; returns how many. One run at a time in this process. */
  sealPending(): Promise<number> {
    if (this.closing && !this.running) return Promise.resolve(0);
    this.running ??= (async () => {
      let total = 0;
      for (;;) {
        const pass = await this.pass();
        total += pass.sealed;
        if (pass.busy || pass.sealed < SEAL_BATCH) return total;
      }
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Writes a checkpoint now (after sealing what can be sealed); null when another process holds the sealer's turn. */
  async checkpointNow(reason = 'manual'): Promise<Checkpoint | null> {
    await this.sealPending();
    const pass = await this.pass(reason);
    return pass.checkpoint;
  }

  /** One sealing transaction: a batch of events, and a checkpoint when one is due (or `forceCheckpoint`). */
  private async pass(forceCheckpoint?: string): Promise<SealPass> {
    const { key: maybeKey, problem } = await this.keyState();
    if (problem || !maybeKey) return { sealed: 0, busy: false, checkpoint: null, stopped: problem ?? 'key_missing' };
    const key = maybeKey;
    const result = await this.dataSource.transaction(async (em): Promise<SealPass> => {
      if (!(await this.repo.trySealerLock(em))) return { sealed: 0, busy: true, checkpoint: null };
      const head = await this.repo.head(em);
      // A logical restore into a new cluster: its xids start below the head's, nothing new would ever be sealed.
      if (await this.repo.xidBehind(head?.eventXid ?? null, em)) return { sealed: 0, busy: false, checkpoint: null, stopped: 'xid_behind' };
      const last = await this.repo.lastCheckpoint(em);
      // Checked in every pass (one HMAC): a process that came up with another key (another host without the key
      // file) never seals under a chain it did not start.
      if (last && !keyMatchesChain(key, { checkpoint: last, seal: null })) return { sealed: 0, busy: false, checkpoint: null, stopped: 'key_mismatch' };
      let seq = BigInt(head?.seq ?? '0');
      let prev = head?.hash ?? GENESIS_HASH;
      const seals: SealInsert[] = [];
      let adopting = false;
      let events: UnsealedEvent[];
      if (!last) {
        // The first pass after the upgrade: the previous release's events keep their hashes, sealed in id order.
        // Only until the first checkpoint: afterwards an event without xid is one inserted behind the chain.
        adopting = true;
        events = await this.repo.legacyAfter(em, head && !head.eventXid ? head.eventId : '0', SEAL_BATCH);
      } else {
        events = await this.repo.finishedAfter(em, head?.eventXid ?? '0', head?.eventXid ? head.eventId : '0', SEAL_BATCH);
      }
      for (const e of events) {
        seq += 1n;
        const legacy = adopting && e.hash !== null && e.prevHash !== null;
        const alg: HashAlg = legacy ? 'sha256' : this.alg;
        const prevHash = legacy ? e.prevHash! : prev;
        const hash = legacy ? e.hash! : eventHash(prev, e, alg);
        const s = { seq: seq.toString(), eventId: e.id, alg, prevHash, hash };
        seals.push({ ...s, eventXid: e.xid, occurredAtText: e.occurredAtText, mac: sealMac(key, s) });
        prev = hash;
      }
      if (seals.length) await this.repo.insertSeals(em, seals);
      const now = Date.now();
      const reason = checkpointReason({ force: forceCheckpoint, adopting, fullBatch: events.length === SEAL_BATCH, headSeq: seq, last, now });
      let checkpoint: Checkpoint | null = null;
      if (reason) {
        const id = await this.repo.nextCheckpointId(em);
        const values = { id, createdAt: new Date(now).toISOString(), headSeq: seq.toString(), headHash: prev, alg: this.alg, reason, prevMac: last?.mac ?? GENESIS_HASH };
        checkpoint = { ...values, mac: checkpointMac(key, values) };
        await this.repo.insertCheckpoint(em, checkpoint);
      }
      return { sealed: seals.length, busy: false, checkpoint };
    });
    if (result.checkpoint) this.anchor(result.checkpoint);
    if (!result.busy) this.noteStop(result.stopped ?? null);
    return result;
  }

  /** Appends the checkpoint to the anchor file outside the database (after the commit: the file never runs ahead). */
  private anchor(c: Checkpoint): void {
    const file = anchorPath(this.config.DATA_DIR);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.appendFileSync(file, `${JSON.stringify(c)}\n`, { mode: 0o600 });
    } catch (err) {
      this.logger.error(`audit checkpoint #${c.id} not anchored in ${file}: ${(err as Error).message}`);
    }
  }
}

/**
 * Whether a sealing pass writes a checkpoint, and why: on request; when the adoption of the previous release's events
 * is complete; when the head moved since the last checkpoint (in this pass or an earlier one) and that one is ≥ 30 s
 * old — so no newly sealed event waits an hour for one (the idle sweep writes it too); else hourly. Never in the
 * middle of the adoption.
 */
export function checkpointReason(o: { force?: string; adopting: boolean; fullBatch: boolean; headSeq: bigint; last: Checkpoint | null; now: number }): string | null {
  if (o.adopting && o.fullBatch) return null;
  if (o.force) return o.force;
  if (o.adopting) return 'adopted';
  const age = o.last ? o.now - Date.parse(o.last.createdAt) : Infinity;
  if (o.last && o.headSeq > BigInt(o.last.headSeq) && age >= CHECKPOINT_EVERY_MS) return 'sealed';
  if (age >= CHECKPOINT_IDLE_MS) return 'hourly';
  return null;
}

/** Reads the anchor file (missing file: no lines); a line that does not parse is returned as null. */
export function readAnchor(dataDir: string): (Checkpoint | null)[] {
  const file = anchorPath(dataDir);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
    try {
      return JSON.parse(l) as Checkpoint;
    } catch {
      return null;
    }
  });
}

