import { FluoroError } from '../../platform/errors/catalog.js';
import { spanBatchOf, type SpanBatch } from '@fluoro/core';
import { CommitHooks } from '../../pipeline/commit-hooks.js';
import type { Queued } from '../../pipeline/bounded-queue.js';
import { systemClock, type Clock } from '../../pipeline/clock.js';
import type { BatchSink } from '../../pipeline/group-commit.js';
import { IngestRejected, Pipeline } from '../../pipeline/pipeline.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { IngestStateReader, SpanKey, SpanRows, TraceWriter } from '../../storage/api/index.js';
import { DEFAULT_RETRY, RetryingWriter, type RetryPolicy } from '../../storage/retrying-writer.js';
import type { PipelineConfig } from './config.js';
import { FilingTimes } from './filing-times.js';
import { DEFAULT_LINKER_OPTIONS, Linker, type LinkerOptions } from './linker.js';
import { mergeSpans } from './merge.js';
import { RecentKeys } from './recent-keys.js';

export interface TracePipelineOptions extends PipelineConfig {
  /** Recently written keys remembered per generation (supersede detection). */
  readonly recentKeys?: number;
  readonly linker?: LinkerOptions;
  readonly retry?: RetryPolicy;
}

/** What the pipeline needs of a store. */
export interface TraceStore {
  readonly spans: TraceWriter;
  readonly ingestState: IngestStateReader;
}

/** One write: the rows taken from the queue, the waiting documents it links, what it supersedes. */
interface PreparedSpans {
  readonly rows: SpanRows[];
  readonly supersedes: SpanKey[];
  /** Rows received and kept (relinked copies are not counted again). */
  readonly written: number;
  readonly started: number;
}

/** In-progress keys are looked for this far back at start: a segment may stay open that long. */
const IN_PROGRESS_LOOKBACK_S = 24 * 3600;
const UNLINKED_LOOKBACK_S = 3600;

/**
 * The trace signal's ingest: the generic pipeline (bounded queue, group commit, back-pressure)
 * with X-Ray's rules in front of the store.
 *
 * - Every span of a trace with a random (W3C) ID is filed under the time its first span was
 *   (`FilingTimes`), so the trace is found whole by filing time.
 * - The last version of a key wins; an in-progress version never replaces a completed one
 *   (`mergeSpans`). Subsegments sent on their own are linked to their segment (`Linker`).
 * - `submit` resolves once the spans are durable and linked where their parent is stored.
 * - Subscribers of `onCommitted` (derived jobs) see every committed batch, in commit order.
 */
export class TracePipeline {
  readonly #pipeline: Pipeline<SpanBatch, PreparedSpans>;
  readonly #recent: RecentKeys;
  readonly #filing = new FilingTimes();
  readonly #linker: Linker;
  readonly #hooks = new CommitHooks<readonly SpanRows[]>();
  readonly #m;

