import { IN_PROGRESS, type SpanBatch } from '@fluoro/core';
import type { RootCauseAnalyzer } from '../derived/root-causes/analyzer.js';
import type { SpanKey, SpanRows, StorageBackend, TraceAnalysis } from '../storage/api.js';
import type { Logger } from '../platform/telemetry/logger.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import { FilingTimes } from '../signals/traces/filing-times.js';
import { RecentKeys } from '../signals/traces/recent-keys.js';
import type { PipelineConfig } from './config.js';

export interface PipelineOptions extends PipelineConfig {
  /** Recently written keys remembered per generation (replace detection). */
  readonly recentKeys?: number;
  /** Traces with unlinked spans remembered for later linking. */
  readonly maxUnlinkedTraces?: number;
}

/** Why a submission was not stored. */
export class IngestRejected extends Error {
  constructor(
    readonly reason: 'overloaded' | 'write_failed' | 'stopped',
    message: string,
  ) {
    super(message);
  }
}

interface Prepared {
  readonly items: Item[];
  readonly rows: SpanRows[];
  readonly replacing: SpanKey[];
  readonly analyses: TraceAnalysis[];
  readonly written: number;
}

/** Root-cause results written per batch, at most. */
const ANALYSES_PER_BATCH = 5000;

interface Item {
  readonly batch: SpanBatch;
  readonly bytes: number;
  readonly done?: { resolve(): void; reject(err: Error): void };
}

const UNLINKED_LOOKBACK_S = 3600;
/** The writer counts as saturated when it waited for work less than this share of a window. */
const SATURATED_IDLE_SHARE = 0.05;
const SATURATION_WINDOW_MS = 1_000;
/** Packs (item, row) into one number: rows of an item stay below this. */
const ROW_SPAN = 2 ** 24;

/**
 * The one path from receivers to the store: a bounded queue drained by a single batch writer.
 *
 * - `offer` (UDP) never waits: when the queue is full the spans are dropped and counted.
 * - `submit` (HTTP) resolves once its spans are durable and linked; a full queue rejects at once
 *   so the client can be told to retry (429).
 * - Batches form while the previous write runs (group commit): with a client waiting, the next
 *   batch starts as soon as the store is free; otherwise a partial batch waits up to
 *   `flushIntervalMs` to fill.
 * - Every span of a trace with a random (W3C) ID is filed under the time its first span was
 *   (`FilingTimes`), so the trace is found whole by filing time.
 * - A span whose key was written before replaces it; an in-progress version never replaces a
 *   completed one. Subsegments sent on their own are linked to their segment once it arrives.
 */
export class IngestPipeline {
  /**
   * Items from `#head` on are queued. Taken slots are cleared at once (so written batches can be
   * collected) and the array is compacted in bulk, since shift() is O(n).
   */
  #queue: Array<Item | null> = [];
  #head = 0;
  #queuedSpans = 0;
  #queuedBytes = 0;
  #waiters = 0;
  /** Set while the writer waits for the queue to become non-empty. */
  #wakeIdle: (() => void) | null = null;
  /** Set while the writer lets a partial batch fill; called to write it at once. */
  #wakeFill: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #stopping = false;
  readonly #recent: RecentKeys;
  readonly #filing = new FilingTimes();
  /** Trace ID → time first seen unlinked; insertion order is age order. */
  readonly #unlinked = new Map<string, number>();
  readonly #m;
  #analyzer: RootCauseAnalyzer | null = null;
  #busy = false;
  /** Time the writer spent waiting for work: in all, and since when it is waiting now. */
  readonly #idle = { total: 0, since: null as number | null };
  #load = { at: performance.now(), idle: 0, saturated: false };

