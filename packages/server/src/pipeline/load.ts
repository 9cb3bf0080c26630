import type { BoundedQueue } from './bounded-queue.js';
import type { Clock } from './clock.js';

export interface LoadOptions {
  /** Records per batch: below one batch queued, a backlog is over. */
  readonly batchMax: number;
}

/** The writer counts as saturated when it waited for work less than this share of a window. */
const SATURATED_IDLE_SHARE = 0.05;
const SATURATION_WINDOW_MS = 1_000;

/**
 * Back-pressure accounting: whether ingest needs the machine now, so that work that can wait
 * (derived jobs such as root-cause analysis) yields. Busy once a quarter of the queue is in use,
 * until it is down to one batch; the gap lets short backlogs (a checkpoint pauses writes for a
 * second or two) pass without stopping anything. Also busy while the writer is saturated: senders
 * that wait for their records keep the queue short, but then the writer never waits for work.
 */
export class IngestLoad {
  #backlog = false;
  #window: { at: number; idle: number; saturated: boolean };

  constructor(
    private readonly queue: BoundedQueue<unknown>,
    private readonly idleMs: () => number,
    private readonly options: LoadOptions,
    private readonly clock: Clock,
  ) {
    this.#window = { at: clock.now(), idle: 0, saturated: false };
  }

  busy(): boolean {
    const queued = this.queue.count;
    if (queued > this.queue.limits.maxCount / 4) this.#backlog = true;
    else if (queued <= this.options.batchMax) this.#backlog = false;
    return this.#backlog || this.#saturated();
  }

  /** True when, over the last full window, the writer waited for work less than 5% of the time. */
  #saturated(): boolean {
    const now = this.clock.now();
    const elapsed = now - this.#window.at;
    if (elapsed >= SATURATION_WINDOW_MS) {
      const idle = this.idleMs();
      this.#window = { at: now, idle, saturated: idle - this.#window.idle < elapsed * SATURATED_IDLE_SHARE };
    }
    return this.#window.saturated;
  }
}
