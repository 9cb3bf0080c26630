/** Settles a submission once its batch is written (or refused). */
export interface Completion {
  resolve(): void;
  reject(err: Error): void;
}

/** One submission: a value holding `count` records (spans, log records…) and `bytes` of input. */
export interface Queued<T> {
  readonly value: T;
  readonly count: number;
  readonly bytes: number;
  /** Set for submissions whose sender waits for them to be durable. */
  readonly done: Completion | null;
}

export interface QueueLimits {
  readonly maxCount: number;
  readonly maxBytes: number;
}

/**
 * A FIFO bounded by records and bytes. Taken slots are cleared at once (so that written values
 * can be collected) and the array is compacted in bulk, since `shift()` is O(n).
 */
export class BoundedQueue<T> {
  #items: Array<Queued<T> | null> = [];
  #head = 0;
  #count = 0;
  #bytes = 0;
  #waiters = 0;

  constructor(readonly limits: QueueLimits) {}

  /** Records queued. */
  get count(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Queued submissions whose senders wait for them. */
  get waiters(): number {
    return this.#waiters;
  }

  get empty(): boolean {
    return this.#head === this.#items.length;
  }

  /** At or above a limit: a receiver should shed load. */
  get full(): boolean {
    return this.#count >= this.limits.maxCount || this.#bytes >= this.limits.maxBytes;
  }

  /**
   * Whether a submission of this size fits. An empty queue takes any one submission, so that an
   * oversized request is not refused forever.
   */
  fits(count: number, bytes: number): boolean {
    if (this.#count === 0) return true;
    return this.#count + count <= this.limits.maxCount && this.#bytes + bytes <= this.limits.maxBytes;
  }

  push(item: Queued<T>): void {
    this.#items.push(item);
    this.#count += item.count;
    this.#bytes += item.bytes;
    if (item.done) this.#waiters++;
  }

  /** The oldest submissions up to `maxCount` records in all; always at least one when not empty. */
  take(maxCount: number): Array<Queued<T>> {
    const out: Array<Queued<T>> = [];
    let n = 0;
    while (this.#head < this.#items.length) {
      const next = this.#items[this.#head]!;
      if (out.length > 0 && n + next.count > maxCount) break;
      this.#items[this.#head++] = null;
      out.push(next);
      n += next.count;
      this.#count -= next.count;
      this.#bytes -= next.bytes;
      if (next.done) this.#waiters--;
    }
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }
}
