import { BoundedQueue } from './bounded-queue.js';
import { systemClock, type Clock } from './clock.js';
import { GroupCommit, type BatchSink } from './group-commit.js';
import { IngestLoad } from './load.js';

export interface PipelineOptions {
  /** Records waiting to be written before receivers shed load. */
  readonly queueMaxCount: number;
  /** Input bytes waiting to be written before receivers shed load. */
  readonly queueMaxBytes: number;
  /** Most records written in one batch. */
  readonly batchMax: number;
  readonly flushIntervalMs: number;
  /** What the records are called in messages: `spans`, `log records`… */
  readonly unit: string;
}

/** Why a submission was not stored. */
export class IngestRejected extends Error {
  constructor(
    readonly reason: 'overloaded' | 'write_failed' | 'stopped',
    message: string,
    /** The store failed while committing: the records may be stored (resending them is safe). */
    readonly maybeStored = false,
  ) {
    super(message);
  }

  /** What became of a request's `count` records, for its answer. */
  outcome(count: number, unit: string): string {
    return this.maybeStored ? `the ${count} ${unit} may or may not be stored` : `none of the ${count} ${unit} were stored`;
  }
}

/**
 * The one path from receivers to a store, for any signal: a bounded queue drained by a single
 * group-commit writer into the signal's sink, with back-pressure accounting.
 *
 * - `offer` (UDP) never waits: it returns false when the queue is full or stopping (the caller counts the drop).
 * - `submit` (HTTP) resolves once its records are durable; a full queue rejects at once
 *   (`IngestRejected('overloaded')`) so the client can be told to retry.
 * - `busy()` says when work that can wait should yield (`IngestLoad`).
 */
export class Pipeline<T, P> {
  readonly #queue: BoundedQueue<T>;
  readonly #commit: GroupCommit<T, P>;
  readonly #load: IngestLoad;

  constructor(
    sink: BatchSink<T, P>,
    private readonly options: PipelineOptions,
    clock: Clock = systemClock,
  ) {
    this.#queue = new BoundedQueue<T>({ maxCount: options.queueMaxCount, maxBytes: options.queueMaxBytes });
    this.#commit = new GroupCommit(this.#queue, sink, { batchMax: options.batchMax, flushIntervalMs: options.flushIntervalMs }, clock);
    this.#load = new IngestLoad(this.#queue as BoundedQueue<unknown>, () => this.#commit.idleMs(), { batchMax: options.batchMax }, clock);
  }

  start(): void {
    this.#commit.start();
  }

  get queuedCount(): number {
    return this.#queue.count;
  }

  get queuedBytes(): number {
    return this.#queue.bytes;
  }

  /** True when a submission would be refused now (receivers may shed load earlier). */
  get full(): boolean {
    return this.#commit.stopping || this.#queue.full;
  }

  busy(): boolean {
    return this.#load.busy();
  }

  /** Fire-and-forget enqueue; false when the queue is full or stopping (nothing was queued). */
  offer(value: T, count: number, bytes: number): boolean {
    if (count === 0) return true;
    if (this.#commit.stopping || !this.#queue.fits(count, bytes)) return false;
    this.#enqueue({ value, count, bytes, done: null });
    return true;
  }

  /** Enqueues and resolves once the records are durable. Rejects with `IngestRejected`. */
  submit(value: T, count: number, bytes: number): Promise<void> {
    if (count === 0) return Promise.resolve();
    if (this.#commit.stopping) return Promise.reject(new IngestRejected('stopped', 'Fluoro is shutting down'));
    if (!this.#queue.fits(count, bytes)) {
      const q = this.#queue;
      return Promise.reject(
        new IngestRejected(
          'overloaded',
          `the ingest queue is full (${q.count} ${this.options.unit}, ${q.bytes} bytes waiting); retry shortly`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => this.#enqueue({ value, count, bytes, done: { resolve, reject } }));
  }

  /** Stops accepting, writes everything queued, and resolves when the queue is empty. */
  drain(): Promise<void> {
    return this.#commit.drain();
  }

  #enqueue(item: { value: T; count: number; bytes: number; done: { resolve(): void; reject(err: Error): void } | null }): void {
    this.#queue.push(item);
    this.#commit.notify(item.done !== null || this.#queue.count >= this.options.batchMax);
  }
}
