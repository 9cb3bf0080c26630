import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';
import { FakeClock } from './fake-clock.js';
import { IngestLoad } from './load.js';

function setup() {
  const clock = new FakeClock();
  const queue = new BoundedQueue<number>({ maxCount: 400, maxBytes: 1e9 });
  let idle = 0;
  const load = new IngestLoad(queue, () => idle, { batchMax: 10 }, clock);
  return { clock, queue, load, addIdle: (ms: number) => (idle += ms) };
}

describe('IngestLoad', () => {
  it('is busy above a quarter of the queue until it is down to one batch (hysteresis)', () => {
    const { queue, load, addIdle, clock } = setup();
    addIdle(10_000); // the writer is idle, so only the queue decides
    clock.advance(1000);
    for (let i = 0; i < 100; i++) queue.push({ value: i, count: 1, bytes: 0, done: null });
    expect(load.busy()).toBe(false);
    queue.push({ value: 100, count: 1, bytes: 0, done: null });
    expect(load.busy()).toBe(true);
    queue.take(50); // 51 left: above one batch, still busy
    expect(load.busy()).toBe(true);
    queue.take(50); // 1 left
    expect(load.busy()).toBe(false);
  });

  it('is busy while the writer waited for work less than 5% of the last second', () => {
    const { load, addIdle, clock } = setup();
    clock.advance(1000);
    addIdle(40);
    expect(load.busy()).toBe(true);
    clock.advance(500); // within the same window: unchanged
    addIdle(500);
    expect(load.busy()).toBe(true);
    clock.advance(500);
    expect(load.busy()).toBe(false);
  });
});
