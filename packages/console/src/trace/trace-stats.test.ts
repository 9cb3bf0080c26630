import { describe, expect, it } from 'vitest';
import { processed, three } from '../../test/support/documents';
import { buildTimeline } from './timeline-model';
import { selfTimes, sortStats, traceStats, type StatRow } from './trace-stats';

/** Rows as [name, count, total ms, self ms], rounded to the microsecond against float noise. */
const table = (rows: StatRow[]) =>
  rows.map((r) => [
    r.operation ? `${r.service} ${r.operation}` : r.service,
    r.count,
    +(r.total * 1000).toFixed(3),
    +(r.self * 1000).toFixed(3),
  ]);

describe('trace statistics', () => {
  const model = buildTimeline(processed(three.documents));

  it('takes from each span the time its children cover', () => {
    const self = selfTimes(model);
    const ms = (id: string) => +(self.get(id)! * 1000).toFixed(3);
    // By hand from the fixture: frontend 620 ms less auth-check 25, the orders call 520, render 45.
    expect(ms('f000000000000001')).toBe(30);
    expect(ms('f000000000000002')).toBe(13); // auth-check 25 less jwt-verify 12
    expect(ms('f000000000000004')).toBe(20); // the call, 520, less the orders segment answering it, 500
    expect(ms('0a00000000000001')).toBe(40); // orders 500 less 15 + 65 + 270 + 110
    expect(ms('0a00000000000003')).toBe(0); // the DynamoDB call: its inferred node has its times
    expect(ms('0b00000000000002')).toBe(25); // reserve 230 less lock 25 and write 180
    expect(ms('0b00000000000004')).toBe(180);
  });

  it('sums self and total time per service and per operation, by self time', () => {
    const s = traceStats(model);
    expect(s.duration).toBeCloseTo(0.62, 6);
    // Total: a service's outermost spans (frontend: its segment alone, its subsegments are inside it).
    expect(table(s.services)).toEqual([
      ['inventory', 4, 250, 250],
      ['frontend', 5, 620, 120],
      ['postgres@db.internal', 1, 110, 110],
      ['orders', 5, 500, 75],
      ['stock', 1, 65, 65],
    ]);
    // Nothing runs in parallel here: the self times add up to the trace exactly.
    expect(s.services.reduce((n, r) => n + r.share, 0)).toBeCloseTo(1, 6);
    expect(s.services[0]!.share).toBeCloseTo(0.25 / 0.62, 6);
    expect(table(s.operations).slice(0, 4)).toEqual([
      ['inventory write', 1, 180, 180],
      ['postgres@db.internal postgres@db.internal', 1, 110, 110],
      ['stock stock', 1, 65, 65],
      ['frontend render', 1, 45, 45],
    ]);
    expect(s.operations.length).toBe(16);
    // The call from orders to inventory and inventory's own segment are different operations.
    expect(
      table(
        sortStats(
          s.operations.filter((r) => r.operation === 'inventory'),
          'service',
          false,
        ),
      ),
    ).toEqual([
      ['inventory inventory', 1, 250, 20],
      ['orders inventory', 1, 270, 20],
    ]);
  });

  it('counts parallel work once per span, nested repeats of an operation once in the total', () => {
    const T = 1_767_229_800;
    const m = buildTimeline([
      {
        name: 'gateway',
        id: 'a000000000000001',
        start_time: T,
        end_time: T + 1,
        subsegments: [
          // Two calls at once, 0.1–0.9 and 0.2–0.9: the gateway waits 0.8 s.
          { name: 'fetch', id: 'a000000000000002', start_time: T + 0.1, end_time: T + 0.9 },
          {
            name: 'fetch',
            id: 'a000000000000003',
            start_time: T + 0.2,
            end_time: T + 0.9,
            // A retry inside the second: the same operation nested in itself.
            subsegments: [{ name: 'fetch', id: 'a000000000000004', start_time: T + 0.3, end_time: T + 0.5 }],
          },
        ],
      },
      // Still running: it lasts until the trace's end, and its parent is not in the trace.
      { name: 'worker', id: 'b000000000000001', parent_id: 'ffffffffffffffff', start_time: T + 0.5, in_progress: true },
    ]);
    const s = traceStats(m);
    expect(table(s.operations)).toEqual([
      // 0.8 + 0.5 + 0.2 of self time; total 0.8 + 0.7 (the retry is inside the second).
      ['gateway fetch', 3, 1500, 1500],
      ['worker worker', 1, 500, 500],
      ['gateway gateway', 1, 1000, 200],
    ]);
    expect(s.services.find((r) => r.service === 'gateway')!.share).toBeCloseTo(1.7, 6);
  });

  it('sorts by any column either way', () => {
    const rows = traceStats(model).services;
    expect(sortStats(rows, 'service', false).map((r) => r.service)).toEqual([
      'frontend',
      'inventory',
      'orders',
      'postgres@db.internal',
      'stock',
    ]);
    expect(sortStats(rows, 'total', true).map((r) => r.service)).toEqual([
      'frontend',
      'orders',
      'inventory',
      'postgres@db.internal',
      'stock',
    ]);
    expect(sortStats(rows, 'count', false).map((r) => r.count)).toEqual([1, 1, 4, 5, 5]);
    expect(sortStats(rows, 'self', false)[0]!.service).toBe('stock');
  });
});
