import { describe, expect, it } from 'vitest';
import { BoundedQueue, type Queued } from './bounded-queue.js';

const item = (value: string, count: number, bytes = 10, waits = false): Queued<string> => ({
  value,
  count,
  bytes,
  done: waits ? { resolve: () => undefined, reject: () => undefined } : null,
});

describe('BoundedQueue', () => {
  it('takes the oldest submissions up to a record count, never splitting one', () => {
    const q = new BoundedQueue<string>({ maxCount: 100, maxBytes: 1000 });
    q.push(item('a', 3));
    q.push(item('b', 4, 10, true));
    q.push(item('c', 5));
    expect([q.count, q.bytes, q.waiters]).toEqual([12, 30, 1]);
    expect(q.take(7).map((i) => i.value)).toEqual(['a', 'b']);
    expect([q.count, q.bytes, q.waiters]).toEqual([5, 10, 0]);
    // One submission larger than the batch is still taken whole.
    expect(q.take(2).map((i) => i.value)).toEqual(['c']);
    expect(q.empty).toBe(true);
    expect(q.take(10)).toEqual([]);
  });

  it('is full at a limit, and an empty queue takes any one submission', () => {
    const q = new BoundedQueue<string>({ maxCount: 10, maxBytes: 100 });
    expect(q.fits(50, 5000)).toBe(true);
    q.push(item('big', 50, 5000));
    expect(q.full).toBe(true);
    expect(q.fits(1, 1)).toBe(false);
    q.take(100);
    q.push(item('a', 6, 60));
    expect([q.fits(4, 40), q.fits(5, 1), q.fits(1, 41)]).toEqual([true, false, false]);
  });

  it('keeps order over many pushes and takes (compaction)', () => {
    const q = new BoundedQueue<number>({ maxCount: 1e9, maxBytes: 1e12 });
    const seen: number[] = [];
    for (let i = 0; i < 5000; i++) {
      q.push({ value: i, count: 1, bytes: 1, done: null });
      if (i % 3 === 2) seen.push(...q.take(2).map((x) => x.value));
    }
    while (!q.empty) seen.push(...q.take(1000).map((x) => x.value));
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});
