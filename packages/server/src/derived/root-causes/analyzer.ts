import { Worker } from 'node:worker_threads';
import { spanBatchOf } from '@fluoro/core';
import type { IngestStateReader, RootCauseStore, SpanRows, TraceAnalysis, TraceReader } from '../../storage/api/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { workerRestarts, type Metrics } from '../../platform/telemetry/metrics.js';
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

/** What the analyzer needs of a store: traces to read back, traces to re-analyse, and where results go. */
export interface AnalyzerStore {
  readonly traces: TraceReader;
  readonly ingestState: IngestStateReader;
  readonly rootCauses: RootCauseStore;
}

/** Root-cause results written at once, at most. */
const RESULTS_PER_WRITE = 5000;
/** How often waiting results are offered to the store while ingest is busy. */
const RETRY_MS = 100;

/**
 * Works out each trace's root causes once it has gone quiet, for `rootcause.*` filters to match
 * in the store. A derived job, outside the pipeline: it subscribes to the trace pipeline's commits
 * (`observe`), works on a worker thread (`worker.ts`) fed with the committed spans without their
 * documents, and writes the results through its own contract (`RootCauseStore`). Analysis is best
 * effort: results are written only while ingest is not busy, and results that pile up beyond
 * `maxReady` are dropped and counted, so that analysis never slows ingest down.
 */
export class RootCauseAnalyzer {
  #worker: Worker | null = null;
  #pressure: NodeJS.Timeout | null = null;
  #ready: TraceAnalysis[] = [];
  #flushed: (() => void) | null = null;
  #busy: () => boolean = () => false;
  #retry: NodeJS.Timeout | null = null;
  /** Results being written, if any: one writer at a time. */
  #writing: Promise<void> | null = null;
  /** Batches went unobserved while ingest was busy: the worker's view of pending traces has gaps. */
  #gap = false;
  readonly #m;

  constructor(
    private readonly store: AnalyzerStore,
    private readonly options: AnalyzerOptions,
    private readonly log: Logger,
    metrics: Metrics,
  ) {
    this.#m = {
      analysed: metrics.counter('fluoro_traces_analysed_total', 'Traces whose root causes were worked out.'),
      dropped: metrics.counter(
        'fluoro_trace_analyses_dropped_total',
        'Root-cause analyses dropped: ingest was too busy to write them, or the store refused them.',
      ),
      restarts: workerRestarts(metrics),
      skipped: metrics.counter(
        'fluoro_trace_analyses_skipped_total',
        'Traces left without root causes because ingest needed the CPU when they went quiet.',
      ),
    };
    metrics.gauge('fluoro_trace_analyses_waiting', 'Root-cause analyses waiting to be written.', () => this.#ready.length);
  }

  /**
   * Starts the worker; `since` re-analyses traces filed since then (a crash may have lost them).
   * `busy` says whether ingest needs the machine: while it does, traces that fall due are skipped
   * and results wait to be written.
   */
  async start(busy: () => boolean, since: number | null): Promise<void> {
    this.#busy = busy;
    const shared = new SharedArrayBuffer(4);
    const flags = new Int32Array(shared);
    this.#pressure = setInterval(() => Atomics.store(flags, PRESSURE, busy() ? 1 : 0), 20);
    this.#pressure.unref();
    this.#spawn(shared);
    this.#retry = setInterval(() => void this.#pump(false), RETRY_MS);
    this.#retry.unref();
    if (since !== null) this.#post({ type: 'reanalyse', traceIds: await this.store.ingestState.recentTraces(since) });
  }

  /**
   * Starts the analysis thread, and starts it again (counted) if it ever stops on its own: the
   * traces it was waiting on are then analysed only if their spans arrive again.
   */
  #spawn(shared: SharedArrayBuffer): void {
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
          void this.#pump(false);
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
    worker.on('error', (err) => this.log.error('root-cause analyzer thread failed', { error: err.stack ?? err.message }));
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return;
      this.#m.restarts.inc({ thread: 'root_causes' });
      this.log.warn('restarting the root-cause analyzer thread', { exitCode: code });
      this.#spawn(shared);
      // A flush waiting on the old thread has nothing left to wait for.
      this.#flushed?.();
    });
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

  /** Analyses every trace still waiting and writes every result; resolves when they are stored. */
  async flush(): Promise<void> {
    if (!this.#worker) return;
    await new Promise<void>((resolve) => {
      this.#flushed = resolve;
      this.#post({ type: 'flush' });
    });
    await this.#pump(true);
  }

  async close(): Promise<void> {
    if (this.#pressure) clearInterval(this.#pressure);
    if (this.#retry) clearInterval(this.#retry);
    await this.#writing;
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  /** Writes waiting results, a few thousand at a time, unless ingest is busy (`all`: regardless, until none wait). */
  async #pump(all: boolean): Promise<void> {
    while (this.#writing) {
      await this.#writing;
      if (!all) return;
    }
    this.#writing = this.#writeReady(all);
    await this.#writing;
    this.#writing = null;
  }

  async #writeReady(all: boolean): Promise<void> {
    while (this.#ready.length > 0 && (all || !this.#busy())) {
      const batch = this.#ready.length <= RESULTS_PER_WRITE ? this.#ready : this.#ready.slice(0, RESULTS_PER_WRITE);
      this.#ready = this.#ready.length <= RESULTS_PER_WRITE ? [] : this.#ready.slice(RESULTS_PER_WRITE);
      try {
        await this.store.rootCauses.write(batch);
      } catch (err) {
        this.#m.dropped.inc(undefined, batch.length);
        this.log.warn('could not store root causes; these traces stay without them', {
          traces: batch.length,
          error: (err as Error).message,
        });
      }
    }
  }

  async #load(request: number, traceIds: readonly string[]): Promise<void> {
    try {
      const traces = await this.store.traces.getTraces(traceIds);
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
