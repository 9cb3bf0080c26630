import type { Clock } from './clock.js';

/** A clock for tests: time moves only when told to, and due timers fire then. */
export class FakeClock implements Clock {
  #now = 0;
  #timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];

  now(): number {
    return this.#now;
  }

  timer(ms: number, fn: () => void): () => void {
    const t = { at: this.#now + ms, fn, cancelled: false };
    this.#timers.push(t);
    return () => {
      t.cancelled = true;
    };
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#now = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.#now = end;
    this.#timers = this.#timers.filter((t) => !t.cancelled);
  }
}
