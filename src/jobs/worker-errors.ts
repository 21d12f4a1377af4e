import { Logger } from '@nestjs/common';

/**
 * Repeated errors (e.g. ECONNREFUSED every second while Redis is down) logged at most once per `everyMs` with a
 * count, instead of flooding the log; without a listener BullMQ prints each connection error to stderr.
 */
export function throttledErrorLog(logger: Logger, label = 'queue connection', level: 'error' | 'warn' = 'error', everyMs = 30_000): (err: unknown) => void {
  let last = 0;
  let suppressed = 0;
  return (err: unknown) => {
    const now = Date.now();
    if (now - last < everyMs) {
      suppressed++;
      return;
    }
    logger[level](`${label}: ${(err as Error)?.message ?? err}${suppressed ? ` (and ${suppressed} more since the last report)` : ''}`);
    last = now;
    suppressed = 0;
  };
}
