import { Worker } from 'node:worker_threads';
import { spanBatchOf } from '@fluoro/core';
import type { SpanRows, TraceAnalysis, TraceReader } from '../../storage/api.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { lighten, lightTransferables, PRESSURE, type AnalyzerWorkerConfig, type FromAnalyzer, type ToAnalyzer } from './protocol.js';

/** The worker runs from the build output, also when this module is loaded from source (tests). */
const WORKER = new URL('../../../dist/derived/root-causes/worker.js', import.meta.url);

export interface AnalyzerOptions {
  /** A trace is analysed once no span of it has arrived for this long. */
  readonly quietMs: number;
  /** Traces waiting for quiet; beyond it the oldest are analysed at once. */
  readonly maxPending?: number;
  /** Results waiting to be written; beyond it the oldest are dropped (counted). */
  readonly maxReady?: number;
}

/**
 * Works out each trace's root causes once it has gone quiet, for `rootcause.*` filters to match
 * in SQL. The work runs on a worker thread (`analyzer-worker.ts`) fed with the spans the pipeline
 * committed, without their documents; the results come back serialized and the pipeline writes
 * them with a later batch. Analysis is best effort: the pipeline writes results only while ingest
 * is nearly idle, and results that pile up beyond `maxReady` are dropped and counted, so that
 * analysis never slows ingest down.
 */
export class RootCauseAnalyzer {
  #worker: Worker | null = null;
  #pressure: NodeJS.Timeout | null = null;
  #ready: TraceAnalysis[] = [];
  #flushed: (() => void) | null = null;
  #busy: () => boolean = () => false;
  /** Batches went unobserved while ingest was busy: the worker's view of pending traces has gaps. */
  #gap = false;
  readonly #m;

  constructor(
    private readonly reader: TraceReader,
    private readonly options: AnalyzerOptions,
    private readonly log: Logger,
    metrics: Metrics,
  ) {
    this.#m = {
      analysed: metrics.counter('fluoro_traces_analysed_total', 'Traces whose root causes were worked out.'),
      dropped: metrics.counter(
        'fluoro_trace_analyses_dropped_total',
        'Root-cause analyses dropped because ingest was too busy to write them.',
      ),
      skipped: metrics.counter(
        'fluoro_trace_analyses_skipped_total',
        'Traces left without root causes because ingest needed the CPU when they went quiet.',
      ),
    };
    metrics.gauge('fluoro_trace_analyses_waiting', 'Root-cause analyses waiting to be written.', () => this.#ready.length);
  }

  /**
   * Starts the worker; `since` re-analyses traces filed since then (a crash may have lost them).
   * `busy` says whether ingest needs the CPU: while it does, traces that fall due are skipped.
   */
  async start(onReady: () => void, busy: () => boolean, since: number | null): Promise<void> {
    this.#busy = busy;
    const shared = new SharedArrayBuffer(4);
    const flags = new Int32Array(shared);
    this.#pressure = setInterval(() => Atomics.store(flags, PRESSURE, busy() ? 1 : 0), 20);
    this.#pressure.unref();
    const config: AnalyzerWorkerConfig = { quietMs: this.options.quietMs, maxPending: this.options.maxPending ?? 200_000, shared };
    const worker = new Worker(WORKER, { workerData: config });
    this.#worker = worker;
    worker.on('message', (m: FromAnalyzer) => {
      switch (m.type) {
        case 'results': {
          this.#m.analysed.inc(undefined, m.analyses.length);
          if (m.skipped) this.#m.skipped.inc(undefined, m.skipped);
          for (const a of m.analyses) this.#ready.push(a);
          const max = this.options.maxReady ?? 100_000;
          if (this.#ready.length > max) {
            this.#m.dropped.inc(undefined, this.#ready.length - max);
            this.#ready = this.#ready.slice(this.#ready.length - max);
          }
          onReady();
          break;
        }
        case 'load':
          void this.#load(m.request, m.traceIds);
          break;
        case 'flushed':
          this.#flushed?.();
          break;
      }
    });
    worker.on('error', (err) => this.log.error('root-cause analyzer thread failed', { error: err.message }));
    if (since !== null) this.#post({ type: 'reanalyse', traceIds: await this.reader.recentTraces(since) });
  }

  /**
   * Spans the pipeline has just committed; the batches must not be used afterwards. While ingest
   * is busy they are not handed over at all (copying them to the worker costs the main thread
   * time ingest needs): their traces are counted as skipped, and when ingest calms down the
   * worker reads the traces it still holds back whole from the store, since they may have missed
   * spans meanwhile.
   */
  observe(rows: readonly SpanRows[]): void {
    if (!this.#worker) return;
    if (this.#busy()) {
      this.#gap = true;
      let traces = 0;
      for (const { batch: b } of rows) for (let i = 0; i < b.length; i++) if (b.isSegment[i] && b.parentId[i] === null) traces++;
      this.#m.skipped.inc(undefined, traces);
      return;
    }
    if (this.#gap) {
      this.#gap = false;
      this.#post({ type: 'gap' });
    }
    for (const r of rows) {
      const batch = lighten(r);
      this.#post({ type: 'spans', batch }, lightTransferables(batch));
    }
  }

  /** Up to `max` results to write with the next batch. */
  take(max: number): TraceAnalysis[] {
    if (this.#ready.length === 0) return [];
    const out = this.#ready.length <= max ? this.#ready : this.#ready.slice(0, max);
    this.#ready = this.#ready.length <= max ? [] : this.#ready.slice(max);
    return out;
  }

  get ready(): number {
    return this.#ready.length;
  }

  /** Analyses every trace still waiting; resolves when their results are ready to take. */
  async flush(): Promise<void> {
    if (!this.#worker) return;
    await new Promise<void>((resolve) => {
      this.#flushed = resolve;
      this.#post({ type: 'flush' });
    });
  }

  async close(): Promise<void> {
    if (this.#pressure) clearInterval(this.#pressure);
    await this.#worker?.terminate();
    this.#worker = null;
  }

  async #load(request: number, traceIds: readonly string[]): Promise<void> {
    try {
      const traces = await this.reader.getTraces(traceIds);
      const spans = [...traces.values()].flat();
      const batch = spans.length ? lighten({ batch: spanBatchOf(spans) }) : null;
      this.#post({ type: 'loaded', request, batch }, batch ? lightTransferables(batch) : []);
    } catch (err) {
      this.log.warn('could not read traces back for root-cause analysis', { error: (err as Error).message });
      this.#post({ type: 'loaded', request, batch: null });
    }
  }

  #post(m: ToAnalyzer, transfer: ArrayBuffer[] = []): void {
    this.#worker?.postMessage(m, transfer);
  }
}