  constructor(
    private readonly store: TraceStore,
    options: TracePipelineOptions,
    private readonly log: Logger,
    metrics: Metrics,
    private readonly clock: Clock = systemClock,
  ) {
    this.#recent = new RecentKeys(options.recentKeys ?? 250_000);
    this.#linker = new Linker(options.linker ?? DEFAULT_LINKER_OPTIONS);
    const writer = new RetryingWriter(store.spans, options.retry ?? DEFAULT_RETRY, log);
    this.#m = {
      written: metrics.counter('fluoro_spans_written_total', 'Spans durably written to the store.'),
      dropped: metrics.counter(
        'fluoro_spans_dropped_total',
        'Spans received but not stored, by reason (queue_full, write_failed, stale_in_progress).',
      ),
      batches: metrics.histogram(
        'fluoro_batch_write_seconds',
        'Time to write one batch to the store (including linking).',
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      ),
      batchFailures: metrics.counter('fluoro_batch_write_failures_total', 'Batches the store refused to write.'),
    };
    const sink: BatchSink<SpanBatch, PreparedSpans> = {
      prepare: (items) => this.#prepare(items),
      exclusive: (p) => p.supersedes.length > 0,
      write: (p) => writer.write({ rows: p.rows, supersedes: p.supersedes }),
      committed: (p) => {
        this.#m.written.inc(undefined, p.written);
        for (const err of this.#hooks.emit(p.rows)) this.log.error('a commit subscriber failed', { error: err.message });
        this.#m.batches.observe((this.clock.now() - p.started) / 1000);
      },
      failed: (p, err) => {
        this.#m.batchFailures.inc();
        if (p) this.#m.dropped.inc({ reason: 'write_failed' }, p.written);
        this.log.error('store write failed; batch dropped', { spans: p?.written ?? 0, error: err.message });
        const maybeStored = err instanceof FluoroError && err.code === 'StoreFailed';
        return new IngestRejected('write_failed', `the store could not write: ${err.message}`, maybeStored);
      },
    };
    this.#pipeline = new Pipeline(
      sink,
      {
        queueMaxCount: options.queueMaxSpans,
        queueMaxBytes: options.queueMaxBytes,
        batchMax: options.batchMaxSpans,
        flushIntervalMs: options.flushIntervalMs,
        unit: 'spans',
      },
      clock,
    );
    metrics.gauge('fluoro_queue_spans', 'Spans waiting in the ingest queue.', () => this.#pipeline.queuedCount);
    metrics.gauge('fluoro_queue_bytes', 'Document bytes waiting in the ingest queue.', () => this.#pipeline.queuedBytes);
    metrics.gauge('fluoro_queue_capacity_spans', 'Spans the ingest queue holds before shedding load.', () => options.queueMaxSpans);
    metrics.gauge(
      'fluoro_unlinked_traces',
      'Traces holding subsegments whose parent has not arrived yet.',
      () => this.#linker.waitingTraces,
    );
  }

  /** Loads what the store remembers (spans in progress, documents waiting for their parent) and starts writing. */
  async start(): Promise<void> {
    const now = Date.now() / 1000;
    for (const k of await this.store.ingestState.inProgressKeys(now - IN_PROGRESS_LOOKBACK_S)) this.#recent.set(k.traceId, k.id, true);
    this.#linker.restore(await this.store.ingestState.unlinkedSpans(now - UNLINKED_LOOKBACK_S));
    this.#pipeline.start();
  }

  /** Subscribes to committed batches (their `keep` marks the rows written); returns the unsubscribe. */
  onCommitted(fn: (rows: readonly SpanRows[]) => void): () => void {
    return this.#hooks.subscribe(fn);
  }

  /** Ingest needs the machine: work that can wait should yield (`IngestLoad`). */
  busy(): boolean {
    return this.#pipeline.busy();
  }

  get queuedSpans(): number {
    return this.#pipeline.queuedCount;
  }

  /** True when a batch would be refused now (receivers may shed load earlier). */
  get full(): boolean {
    return this.#pipeline.full;
  }

  /** Fire-and-forget enqueue. False (and counted as dropped) when the queue is full or stopping. */
  offer(batch: SpanBatch, bytes: number): boolean {
    if (batch.length === 0) return true;
    this.#filing.apply(batch);
    if (this.#pipeline.offer(batch, batch.length, bytes)) return true;
    this.dropped(batch.length);
    return false;
  }

  /** Counts spans a receiver shed because the queue was full. */
  dropped(spans: number): void {
    this.#m.dropped.inc({ reason: 'queue_full' }, spans);
  }

  /** Enqueues and resolves once the spans are durable. Rejects with `IngestRejected`. */
  submit(batch: SpanBatch, bytes: number): Promise<void> {
    if (batch.length > 0) this.#filing.apply(batch);
    return this.#pipeline.submit(batch, batch.length, bytes);
  }

  /** Stops accepting, writes everything queued, and resolves when the queue is empty. */
  drain(): Promise<void> {
    return this.#pipeline.drain();
  }

  async #prepare(items: ReadonlyArray<Queued<SpanBatch>>): Promise<PreparedSpans> {
    const started = this.clock.now();
    const merged = mergeSpans(
      items.map((i) => i.value),
      this.#recent,
    );
    if (merged.stale) this.#m.dropped.inc({ reason: 'stale_in_progress' }, merged.stale);
    const { relinked } = await this.#linker.link(merged.rows, (keys) => this.store.ingestState.owners(keys));
    if (relinked.length === 0) return { rows: merged.rows, supersedes: merged.supersedes, written: merged.written, started };
    // Waiting documents now linked: written again, superseding their unlinked versions.
    for (const s of relinked) this.#recent.set(s.traceId, s.id, s.inProgress);
    return {
      rows: [...merged.rows, { batch: spanBatchOf(relinked) }],
      supersedes: [...merged.supersedes, ...relinked.map((s) => ({ traceId: s.traceId, id: s.id }))],
      written: merged.written,
      started,
    };
  }
}
