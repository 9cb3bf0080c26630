import { describe, expect, it } from 'vitest';
import type { StorageBackend } from '../api/index.js';
import { spanBatchOf } from '@fluoro/core';
import { FixtureWriter, toSpans, traceFilter, type ConformanceTarget } from './harness.js';

const HOUR = 3600;

/** A trace of two segments filed at `at` (its X-Ray ID carries the time). */
function trace(at: number, n: number): { id: string; docs: unknown[] } {
  const hex = `${Math.floor(at).toString(16)}${n.toString(16).padStart(24, '0')}`;
  const traceId = `1-${hex.slice(0, 8)}-${hex.slice(8)}`;
  const root = { name: 'front', id: `a${n.toString(16).padStart(15, '0')}`, trace_id: traceId, start_time: at + 1, end_time: at + 2 };
  const child = { ...root, name: 'cart', id: `b${n.toString(16).padStart(15, '0')}`, parent_id: root.id, start_time: at + 1.1 };
  return { id: hex, docs: [root, child] };
}

/** The retention contract (`RetentionStore`): whole traces filed before a time go, with what was derived from them. */
export function retentionCases(target: ConformanceTarget): void {
  describe(`retention: ${target.name}`, () => {
    it('names the oldest trace, deletes every trace filed before a time with its root causes, and keeps the rest', async () => {
      const store = await target.open();
      try {
        expect(await store.retention.oldest()).toBeNull();
        const H = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 3 * HOUR;
        const traces = [trace(H + 10, 1), trace(H + 20, 2), trace(H + HOUR + 5, 3), trace(H + 2 * HOUR + 5, 4)];
        const writer = await FixtureWriter.start(store);
        for (const t of traces) await writer.write(t.docs);
        await writer.stop();
        await store.rootCauses.write([
          {
            traceId: traces[0]!.id,
            traceTime: H + 10,
            replaces: false,
            causes: {
              fault: [JSON.stringify({ Services: [{ Name: 'cart', Names: ['cart'], Type: 'service', Inferred: false, EntityPath: [] }] })],
              error: [],
              responsetime: [],
            },
          },
        ]);
        expect(await store.retention.oldest()).toBe(H + 10);
        const byRootCause = async (): Promise<string[]> =>
          (
            await store.traces.findTraceSummaries({
              range: { start: H, end: H + 3 * HOUR },
              rangeType: 'TraceId',
              filter: traceFilter('rootcause.fault.service { name = "cart" }'),
              limit: 10,
              after: null,
            })
          ).summaries.map((s) => s.traceId);
        expect(await byRootCause()).toEqual([traces[0]!.id]);

        expect(await store.retention.deleteBefore(H + HOUR)).toBe(4);
        expect(await store.retention.oldest()).toBe(H + HOUR + 5);
        const left = await store.traces.getTraces(traces.map((t) => t.id));
        expect([...left.keys()].sort()).toEqual([traces[2]!.id, traces[3]!.id].sort());
        expect((await store.size()).spans).toBe(4);
        expect(await store.retention.deleteBefore(H + HOUR)).toBe(0);

        // Written again, the first trace is a new one: its old root causes went with it.
        const again = await FixtureWriter.start(store);
        await again.write(traces[0]!.docs);
        await again.stop();
        expect(await byRootCause()).toEqual([]);

        expect(await store.retention.deleteBefore(H + 4 * HOUR)).toBe(6);
        expect(await store.retention.oldest()).toBeNull();
      } finally {
        await store.close();
      }
    });

    it('gives the space of deleted traces back to the store', async () => {
      if (!target.durable) return;
      const store: StorageBackend = await target.open();
      try {
        // DuckDB frees whole row groups (122,880 rows): an hour of 150,000 spans frees at least one.
        const H = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 2 * HOUR;
        const [root] = toSpans(trace(H, 1).docs[0]);
        const PER_HOUR = 150_000;
        for (let hour = 0; hour < 2; hour++) {
          for (let from = 0; from < PER_HOUR; from += 10_000) {
            const spans = Array.from({ length: 10_000 }, (_, k) => {
              const n = hour * PER_HOUR + from + k;
              const t = H + hour * HOUR + n / 1000;
              return {
                ...root!,
                traceId: n.toString(16).padStart(32, '0'),
                id: n.toString(16).padStart(16, '0'),
                docId: n.toString(16).padStart(16, '0'),
                startTime: t,
                endTime: t + 1,
                traceTime: t,
              };
            });
            await store.spans.write({ rows: [{ batch: spanBatchOf(spans) }], supersedes: [] });
          }
        }
        await store.retention.deleteBefore(H - HOUR); // nothing to delete: settles the log into the file
        const before = await store.size();
        expect(before.spans).toBe(2 * PER_HOUR);
        expect(await store.retention.deleteBefore(H + HOUR)).toBe(PER_HOUR);
        const after = await store.size();
        expect(after.spans).toBe(PER_HOUR);
        expect(after.usedBytes).toBeLessThan(before.usedBytes * 0.8);
      } finally {
        await store.close();
      }
      // 300,000 spans written and rolled up: 9 s on a quiet machine, 28 s on a loaded one.
    }, 120_000);
  });
}
