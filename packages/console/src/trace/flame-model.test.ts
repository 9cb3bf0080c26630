import { describe, expect, it } from 'vitest';
import { processed, three } from '../../test/support/documents';
import { besideFrame, buildFlame, frameAt, type FlameLayout } from './flame-model';
import { buildTimeline, type Doc } from './timeline-model';

const named = (l: FlameLayout, name: string, kind = 'subsegment') =>
  [...l.frames.values()].find((f) => f.span.name === name && f.span.kind === kind)!;

/** No two frames of a row overlap, and every frame is below its parent. */
function expectWellFormed(l: FlameLayout): void {
  const problems: string[] = [];
  l.rows.forEach((row, r) => {
    for (let i = 1; i < row.length; i++) if (row[i]!.start < row[i - 1]!.end - 1e-9) problems.push(`row ${r}: ${row[i]!.span.id} overlaps`);
  });
  for (const f of l.frames.values()) if (f.parent && f.row <= f.parent.row) problems.push(`${f.span.id} not below its parent`);
  expect(problems).toEqual([]);
  expect(l.rows.flat().length).toBe(l.frames.size);
}

describe('the flame graph layout', () => {
  it('stacks a real trace by parent and child, calls answered across services', () => {
    const l = buildFlame(buildTimeline(processed(three.documents)));
    expectWellFormed(l);
    expect(l.frames.size).toBe(16);
    const rows = Object.fromEntries([...l.frames.values()].map((f) => [`${f.span.name}/${f.span.kind}`, f.row]));
    // Worked out by hand from the fixture: no siblings overlap in it, so each level is one row.
    expect(rows).toEqual({
      'frontend/segment': 0,
      'auth-check/subsegment': 1,
      'orders/subsegment': 1,
      'render/subsegment': 1,
      'jwt-verify/subsegment': 2,
      'orders/segment': 2,
      'validate/subsegment': 3,
      'DynamoDB/subsegment': 3,
      'inventory/subsegment': 3,
      'postgres@db.internal/subsegment': 3,
      'stock/inferred': 4,
      'inventory/segment': 4,
      'postgres@db.internal/inferred': 4,
      'reserve/subsegment': 5,
      'lock/subsegment': 6,
      'write/subsegment': 6,
    });
    expect(l.roots.map((f) => f.span.name)).toEqual(['frontend']);
    expect(named(l, 'inventory', 'segment').parent?.span.name).toBe('inventory');
    // Frames take the model's service groups for their colour.
    expect(named(l, 'stock', 'inferred').service).toBe(
      buildTimeline(processed(three.documents)).groups.findIndex((g) => g.name === 'stock'),
    );
  });

  it('puts children that run at the same time in rows of their own, each with its subtree', () => {
    const T = 1_767_229_800;
    const sub = (id: string, a: number, b: number, subsegments: Doc[] = []) => ({
      name: id,
      id,
      start_time: T + a,
      end_time: T + b,
      subsegments,
    });
    const l = buildFlame(
      buildTimeline([
        {
          name: 'gateway',
          id: 'a000000000000001',
          trace_id: '1-6955c968-000000000000000000000001',
          start_time: T,
          end_time: T + 1,
          subsegments: [
            sub('a000000000000002', 0.1, 0.6, [sub('a000000000000005', 0.1, 0.5, [sub('a000000000000006', 0.2, 0.3)])]),
            sub('a000000000000003', 0.2, 0.9, [sub('a000000000000007', 0.7, 0.8)]),
            // After the first ends: it takes the first row again.
            sub('a000000000000004', 0.6, 0.65),
          ],
        },
      ]),
    );
    expectWellFormed(l);
    const row = (id: string) => l.frames.get(id)!.row;
    expect([row('a000000000000002'), row('a000000000000005'), row('a000000000000006')]).toEqual([1, 2, 3]);
    // The second call overlaps the first's whole subtree (rows 1–3), so it goes below it.
    expect([row('a000000000000003'), row('a000000000000007')]).toEqual([4, 5]);
    expect(row('a000000000000004')).toBe(1);
  });

  it('finds the frame under the pointer, and the frames beside one', () => {
    const l = buildFlame(buildTimeline(processed(three.documents)));
    const T = 1_767_229_800;
    expect(frameAt(l, 6, T + 0.3)?.span.name).toBe('write');
    expect(frameAt(l, 6, T + 0.205)).toBeNull();
    expect(frameAt(l, 6, T + 0.207, 0.004)?.span.name).toBe('write');
    // Within reach of both: the nearer (lock ended at 0.2, write started at 0.21).
    expect(frameAt(l, 6, T + 0.207, 0.02)?.span.name).toBe('write');
    expect(frameAt(l, 6, T + 0.203, 0.02)?.span.name).toBe('lock');
    expect(frameAt(l, 9, T + 0.3)).toBeNull();
    const lock = named(l, 'lock');
    expect(besideFrame(l, lock, 1)?.span.name).toBe('write');
    expect(besideFrame(l, lock, -1)).toBeNull();
  });

  it('draws an in-progress span to the trace’s end, and survives a parent cycle', () => {
    const l = buildFlame(
      buildTimeline([
        { name: 'a', id: 'a000000000000001', start_time: 10, end_time: 12 },
        { name: 'b', id: 'b000000000000001', parent_id: 'c000000000000001', start_time: 11, in_progress: true },
        { name: 'c', id: 'c000000000000001', parent_id: 'b000000000000001', start_time: 11, end_time: 11.5 },
      ]),
    );
    expectWellFormed(l);
    expect(l.frames.get('b000000000000001')!.end).toBe(12);
    expect(l.roots.length).toBe(2);
  });

  it('lays out thousands of spans with no overlap', () => {
    // As bench/console.mjs builds its big trace: chains of partly overlapping subsegments.
    let n = 0;
    const subs = (t0: number, count: number, depth: number): Doc[] => {
      const out: Doc[] = [];
      let t = t0;
      for (let i = 0; i < count; i++) {
        const d = 0.002 + ((n * 7919) % 17) / 1000;
        const s: Doc = { name: `op-${n % 40}`, id: (++n).toString(16).padStart(16, '0'), start_time: t, end_time: t + d };
        if (depth < 3 && n % 5 === 0) s.subsegments = subs(t + 0.0005, 3, depth + 1);
        out.push(s);
        t += d / 2;
      }
      return out;
    };
    const docs: Doc[] = Array.from({ length: 40 }, (_, i) => ({
      name: `svc-${i % 12}`,
      id: `f${i.toString(16).padStart(15, '0')}`,
      start_time: 100 + i * 0.09,
      end_time: 100 + i * 0.09 + 0.5,
      subsegments: subs(100 + i * 0.09 + 0.001, 60, 0),
    }));
    const l = buildFlame(buildTimeline(docs));
    expect(l.frames.size).toBeGreaterThan(4000);
    expectWellFormed(l);
  });
});
