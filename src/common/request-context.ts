import { AsyncLocalStorage } from 'node:async_hooks';
import type { Lang } from './messages';

export interface Actor {
  userId: string | null;
  role: string;
  username: string;
}

export interface RequestContext {
  requestId: string;
  lang: Lang;
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(ctx: RequestContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Runs `fn` with `actor` as the one making changes (keeps the request id and language). */
  withActor<T>(actor: Actor, fn: () => T): T {
    const current = storage.getStore();
    return storage.run({ requestId: current?.requestId ?? 'system', lang: current?.lang ?? 'zh', ...current, actor }, fn);
  },
  requestId(): string | null {
    return storage.getStore()?.requestId ?? null;
  },
};

/** The actor for changes made by the system itself (seeding, scheduled jobs). */
export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system', username: 'system' };