  constructor(
    private readonly store: StorageBackend,
    private readonly options: PipelineOptions,
    private readonly log: Logger,
    metrics: Metrics,
  ) {
    this.#recent = new RecentKeys(options.recentKeys ?? 250_000);
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
    metrics.gauge('fluoro_queue_spans', 'Spans waiting in the ingest queue.', () => this.#queuedSpans);
    metrics.gauge('fluoro_queue_bytes', 'Document bytes waiting in the ingest queue.', () => this.#queuedBytes);
    metrics.gauge('fluoro_queue_capacity_spans', 'Spans the ingest queue holds before shedding load.', () => options.queueMaxSpans);
    metrics.gauge('fluoro_unlinked_traces', 'Traces holding subsegments whose parent has not arrived yet.', () => this.#unlinked.size);
  }

  /**
   * Loads what the store remembers (in-progress spans, unlinked traces) and starts writing. With
   * an analyzer, committed spans are handed to it and its results written with later batches.
   */
  async start(analyzer: RootCauseAnalyzer | null = null): Promise<void> {
    const since = Date.now() / 1000 - UNLINKED_LOOKBACK_S;
    for (const k of await this.store.reader.inProgressKeys(since - 23 * 3600)) this.#recent.set(k.traceId, k.id, true);
    for (const t of await this.store.reader.unlinkedTraces(since)) this.#unlinked.set(t, Date.now());
    this.#analyzer = analyzer;
    this.#loop = this.#run();
  }

  /** Something other than spans is ready to write (analyses): wake the writer if idle. */
  wake(): void {
    this.#wakeIdle?.();
  }

  /**
   * Ingest comes first: work that can wait (root-cause analysis and writing its results) stops
   * once a quarter of the queue is in use, and resumes when it is down to one batch. The gap
   * between the two lets short backlogs (a checkpoint pauses writes for a second or two) pass
   * without stopping anything. It also stops while the writer is saturated: HTTP clients wait
   * for their spans to be written, so under OTLP load the queue stays short, but the writer never
   * waits for work.
   */
  busy(): boolean {
    const queued = this.#queuedSpans;
    if (queued > this.options.queueMaxSpans / 4) this.#busy = true;
    else if (queued <= this.options.batchMaxSpans) this.#busy = false;
    return this.#busy || this.#saturated();
  }

  /** True when, over the last full window, the writer waited for work less than 5% of the time. */
  #saturated(): boolean {
    const now = performance.now();
    const elapsed = now - this.#load.at;
    if (elapsed >= SATURATION_WINDOW_MS) {
      const idle = this.#idle.total + (this.#idle.since === null ? 0 : now - this.#idle.since);
      this.#load = { at: now, idle, saturated: idle - this.#load.idle < elapsed * SATURATED_IDLE_SHARE };
    }
    return this.#load.saturated;
  }

  /** Runs `wait` as time the writer spends waiting for work. */
  async #idleWhile(wait: Promise<void>): Promise<void> {
    this.#idle.since = performance.now();
    try {
      await wait;
    } finally {
      this.#idle.total += performance.now() - this.#idle.since;
      this.#idle.since = null;
    }
  }

  get queuedSpans(): number {
    return this.#queuedSpans;
  }

  /** True when a batch of this size would be refused now (receivers may shed load earlier). */
  get full(): boolean {
    return this.#stopping || this.#queuedSpans >= this.options.queueMaxSpans || this.#queuedBytes >= this.options.queueMaxBytes;
  }

  /** Fire-and-forget enqueue. False (and counted as dropped) when the queue is full or stopping. */
  offer(batch: SpanBatch, bytes: number): boolean {
    if (batch.length === 0) return true;
    if (this.#stopping || !this.#fits(batch.length, bytes)) {
      this.dropped(batch.length);
      return false;
    }
    this.#enqueue({ batch, bytes });
    return true;
  }

  /** Counts spans a receiver shed because the queue was full. */
  dropped(spans: number): void {
    this.#m.dropped.inc({ reason: 'queue_full' }, spans);
  }

  /** Enqueues and resolves once the spans are durable. Rejects with `IngestRejected`. */
  submit(batch: SpanBatch, bytes: number): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    if (this.#stopping) return Promise.reject(new IngestRejected('stopped', 'Fluoro is shutting down'));
    if (!this.#fits(batch.length, bytes)) {
      return Promise.reject(
        new IngestRejected(
          'overloaded',
          `the ingest queue is full (${this.#queuedSpans} spans, ${this.#queuedBytes} bytes waiting); retry shortly`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiters++;
      this.#enqueue({ batch, bytes, done: { resolve, reject } });
    });
  }

  /** Stops accepting, writes everything queued, and resolves when the queue is empty. */
  async drain(): Promise<void> {
    this.#stopping = true;
    this.#wakeIdle?.();
    this.#wakeFill?.();
    await this.#loop;
  }

  #fits(spans: number, bytes: number): boolean {
    // An empty queue takes any one submission, so that an oversized request is not refused forever.
    if (this.#queuedSpans === 0) return true;
    return this.#queuedSpans + spans <= this.options.queueMaxSpans && this.#queuedBytes + bytes <= this.options.queueMaxBytes;
  }

  #enqueue(item: Item): void {
    this.#filing.apply(item.batch);
    this.#queue.push(item);
    this.#queuedSpans += item.batch.length;
    this.#queuedBytes += item.bytes;
    this.#wakeIdle?.();
    if (item.done || this.#queuedSpans >= this.options.batchMaxSpans) this.#wakeFill?.();
  }

  async #run(): Promise<void> {
    let inFlight: Promise<void> = Promise.resolve();
    let flushed = false;
    for (;;) {
      const spans = this.#head < this.#queue.length;
      if (!spans && !(this.#analyzer && this.#analyzer.ready > 0)) {
        if (this.#stopping) {
          await inFlight;
          // Last, the traces still waiting for analysis; their results are written on the next turn.
          if (this.#analyzer && !flushed) {
            flushed = true;
            await this.#analyzer.flush();
            continue;
          }
          return;
        }
        await this.#idleWhile(new Promise<void>((r) => (this.#wakeIdle = r)));
        this.#wakeIdle = null;
        continue;
      }
      if (spans && this.#waiters === 0 && !this.#stopping && this.#queuedSpans < this.options.batchMaxSpans) {
        await this.#idleWhile(
          new Promise<void>((r) => {
            const timer = setTimeout(r, this.options.flushIntervalMs);
            this.#wakeFill = () => {
              clearTimeout(timer);
              r();
            };
          }),
        );
        this.#wakeFill = null;
      }
      const batch = this.#prepare(this.#take());
      // One write may be in flight while the next is appended; a write that replaces stored spans
      // waits, since it must see what the write in flight stores.
      if (batch.replacing.length > 0) await inFlight;
      const previous = inFlight;
      inFlight = this.#write(batch, previous);
      await previous;
    }
  }

