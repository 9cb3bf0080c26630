import { parseTraceId, spanBatchOf } from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../api/index.js';
import { edge, keys, toSpans, type ConformanceTarget } from './harness.js';
import { openShop, type ShopStore } from './shop.js';

/** The trace writer contract (`TraceWriter`): superseding, whole documents, kept rows, size. */
export function traceWriterCases(target: ConformanceTarget): void {
  describe(`trace writes: ${target.name}`, () => {
    let s: ShopStore;
    let store: StorageBackend;
    let B: number;
    let fx: ShopStore['fx'];
    let id: ShopStore['id'];
    beforeAll(async () => {
      s = await openShop(target);
      ({ store, B, fx, id } = s);
    });
    afterAll(async () => {
      await s?.store.close();
    });

    it('replaces rather than duplicates a span written again', async () => {
      const before = await store.size();
      const again = fx.steps[0]!.documents.flatMap(toSpans);
      await store.spans.write({ rows: [{ batch: spanBatchOf(again) }], supersedes: keys(again) });
      expect((await store.size()).spans).toBe(before.spans);
      const graph = await store.graph.getServiceGraph({ traceIds: [id('T1')] });
      expect(edge(graph, 'frontend', 'cart').stats.total).toBe(1);
    });

    it('replaces a whole document: children the new version lacks go too', async () => {
      const t = '1-6955b9b4-000000000000000000abc010';
      const first = toSpans({
        name: 'svc',
        id: '1000000000000001',
        trace_id: t,
        start_time: B + 180,
        in_progress: true,
        subsegments: [{ name: 'early', id: '1000000000000002', start_time: B + 180, end_time: B + 180.1 }],
      });
      await store.spans.write({ rows: [{ batch: spanBatchOf(first) }], supersedes: [] });
      const second = toSpans({ name: 'svc', id: '1000000000000001', trace_id: t, start_time: B + 180, end_time: B + 181 });
      await store.spans.write({ rows: [{ batch: spanBatchOf(second) }], supersedes: keys(second) });
      const stored = (await store.traces.getTraces([parseTraceId(t)!])).get(parseTraceId(t)!)!;
      expect(stored.map((s) => [s.id, s.inProgress])).toEqual([['1000000000000001', false]]);
    });

    it('writes only the rows marked to keep', async () => {
      const t = '1-6955b9be-000000000000000000abc011';
      const spans = [
        ...toSpans({ name: 'a', id: '1100000000000001', trace_id: t, start_time: B + 190, end_time: B + 191 }),
        ...toSpans({ name: 'b', id: '1100000000000002', trace_id: t, start_time: B + 190, end_time: B + 191 }),
      ];
      await store.spans.write({ rows: [{ batch: spanBatchOf(spans), keep: new Uint8Array([0, 1]) }], supersedes: [] });
      const stored = (await store.traces.getTraces([parseTraceId(t)!])).get(parseTraceId(t)!)!;
      expect(stored.map((s) => s.name)).toEqual(['b']);
    });

    it('reports its size', async () => {
      const size = await store.size();
      // The shop's 16 spans, plus one each from the two tests above.
      expect(size.spans).toBe(5 + 4 + 1 + 1 + 3 + 1 + 1 + 1 + 1);
      if (target.durable) expect(size.bytes).toBeGreaterThan(0);
    });
  });
}
