import type { DeliveryOutcome } from './delivery-adapter';

/** How the drain job treats deliveries: batch size, attempts, back-off and how long a delivery is worth sending. */
export const DELIVERY_BATCH_SIZE = 50;
/** batches per run at most (a backlog is worked off over several runs, a minute apart) */
export const DELIVERY_MAX_BATCHES = 20;
/** attempts before a retryable failure becomes final */
export const DELIVERY_MAX_ATTEMPTS = 5;
/** an SMS about a deadline is not worth sending a day late */
export const DELIVERY_MAX_AGE_HOURS = 24;
/**
 * 租约: a claimed row stays `pending` with next_attempt_at = claim time + this lease, so no other run takes it while
 * it is being sent. A worker that stops mid-batch leaves its rows to be claimed again once the lease has passed.
 */
export const DELIVERY_LEASE_MINUTES = 5;
/** a run stops handing out claimed rows this long before their lease ends (and gives the rest back) */
export const DELIVERY_LEASE_MARGIN_MS = 30_000;
/** the reason stored when an adapter reports a failure without one */
export const DELIVERY_NO_REASON = '未说明原因';

/** When a retryable failure is tried again (1, 2, 4, 8 … minutes after the attempt), or null when it is final. */
export function retryAt(attemptsBefore: number, at: Date, retryable: boolean): Date | null {
  const attempts = attemptsBefore + 1;
  if (!retryable || attempts >= DELIVERY_MAX_ATTEMPTS) return null;
  return new Date(at.getTime() + 60_000 * 2 ** (attempts - 1));
}

/**
 * What an adapter returned, made safe to record: `sent`, or `failed` with a non-empty reason (at most 500
 * characters). Anything else (no status, a missing or empty reason, not an object) is a failure: retryable when
 * the adapter said so, or when it answered nothing usable at all.
 */
export function normalizeOutcome(raw: unknown): DeliveryOutcome {
  if (!raw || typeof raw !== 'object') return { status: 'failed', reason: 'adapter returned no outcome', retryable: true };
  const o = raw as { status?: unknown; reason?: unknown; retryable?: unknown };
  if (o.status === 'sent') return { status: 'sent' };
  if (o.status !== 'failed') return { status: 'failed', reason: `adapter returned status ${String(o.status)}`.slice(0, 500), retryable: true };
  const reason = typeof o.reason === 'string' && o.reason.trim() ? o.reason.trim().slice(0, 500) : DELIVERY_NO_REASON;
  return { status: 'failed', reason, retryable: o.retryable === true };
}