  #take(): Item[] {
    const batch: Item[] = [];
    let n = 0;
    while (this.#head < this.#queue.length) {
      const next = this.#queue[this.#head]!;
      if (batch.length > 0 && n + next.batch.length > this.options.batchMaxSpans) break;
      this.#queue[this.#head++] = null;
      batch.push(next);
      n += next.batch.length;
      this.#queuedSpans -= next.batch.length;
      this.#queuedBytes -= next.bytes;
      if (next.done) this.#waiters--;
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  /**
   * Picks what a batch writes. The last version of each key wins, except that an in-progress
   * version never replaces a completed one (UDP may deliver them out of order). Keys are marked
   * written now, so that the next batch, prepared while this one is in flight, knows they may be
   * stored (a failed write leaves them marked; replacing a key that is not there is harmless).
   */
  #prepare(items: Item[]): Prepared {
    // A turn without spans is the writer's own time: it writes analyses even when ingest has been
    // saturating it (else it would turn without doing anything, and never wait to stop being busy).
    const analyses =
      this.#analyzer && (!this.busy() || this.#stopping || items.length === 0) ? this.#analyzer.take(ANALYSES_PER_BATCH) : [];
    const latest = new Map<string, number>();
    const rows: SpanRows[] = items.map((item) => ({ batch: item.batch, keep: new Uint8Array(item.batch.length) }));
    let stale = 0;
    let written = 0;
    rows.forEach(({ batch, keep }, r) => {
      for (let i = 0; i < batch.length; i++) {
        const key = batch.traceId[i]! + batch.id[i]!;
        const inProgress = (batch.flags[i]! & IN_PROGRESS) !== 0;
        const prev = latest.get(key);
        if (prev !== undefined) {
          const prevRows = rows[Math.floor(prev / ROW_SPAN)]!;
          const prevIndex = prev % ROW_SPAN;
          if (inProgress && (prevRows.batch.flags[prevIndex]! & IN_PROGRESS) === 0) {
            stale++;
            continue;
          }
          prevRows.keep![prevIndex] = 0;
          written--;
        } else if (inProgress && this.#recent.get(batch.traceId[i]!, batch.id[i]!) === false) {
          stale++;
          continue;
        }
        keep![i] = 1;
        written++;
        latest.set(key, r * ROW_SPAN + i);
      }
    });
    if (stale) this.#m.dropped.inc({ reason: 'stale_in_progress' }, stale);
    const replacing: SpanKey[] = [];
    for (const { batch, keep } of rows) {
      for (let i = 0; i < batch.length; i++) {
        if (!keep![i]) continue;
        const traceId = batch.traceId[i]!;
        const id = batch.id[i]!;
        if (this.#recent.get(traceId, id) !== undefined) replacing.push({ traceId, id });
        this.#recent.set(traceId, id, (batch.flags[i]! & IN_PROGRESS) !== 0);
      }
    }
    return { items, rows, replacing, analyses, written };
  }

  /** Writes a prepared batch; links and answers its waiters after the previous batch did. */
  async #write({ items, rows, replacing, analyses, written }: Prepared, previous: Promise<void>): Promise<void> {
    const started = performance.now();
    try {
      await this.#writeWithRetry(rows, replacing, analyses);
    } catch (err) {
      await previous;
      this.#m.batchFailures.inc();
      this.#m.dropped.inc({ reason: 'write_failed' }, written);
      this.log.error('store write failed; batch dropped', { spans: written, error: (err as Error).message });
      const rejected = new IngestRejected('write_failed', `the store could not write: ${(err as Error).message}`);
      for (const item of items) item.done?.reject(rejected);
      return;
    }
    await previous;
    this.#m.written.inc(undefined, written);
    await this.#link(rows);
    this.#analyzer?.observe(rows);
    this.#m.batches.observe((performance.now() - started) / 1000);
    for (const item of items) item.done?.resolve();
  }

