import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../api/index.js';
import { FixtureWriter, traceFilter, type ConformanceTarget } from './harness.js';

/**
 * A trace's root-segment facts are its earliest root's, also where that root has none: a trace
 * whose first root is still in progress (no response time, no status) must not borrow a later
 * root's status, in filters, summaries and analytics alike.
 */
export function rootFactCases(target: ConformanceTarget): void {
  describe(`root-segment facts: ${target.name}`, () => {
    const B = 1767225600;
    const traceId = '1-6955b900-00000000000000000000f001';
    let store: StorageBackend;
    const range = { start: B - 10, end: B + 10 };
    beforeAll(async () => {
      store = await target.open();
      const writer = await FixtureWriter.start(store);
      // Two roots: A, the earliest, still in progress and without HTTP data; B, later, a 200.
      await writer.write([
        { name: 'first', id: 'f000000000000001', trace_id: traceId, start_time: B, in_progress: true },
        {
          name: 'second',
          id: 'f000000000000002',
          trace_id: traceId,
          start_time: B + 1,
          end_time: B + 1.5,
          http: { response: { status: 200 } },
        },
      ]);
      await writer.stop();
    });
    afterAll(async () => {
      await store?.close();
    });

    const summaries = async (filter: string | null) =>
      (
        await store.traces.findTraceSummaries({
          range,
          rangeType: 'TraceId',
          filter: filter ? traceFilter(filter) : null,
          limit: 10,
          after: null,
        })
      ).summaries;

    it('summarizes the trace by its earliest root', async () => {
      const [s] = await summaries(null);
      expect(s).toMatchObject({ responseTime: null, http: null, entryPoint: { name: 'first' } });
    });

    it('filters on the earliest root’s facts only', async () => {
      expect(await summaries('http.status = 200')).toEqual([]);
      expect(await summaries('responsetime > 0')).toEqual([]);
      expect(await summaries('!http.status')).toHaveLength(1);
    });

    it('groups and measures the trace by the earliest root', async () => {
      const groups = await store.analytics.groupTraces({ range, filter: null, by: { kind: 'http.status' }, limit: 10 });
      expect(groups.groups).toEqual([{ value: null, traces: 1, responseTimeAvg: null, faults: 0, errors: 0, throttles: 0 }]);
      const stats = await store.analytics.traceStats({ range, filter: null, period: 10 });
      expect(stats.responseTime).toMatchObject({ p50: null, max: null, buckets: [] });
    });
  });
}
