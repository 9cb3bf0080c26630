import { describe, expect, it } from 'vitest';
import { BoundedQueue, type Queued } from './bounded-queue.js';
import { FakeClock } from './fake-clock.js';
import { GroupCommit, type BatchSink } from './group-commit.js';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}
const deferred = (): Deferred => {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const settle = () => new Promise((r) => setImmediate(r));

/** A sink that records what it was asked to do and lets the test decide when writes finish. */
function recordingSink(exclusive: (batch: string[]) => boolean = () => false) {
  const log: string[] = [];
  const writes: Deferred[] = [];
  const sink: BatchSink<string, string[]> = {
    prepare: (items: ReadonlyArray<Queued<string>>) => {
      log.push(`prepare ${items.map((i) => i.value).join(',')}`);
      return items.map((i) => i.value);
    },
    exclusive,
    write: (b) => {
      log.push(`write ${b.join(',')}`);
      const d = deferred();
      writes.push(d);
      return d.promise;
    },
    committed: (b) => void log.push(`committed ${b.join(',')}`),
    failed: (b, err) => {
      log.push(`failed ${b?.join(',')}: ${err.message}`);
      return new Error(`refused: ${err.message}`);
    },
  };
  return { sink, log, writes };
}

function setup(exclusive?: (batch: string[]) => boolean) {
  const clock = new FakeClock();
  const queue = new BoundedQueue<string>({ maxCount: 1000, maxBytes: 1e9 });
  const { sink, log, writes } = recordingSink(exclusive);
  const loop = new GroupCommit(queue, sink, { batchMax: 10, flushIntervalMs: 200 }, clock);
  const push = (value: string, count = 1, waits = false): Promise<void> | null => {
    let done: Promise<void> | null = null;
    if (waits) {
      done = new Promise<void>((resolve, reject) => queue.push({ value, count, bytes: 1, done: { resolve, reject } }));
    } else queue.push({ value, count, bytes: 1, done: null });
    loop.notify(waits || queue.count >= 10);
    return done;
  };
  loop.start();
  return { clock, queue, loop, log, writes, push };
}

describe('GroupCommit', () => {
  it('lets a partial batch fill for the flush interval when nobody waits', async () => {
    const { clock, log, push, writes } = setup();
    push('a');
    push('b');
    await settle();
    expect(log).toEqual([]);
    clock.advance(199);
    await settle();
    expect(log).toEqual([]);
    clock.advance(1);
    await settle();
    expect(log).toEqual(['prepare a,b', 'write a,b']);
    writes[0]!.resolve();
    await settle();
    expect(log.at(-1)).toBe('committed a,b');
  });

  it('writes at once when a sender waits, or when a batch is full', async () => {
    const { log, push, writes } = setup();
    const done = push('x', 1, true)!;
    await settle();
    expect(log).toEqual(['prepare x', 'write x']);
    let answered = false;
    void done.then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    writes[0]!.resolve();
    await settle();
    expect(answered).toBe(true);
    push('full', 10);
    await settle();
    expect(log.slice(-2)).toEqual(['prepare full', 'write full']);
  });

  it('prepares the next batch while one is in flight, and commits in order', async () => {
    const { log, push, writes } = setup();
    const first = push('a', 1, true)!;
    await settle();
    const second = push('b', 1, true)!;
    await settle();
    // b is prepared and appended while a's write is still in flight…
    expect(log).toEqual(['prepare a', 'write a', 'prepare b', 'write b']);
    const order: string[] = [];
    void first.then(() => order.push('a'));
    void second.then(() => order.push('b'));
    // …but b's write finishing first does not answer b before a commits.
    writes[1]!.resolve();
    await settle();
    expect(order).toEqual([]);
    writes[0]!.resolve();
    await settle();
    expect(order).toEqual(['a', 'b']);
    expect(log.slice(-2)).toEqual(['committed a', 'committed b']);
  });

  it('makes an exclusive write wait for the one in flight', async () => {
    const { log, push, writes } = setup((b) => b.includes('replace'));
    push('a', 1, true);
    await settle();
    push('replace', 1, true);
    await settle();
    expect(log).toEqual(['prepare a', 'write a', 'prepare replace']);
    writes[0]!.resolve();
    await settle();
    expect(log).toEqual(['prepare a', 'write a', 'prepare replace', 'committed a', 'write replace']);
  });

  it('answers the senders of a failed write with the sink’s error, and goes on', async () => {
    const { log, push, writes } = setup();
    const failed = push('bad', 1, true)!;
    await settle();
    writes[0]!.reject(new Error('disk full'));
    await expect(failed).rejects.toThrow('refused: disk full');
    const next = push('good', 1, true)!;
    await settle();
    writes[1]!.resolve();
    await next;
    expect(log).toEqual(['prepare bad', 'write bad', 'failed bad: disk full', 'prepare good', 'write good', 'committed good']);
  });

  it('drains everything queued, without waiting for the flush interval', async () => {
    const { loop, log, push, writes } = setup();
    push('a');
    push('b');
    const drained = loop.drain();
    await settle();
    expect(log).toEqual(['prepare a,b', 'write a,b']);
    let done = false;
    void drained.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    writes[0]!.resolve();
    await drained;
    expect(loop.stopping).toBe(true);
  });

  it('counts the time it waits for work: not while a batch waits for the write in flight', async () => {
    const { clock, loop, push, writes } = setup();
    clock.advance(500);
    expect(loop.idleMs()).toBe(500);
    push('a', 1, true);
    await settle();
    // a is in flight and the queue is empty: waiting for work.
    clock.advance(100);
    expect(loop.idleMs()).toBe(600);
    push('b', 1, true);
    await settle();
    // b is appended and waits for a to commit: the store, not the input, is the bottleneck.
    clock.advance(300);
    expect(loop.idleMs()).toBe(600);
    writes[0]!.resolve();
    writes[1]!.resolve();
    await settle();
    clock.advance(50);
    expect(loop.idleMs()).toBe(650);
  });
});
