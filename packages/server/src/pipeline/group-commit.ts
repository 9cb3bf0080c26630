import type { BoundedQueue, Queued } from './bounded-queue.js';
import type { Clock } from './clock.js';

/** What a group-commit loop writes to: a signal's merge rules in front of its store. */
export interface BatchSink<T, P> {
  /** Turns the submissions taken from the queue into one write (may read state, e.g. owners). */
  prepare(items: ReadonlyArray<Queued<T>>): Promise<P> | P;
  /** True when the write reads what the write in flight stores: it then waits for that one. */
  exclusive(batch: P): boolean;
  write(batch: P): Promise<void>;
  /** After `write` resolved and every earlier batch settled; senders are answered after it. */
  committed(batch: P): Promise<void> | void;
  /** After `write` (or `prepare`) failed; returns the error the waiting senders get. */
  failed(batch: P | null, err: Error): Error;
}

export interface GroupCommitOptions {
  /** Most records written in one batch. */
  readonly batchMax: number;
  /** How long a partial batch waits for more when no sender is waiting for it. */
  readonly flushIntervalMs: number;
}

/**
 * The one writer of a queue. Batches form while the previous write runs (group commit): with a
 * sender waiting, the next batch starts as soon as the store is free; otherwise a partial batch
 * waits up to `flushIntervalMs` to fill. One write may be in flight while the next is prepared and
 * appended; commits (and answers) keep queue order. Also measures how long it waits for work,
 * which is how the pipeline tells that the store, not the input, is the bottleneck.
 */
export class GroupCommit<T, P> {
  #wakeIdle: (() => void) | null = null;
  #wakeFill: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #stopping = false;
  /** Time spent waiting for work: in all, and since when it is waiting now. */
  #idleTotal = 0;
  #idleSince: number | null = null;

  constructor(
    private readonly queue: BoundedQueue<T>,
    private readonly sink: BatchSink<T, P>,
    private readonly options: GroupCommitOptions,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Something was queued: end an idle wait; `urgent` (a sender waits, or a batch is full) also ends a fill wait. */
  notify(urgent: boolean): void {
    this.#wakeIdle?.();
    if (urgent) this.#wakeFill?.();
  }

  /** Stops taking new work once the queue is empty: writes everything queued, then resolves. */
  async drain(): Promise<void> {
    this.#stopping = true;
    this.#wakeIdle?.();
    this.#wakeFill?.();
    await this.#loop;
  }

  /** Milliseconds the writer has waited for work so far, including a wait in progress. */
  idleMs(): number {
    return this.#idleTotal + (this.#idleSince === null ? 0 : this.clock.now() - this.#idleSince);
  }

  async #idleWhile(wait: Promise<void>): Promise<void> {
    this.#idleSince = this.clock.now();
    try {
      await wait;
    } finally {
      this.#idleTotal += this.clock.now() - this.#idleSince;
      this.#idleSince = null;
    }
  }

  async #run(): Promise<void> {
    let inFlight: Promise<void> = Promise.resolve();
    for (;;) {
      if (this.queue.empty) {
        if (this.#stopping) {
          await inFlight;
          return;
        }
        await this.#idleWhile(new Promise<void>((r) => (this.#wakeIdle = r)));
        this.#wakeIdle = null;
        continue;
      }
      if (this.queue.waiters === 0 && !this.#stopping && this.queue.count < this.options.batchMax) {
        await this.#idleWhile(
          new Promise<void>((r) => {
            const cancel = this.clock.timer(this.options.flushIntervalMs, r);
            this.#wakeFill = () => {
              cancel();
              r();
            };
          }),
        );
        this.#wakeFill = null;
      }
      const items = this.queue.take(this.options.batchMax);
      let batch: P;
      try {
        batch = await this.sink.prepare(items);
      } catch (err) {
        await inFlight;
        const error = this.sink.failed(null, err as Error);
        for (const item of items) item.done?.reject(error);
        continue;
      }
      if (this.sink.exclusive(batch)) await inFlight;
      const previous = inFlight;
      inFlight = this.#write(batch, items, previous);
      await previous;
    }
  }

  async #write(batch: P, items: ReadonlyArray<Queued<T>>, previous: Promise<void>): Promise<void> {
    try {
      await this.sink.write(batch);
    } catch (err) {
      await previous;
      const error = this.sink.failed(batch, err as Error);
      for (const item of items) item.done?.reject(error);
      return;
    }
    await previous;
    await this.sink.committed(batch);
    for (const item of items) item.done?.resolve();
  }
}
