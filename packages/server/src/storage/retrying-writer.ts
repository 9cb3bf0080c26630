import type { Logger } from '../platform/telemetry/logger.js';
import type { SpanKey, SpanWrite, TraceWriter } from './api/index.js';

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number;
  /** Wait before the first retry; each later one waits twice as long. */
  readonly delayMs: number;
}

/** One retry after 50 ms: a store that fails twice in a row is not coming back within a batch. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 1, delayMs: 50 };

/**
 * Retries failed writes, as a decorator around any `TraceWriter` (after OpenTelemetry's
 * retrying transport), so callers never carry retry logic. A failed write may have stored some
 * rows (the contract does not promise atomicity), so a retry supersedes every key it writes:
 * that makes it idempotent on every backend. Rejects with the last error.
 */
export class RetryingWriter implements TraceWriter {
  constructor(
    private readonly inner: TraceWriter,
    private readonly policy: RetryPolicy,
    private readonly log: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async write(w: SpanWrite): Promise<void> {
    try {
      return await this.inner.write(w);
    } catch (first) {
      let last = first as Error;
      const retry: SpanWrite = { rows: w.rows, supersedes: allKeys(w) };
      for (let attempt = 0; attempt < this.policy.retries; attempt++) {
        this.log.warn(`store write failed; retrying (${attempt + 1} of ${this.policy.retries})`, { error: last.message });
        await this.sleep(this.policy.delayMs * 2 ** attempt);
        try {
          return await this.inner.write(retry);
        } catch (err) {
          last = err as Error;
        }
      }
      throw last;
    }
  }
}

export function allKeys(w: SpanWrite): SpanKey[] {
  const keys: SpanKey[] = [];
  for (const { batch, keep } of w.rows) {
    for (let i = 0; i < batch.length; i++) if (!keep || keep[i]) keys.push({ traceId: batch.traceId[i]!, id: batch.id[i]! });
  }
  return keys;
}
