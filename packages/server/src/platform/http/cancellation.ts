import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The signal of the request being answered, for work far below the handler (a database read) that
 * should stop when its client leaves. Carried implicitly, like a trace context: every call between
 * the route and the store would otherwise pass it on without using it.
 */
const current = new AsyncLocalStorage<AbortSignal>();

export function withCancellation<T>(signal: AbortSignal, work: () => T): T {
  return current.run(signal, work);
}

/** The signal of the request under way, if any. */
export function currentSignal(): AbortSignal | undefined {
  return current.getStore();
}