  async #writeWithRetry(rows: SpanRows[], replacing: SpanKey[], analyses: TraceAnalysis[]): Promise<void> {
    try {
      await this.store.writer.write(rows, replacing, analyses);
    } catch (first) {
      this.log.warn('store write failed; retrying once', { error: (first as Error).message });
      await new Promise((r) => setTimeout(r, 50));
      await this.store.writer.write(rows, replacing, analyses);
    }
  }

  /**
   * Links traces that got a span without an owner, or a span that may own earlier ones. Decided
   * here, in commit order, so that a trace left unlinked by the batch before counts.
   */
  async #link(rows: readonly SpanRows[]): Promise<void> {
    const traces = new Set<string>();
    for (const { batch, keep } of rows) {
      for (let i = 0; i < batch.length; i++) {
        if (keep![i] && (batch.segmentId[i] === null || this.#unlinked.has(batch.traceId[i]!))) traces.add(batch.traceId[i]!);
      }
    }
    if (traces.size === 0) return;
    try {
      const still = new Set(await this.store.writer.linkOwners([...traces]));
      const now = Date.now();
      for (const t of traces) {
        if (still.has(t)) {
          if (!this.#unlinked.has(t)) this.#unlinked.set(t, now);
        } else this.#unlinked.delete(t);
      }
      const max = this.options.maxUnlinkedTraces ?? 100_000;
      for (const [t, since] of this.#unlinked) {
        if (this.#unlinked.size <= max && now - since < UNLINKED_LOOKBACK_S * 1000) break;
        this.#unlinked.delete(t);
      }
    } catch (err) {
      // The spans are stored; linking is retried when more of these traces arrive.
      this.log.warn('linking subsegments to their segments failed', { error: (err as Error).message });
      for (const t of traces) if (!this.#unlinked.has(t)) this.#unlinked.set(t, Date.now());
    }
  }
}
