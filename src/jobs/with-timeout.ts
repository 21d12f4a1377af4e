/** Thrown when a queue call did not answer in time (the queue's store is unreachable or overloaded). */
export class QueueTimeoutError extends Error {}

/**
 * Resolves like `work`, or rejects with QueueTimeoutError after `ms`. The work itself is not cancelled: with Redis
 * down, ioredis keeps the command and sends it on reconnect, so only idempotent calls (job ids, upserts) go through here.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new QueueTimeoutError(`${what}: no answer from the queue within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
