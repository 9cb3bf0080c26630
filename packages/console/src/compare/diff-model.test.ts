import { describe, expect, it } from 'vitest';
import { CHECKOUT_MS, checkoutTrace } from '../../../../fixtures/console/compare.mjs';
import { buildTimeline, type Doc } from '../trace/timeline-model';
import { diffTraces, type DiffNode } from './diff-model';

/** A checkout trace of fixtures/console/compare.mjs, as BatchGetTraces returns it (inferred segments included). */
const model = (index: number, outlier = false, start = 1_767_225_600) =>
  buildTimeline(checkoutTrace({ index, start, outlier, inferred: true }).documents as Doc[]);

/** Each row as `depth service/name state countA/countB`. */
const shape = (rows: readonly DiffNode[]) =>
  rows.map((n) => `${n.depth} ${n.service}/${n.name} ${n.state} ${n.a?.count ?? 0}/${n.b?.count ?? 0}`);

describe('the trace diff', () => {
  it('merges two traces of the same shape into one tree, every node in both', () => {
    const d = diffTraces(model(1), model(2, false, 1_767_229_200));
    expect(shape(d.rows)).toEqual([
      '0 frontend/frontend both 1/1',
      '1 frontend/cache-lookup both 1/1',
      '1 frontend/orders both 1/1',
      '2 orders/orders both 1/1',
      '3 orders/DynamoDB both 1/1',
      '4 orders-table/orders-table both 1/1',
      '3 orders/validate both 1/1',
      '1 frontend/payments.example.com both 1/1',
      '2 payments.example.com/payments.example.com both 1/1',
    ]);
    expect(d.counts).toEqual({ 'only-a': 0, 'only-b': 0, both: 9 });
  });

  it('marks what only one trace has, and puts the slow hop first among the slowdowns', () => {
    // A: the outlier (DynamoDB 10×, a retry, no cache lookup); B: a typical trace.
    const a = model(50, true);
    const b = model(3);
    const d = diffTraces(a, b);
    expect(shape(d.rows)).toEqual([
      // Siblings by their first start in either trace: A calls orders when B looks up its cache
      // (at 1 ms), and A's first then; B validates before A retries.
      '0 frontend/frontend both 1/1',
      '1 frontend/orders both 1/1',
      '2 orders/orders both 1/1',
      '3 orders/DynamoDB both 1/1',
      '4 orders-table/orders-table both 1/1',
      '3 orders/validate both 1/1',
      '3 orders/retry-backoff only-a 1/0',
      '1 frontend/cache-lookup only-b 0/1',
      '1 frontend/payments.example.com both 1/1',
      '2 payments.example.com/payments.example.com both 1/1',
    ]);
    expect(d.counts).toEqual({ 'only-a': 1, 'only-b': 1, both: 8 });
    const node = (name: string) => d.rows.find((n) => n.name === name)!;
    // Durations A vs B and the difference: the table's call takes 200 ms in A.
    const table = node('orders-table');
    expect(table.a!.total).toBeCloseTo(10 * CHECKOUT_MS.dynamodb, 5);
    expect(table.delta).toBeCloseTo(table.a!.total - table.b!.total, 9);
    expect(table.delta).toBeGreaterThan(0.15);
    // Containing spans are slower by as much, but their own time barely changes: the list is by
    // own time, so the table comes first, then the retry that only A has.
    expect(node('orders').delta).toBeGreaterThan(table.delta);
    expect(d.slowdowns.map((n) => n.name).slice(0, 2)).toEqual(['orders-table', 'retry-backoff']);
    expect(node('retry-backoff').selfDelta).toBeCloseTo(CHECKOUT_MS.retry, 6);
    // B's cache lookup: A is faster there (negative), and B-only nodes are never slowdowns.
    expect(node('cache-lookup').delta).toBeLessThan(0);
    expect(d.slowdowns.every((n) => n.selfDelta > 0 && n.state !== 'only-b')).toBe(true);
  });

  it('counts siblings of one operation as one node', () => {
    const docs = checkoutTrace({ index: 4, start: 1_767_225_600, inferred: true }).documents as Doc[];
    const orders = docs[1]!;
    const subs = orders['subsegments'] as Doc[];
    // A second validate call in A.
    const twice = docs.map((d) => (d === orders ? { ...orders, subsegments: [...subs, { ...subs[1]!, id: 'aaaaaaaaaaaaaaaa' }] } : d));
    const d = diffTraces(buildTimeline(twice), buildTimeline(docs));
    const validate = d.rows.find((n) => n.name === 'validate')!;
    expect([validate.state, validate.a!.count, validate.b!.count]).toEqual(['both', 2, 1]);
    expect(validate.a!.total).toBeCloseTo(2 * validate.b!.total, 9);
  });

  it('keeps traces with different roots apart, and a trace against itself has no difference', () => {
    const a = model(5);
    const other = buildTimeline([
      { name: 'batch', id: 'b000000000000001', start_time: 10, end_time: 11, trace_id: '1-0000000a-000000000000000000000001' },
    ]);
    const d = diffTraces(a, other);
    expect(d.roots.map((n) => [n.name, n.state])).toEqual([
      ['frontend', 'only-a'],
      ['batch', 'only-b'],
    ]);
    const same = diffTraces(a, a);
    expect(same.rows.every((n) => n.state === 'both' && n.delta === 0)).toBe(true);
    expect(same.slowdowns).toEqual([]);
  });
});
