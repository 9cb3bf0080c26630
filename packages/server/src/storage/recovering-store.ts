import { FluoroError } from '../platform/errors/catalog.js';
import type { Logger } from '../platform/telemetry/logger.js';
import type { Counter, Metrics } from '../platform/telemetry/metrics.js';
import type { SpanWrite, StorageBackend } from './api/index.js';
import { allKeys } from './retrying-writer.js';

export interface RecoveryOptions {
  /** Whether an error means the store can no longer be used and must be opened again. */
  readonly isFatal: (err: unknown) => boolean;
  /** Whether an error says the stored data is damaged (reopening does not mend it). */
  readonly isDamage: (err: unknown) => boolean;
  /** Longest a write waits for the store to come back before it is answered `StoreFailed`. */
  readonly writeWaitMs: number;
  /** Pause between attempts to open the store again. */
  readonly retryMs: number;
}

/**
 * A store that opens itself again after a fatal error (DuckDB invalidates a database whose
 * checkpoint failed, e.g. on a full disk, and refuses every later statement until it is reopened).
 * While it is being reopened, reads answer `StoreFailed` (503) at once and writes wait for it, up
 * to `writeWaitMs`. A write that met the fatal error is written again on the reopened store,
 * superseding its own keys: whether or not its first commit became durable, it is then stored once
 * and its senders are told so; if the store does not come back in time, they are told it may not
 * be stored and that resending is safe.
 */
export async function openRecovering(
  open: () => Promise<StorageBackend>,
  options: RecoveryOptions,
  log: Logger,
  metrics: Metrics,
): Promise<StorageBackend> {
  const reopens = metrics.counter(
    'fluoro_store_reopens_total',
    'Attempts to open the store again after a fatal error (a full disk during a checkpoint), by result (ok, failed).',
  );
  return new Recovering(await open(), open, options, log, reopens).backend();
}

class Recovering {
  #reopening: Promise<StorageBackend> | null = null;
  #failure = '';
  #closed = false;
  #damage: string | null = null;

  constructor(
    private current: StorageBackend,
    private readonly open: () => Promise<StorageBackend>,
    private readonly options: RecoveryOptions,
    private readonly log: Logger,
    private readonly reopens: Counter,
  ) {}

  backend(): StorageBackend {
    const call = this.call.bind(this);
    return {
      kind: this.current.kind,
      capabilities: this.current.capabilities,
      spans: { write: (w) => this.write(w) },
      traces: {
        getTraces: (ids) => call((s) => s.traces.getTraces(ids)),
        findTraceSummaries: (q) => call((s) => s.traces.findTraceSummaries(q)),
      },
      graph: {
        getServiceGraph: (scope) => call((s) => s.graph.getServiceGraph(scope)),
        getServiceTimeSeries: (range, period, selector) => call((s) => s.graph.getServiceTimeSeries(range, period, selector)),
      },
      analytics: {
        groupTraces: (q) => call((s) => s.analytics.groupTraces(q)),
        traceStats: (q) => call((s) => s.analytics.traceStats(q)),
        tracePoints: (q) => call((s) => s.analytics.tracePoints(q)),
        suggestions: (range) => call((s) => s.analytics.suggestions(range)),
        operationStats: (q) => call((s) => s.analytics.operationStats(q)),
      },
      records: {
        list: (kind) => call((s) => s.records.list(kind)),
        put: (kind, name, doc) => call((s) => s.records.put(kind, name, doc)),
        delete: (kind, name) => call((s) => s.records.delete(kind, name)),
      },
      rootCauses: { write: (analyses) => call((s) => s.rootCauses.write(analyses)) },
      ingestState: {
        unlinkedSpans: (since) => call((s) => s.ingestState.unlinkedSpans(since)),
        recentTraces: (since) => call((s) => s.ingestState.recentTraces(since)),
        inProgressKeys: (since) => call((s) => s.ingestState.inProgressKeys(since)),
        owners: (keys) => call((s) => s.ingestState.owners(keys)),
      },
      retention: {
        oldest: () => call((s) => s.retention.oldest()),
        deleteBefore: (before) => call((s) => s.retention.deleteBefore(before)),
      },
      size: () => call((s) => s.size()),
      damage: () => this.#damage,
      close: () => this.close(),
    };
  }

  /** Any call but a span write: refused at once while the store is being reopened. */
  async call<T>(work: (store: StorageBackend) => Promise<T>): Promise<T> {
    if (this.#reopening) throw this.#unavailable();
    const store = this.current;
    try {
      return await work(store);
    } catch (err) {
      if (!this.options.isFatal(err)) throw this.#named(err);
      this.#reopen(store, err as Error);
      throw this.#unavailable();
    }
  }

  async write(w: SpanWrite): Promise<void> {
    const store = await this.#ready();
    try {
      return await store.spans.write(w);
    } catch (err) {
      if (!this.options.isFatal(err)) throw this.#named(err);
      this.#reopen(store, err as Error);
    }
    // Its commit may have become durable before the failure: written again, superseding itself.
    const again = { rows: w.rows, supersedes: allKeys(w) };
    const reopened = await this.#ready();
    try {
      await reopened.spans.write(again);
    } catch (err) {
      if (this.options.isFatal(err)) this.#reopen(reopened, err as Error);
      throw this.#unavailable(true);
    }
    this.log.info('a batch that met the store failure was written again after reopening', { spans: again.supersedes.length });
  }

  /** The store once it answers; past `writeWaitMs` of reopening, `StoreFailed`. */
  async #ready(): Promise<StorageBackend> {
    if (!this.#reopening) return this.current;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#unavailable(true)), this.options.writeWaitMs);
    });
    try {
      return await Promise.race([this.#reopening, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A damaged block is named as such, and remembered for health. */
  #named(err: unknown): unknown {
    if (!this.options.isDamage(err)) return err;
    this.#damage = (err as Error).message;
    this.log.error('the store file is damaged', { error: this.#damage });
    return new FluoroError(
      'StoreDamaged',
      `the store's file is damaged (${this.#damage}); restore the data directory from a backup, or move it aside to start with an empty store`,
    );
  }

  #unavailable(write = false): FluoroError {
    return new FluoroError(
      'StoreFailed',
      `the store failed (${this.#failure}) and is being opened again` +
        (write ? '; resending is safe (a document with the same id replaces the stored one)' : ''),
      1,
    );
  }

  #reopen(failed: StorageBackend, err: Error): void {
    if (this.#reopening || failed !== this.current || this.#closed) return;
    this.#failure = err.message.split('\n')[0]!;
    this.log.error('the store failed; opening it again', { error: err.message });
    this.#reopening = (async () => {
      await failed.close().catch(() => undefined);
      for (let attempt = 1; ; attempt++) {
        try {
          this.current = await this.open();
          this.reopens.inc({ result: 'ok' });
          this.log.warn('the store is open again', { attempts: attempt });
          return this.current;
        } catch (e) {
          this.reopens.inc({ result: 'failed' });
          if (attempt === 1 || attempt % 60 === 0) {
            this.log.error('the store cannot be opened again yet; retrying', { attempts: attempt, error: (e as Error).message });
          }
          if (this.#closed) throw e;
          await new Promise((r) => setTimeout(r, this.options.retryMs));
        }
      }
    })();
    this.#reopening.then(
      () => (this.#reopening = null),
      () => undefined,
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reopening) await this.#reopening.catch(() => undefined);
    await this.current.close();
  }
}
