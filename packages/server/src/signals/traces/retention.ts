import type { StorageBackend } from '../../storage/api/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Counter, Metrics } from '../../platform/telemetry/metrics.js';
import type { RetentionConfig } from './config.js';

const HOUR = 3600;
const hourOf = (t: number): number => Math.floor(t / HOUR) * HOUR;
const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Keeps the store within `retention.maxAge` and `retention.maxBytes`, deleting whole hours of
 * traces (by the time each trace is filed under), oldest first, every `retention.checkSeconds`.
 * Ingest goes on throughout: past the size bound the oldest hour goes, never a write. The hour
 * being written is never deleted: when it alone is over the bound, that is said (a log line and
 * `fluoro_retention_over_size`) and it is kept.
 */
export class Retention {
  readonly #deleted: Counter;
  #overSize = false;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  #busy = false;

  constructor(
    private readonly store: StorageBackend,
    private readonly config: RetentionConfig,
    private readonly log: Logger,
    metrics: Metrics,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.#deleted = metrics.counter(
      'fluoro_retention_deleted_spans_total',
      'Spans deleted by retention, by reason: age (retention.maxAge) or size (retention.maxBytes).',
    );
    metrics.gauge(
      'fluoro_retention_over_size',
      '1 while the stored data is over retention.maxBytes with only the current hour left to delete (it is kept), else 0.',
      () => (this.#overSize ? 1 : 0),
    );
  }

  start(): void {
    this.#timer = setInterval(() => this.#schedule(), this.config.checkSeconds * 1000);
    this.#timer.unref();
    this.#schedule();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** A round, unless one is still running (a large deletion can outlast the interval). */
  #schedule(): void {
    if (this.#busy) return;
    this.#busy = true;
    this.#running = this.apply()
      .catch((err: Error) => this.log.warn('retention could not delete old traces; trying again later', { error: err.message }))
      .finally(() => (this.#busy = false));
  }

  /** One round: by age, then by size. */
  async apply(): Promise<void> {
    if (this.config.maxAge > 0) {
      const cutoff = hourOf(this.now() - this.config.maxAge);
      const oldest = await this.store.retention.oldest();
      if (oldest !== null && oldest < cutoff) {
        const spans = await this.store.retention.deleteBefore(cutoff);
        this.#deleted.inc({ reason: 'age' }, spans);
        this.log.info('retention deleted traces older than retention.maxAge', { before: iso(cutoff), spans });
      }
    }
    if (this.config.maxBytes > 0) await this.#bySize();
  }

  async #bySize(): Promise<void> {
    const bound = this.config.maxBytes;
    let used = (await this.store.size()).usedBytes;
    let over = false;
    while (used > bound) {
      const oldest = await this.store.retention.oldest();
      if (oldest === null) break;
      const cutoff = hourOf(oldest) + HOUR;
      if (cutoff > hourOf(this.now())) {
        over = true;
        if (!this.#overSize) {
          this.log.warn('the stored data is over retention.maxBytes, and only the current hour is left: it is kept, and ingest goes on', {
            usedBytes: used,
            maxBytes: bound,
          });
        }
        break;
      }
      const spans = await this.store.retention.deleteBefore(cutoff);
      this.#deleted.inc({ reason: 'size' }, spans);
      const after = (await this.store.size()).usedBytes;
      this.log.warn('the store reached retention.maxBytes: the oldest hour of traces was deleted, and ingest goes on', {
        hour: iso(hourOf(oldest)),
        spans,
        usedBytes: used,
        usedBytesAfter: after,
        maxBytes: bound,
      });
      // Space not given back yet (the engine frees it later): measured again next round.
      if (after >= used) break;
      used = after;
    }
    this.#overSize = over;
  }
}
