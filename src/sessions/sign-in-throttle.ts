/**
 * Who may try a password now. Keyed so that failures cannot be used against other people:
 * - per username + address: `maxFailures` failures (since the pair's last success) lock that pair for the window;
 *   someone elsewhere typing the admin's name does not lock the admin out, and one user's typos behind an office NAT
 *   lock nobody else;
 * - per username from anywhere: past `USER_FACTOR` × `maxFailures` failures, attempts from addresses the account has not
 *   signed in from before wait an increasing delay (doubling per failure, capped) instead of a hard lock, so a botnet
 *   spread over many addresses gets a few guesses per window while the owner, from a known address, is not slowed;
 * - per address for any username: a high limit (`ADDRESS_FACTOR` × `maxFailures`) against password spraying.
 */
export const USER_FACTOR = 4;
export const ADDRESS_FACTOR = 20;
export const MAX_DELAY_SECONDS = 300;
/** An address from which the username signed in within this many days is "known" and skips the per-username back-off. */
export const KNOWN_ADDRESS_DAYS = 30;

export interface SignInHistory {
  /** failures of this username from this address since their last success */
  pair: number;
  /** failures of this username from any address */
  byUser: number;
  lastUserFailure: Date | null;
  /** failures from this address for any username */
  byIp: number;
  /** the username signed in successfully from this address recently */
  knownAddress: boolean;
}

export type ThrottleDecision =
  | { allowed: true }
  | { allowed: false; code: 'auth.rate_limited'; minutes: number }
  | { allowed: false; code: 'auth.slowed_down'; seconds: number };

export function throttleDecision(h: SignInHistory, limits: { maxFailures: number; windowMinutes: number }, now: Date): ThrottleDecision {
  if (h.pair >= limits.maxFailures || h.byIp >= limits.maxFailures * ADDRESS_FACTOR) {
    return { allowed: false, code: 'auth.rate_limited', minutes: limits.windowMinutes };
  }
  const threshold = limits.maxFailures * USER_FACTOR;
  if (!h.knownAddress && h.byUser >= threshold && h.lastUserFailure) {
    const delaySeconds = Math.min(2 ** (h.byUser - threshold), MAX_DELAY_SECONDS, limits.windowMinutes * 60);
    const waited = (now.getTime() - new Date(h.lastUserFailure).getTime()) / 1000;
    if (waited < delaySeconds) return { allowed: false, code: 'auth.slowed_down', seconds: Math.max(1, Math.ceil(delaySeconds - waited)) };
  }
  return { allowed: true };
}
