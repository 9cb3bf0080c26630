import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend, SummaryOrder } from '../api/index.js';
import { toSpans, type ConformanceTarget } from './harness.js';
import { openShop, type ShopStore } from './shop.js';

/**
 * The trace reader contract (`TraceReader`), over fixtures/traces/shop.json written step by step
 * through the pipeline; answers are X-Ray's, computed by hand.
 */
export function traceReaderCases(target: ConformanceTarget): void {
  describe(`traces: ${target.name}`, () => {
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

    describe('getTraces', () => {
      it('returns every stored span of each trace, once, and leaves unknown IDs out', async () => {
        const traces = await store.traces.getTraces([id('T1'), id('T4'), 'ffffffffffffffffffffffffffffffff']);
        expect([...traces.keys()].sort()).toEqual([id('T1'), id('T4')].sort());
        expect(
          traces
            .get(id('T1'))!
            .map((s) => s.id)
            .sort(),
        ).toEqual(['0100000000000001', '0100000000000002', '0100000000000003', '0100000000000004', '0100000000000005']);
        expect(traces.get(id('T4'))).toHaveLength(1);
      });

      it('keeps the completed version of a segment that first arrived in progress', async () => {
        const [seg] = (await store.traces.getTraces([id('T4')])).get(id('T4'))!;
        expect(seg).toMatchObject({ inProgress: false, endTime: B + 40.2, http: { status: 200 } });
        expect(s.t4WhileInProgress).toEqual({ partial: true });
      });

      it('round-trips every field of a stored span', async () => {
        const sent = fx.steps[0]!.documents.flatMap(toSpans);
        const stored = (await store.traces.getTraces([id('T1')])).get(id('T1'))!;
        const byId = new Map(stored.map((s) => [s.id, s]));
        for (const s of sent) expect(byId.get(s.id)).toEqual(s);
      });

      it('links subsegments sent on their own to their segment, whatever the arrival order', async () => {
        const spans = (await store.traces.getTraces([id('T5')])).get(id('T5'))!;
        expect(spans).toHaveLength(3);
        for (const s of spans) expect(s.owner).toEqual({ segmentId: '0500000000000001', service: 'frontend', serviceType: 'service' });
        expect([...new Set((await store.ingestState.unlinkedSpans(B)).map((x) => x.traceId))]).toEqual([id('T6')]);
      });

      it('keeps a subsegment whose parent never arrives, unlinked', async () => {
        const [ghost] = (await store.traces.getTraces([id('T6')])).get(id('T6'))!;
        expect(ghost).toMatchObject({ name: 'ghost', owner: null });
      });

      it('accepts a trace with a W3C trace ID and files it under its first span', async () => {
        const t7 = (await store.traces.getTraces([id('T7')])).get(id('T7'))!;
        expect(t7[0]!.traceTime).toBe(B + 70);
      });
    });

    describe('findTraceSummaries', () => {
      it('lists the traces of the window newest first, with X-Ray trace-level facts', async () => {
        const page = await store.traces.findTraceSummaries({
          range: { start: B, end: B + 100 },
          rangeType: 'TraceId',
          filter: null,
          limit: 100,
          after: null,
        });
        expect(page.summaries.map((s) => s.traceId)).toEqual(['T7', 'T6', 'T5', 'T4', 'T3', 'T2', 'T1'].map((k) => id(k as 'T1')));
        expect(page.tracesProcessed).toBe(7);
        expect(page.next).toBeNull();
        const [t7, t6, t5, t4, t3, t2, t1] = page.summaries;
        expect(t1).toMatchObject({
          startTime: B + 10,
          duration: 0.5,
          responseTime: 0.5,
          hasFault: false,
          hasError: false,
          hasThrottle: false,
          isPartial: false,
          http: { url: 'http://shop/products', method: 'GET', status: 200, clientIp: '10.1.1.1', userAgent: null },
          entryPoint: { name: 'frontend', type: 'service' },
          revision: 5,
          matchedTime: B + 10,
        });
        expect(new Set(t1!.services.map((s) => `${s.name}|${s.type}`))).toEqual(
          new Set(['frontend|service', 'cart|service', 'carts|AWS::DynamoDB::Table', 'catalog@db.internal|Database::SQL']),
        );
        expect(t1!.annotations).toEqual(
          expect.arrayContaining([
            { key: 'tier', value: 'gold', services: [{ name: 'frontend', type: 'service', accountId: null }] },
            { key: 'items', value: 2, services: [{ name: 'frontend', type: 'service', accountId: null }] },
            { key: 'vip', value: true, services: [{ name: 'frontend', type: 'service', accountId: null }] },
          ]),
        );
        expect(t1!.users).toEqual([{ name: 'u1', services: [{ name: 'frontend', type: 'service', accountId: null }] }]);
        expect(t2).toMatchObject({ hasFault: true, hasError: false, hasThrottle: true, responseTime: 1 });
        expect(t3).toMatchObject({ hasFault: false, hasError: true, hasThrottle: false, users: [{ name: 'u2' }] });
        expect(t4).toMatchObject({ isPartial: false, responseTime: expect.closeTo(0.2, 6) });
        expect(new Set(t5!.services.map((s) => s.name))).toEqual(new Set(['frontend', 'payments.example.com']));
        expect(t6).toMatchObject({ entryPoint: null, responseTime: null, services: [] });
        expect(t7).toMatchObject({ startTime: B + 70, entryPoint: { name: 'frontend' } });
      });

      it('pages with a cursor and never repeats or skips a trace', async () => {
        const seen: string[] = [];
        let after = null;
        for (let i = 0; i < 5; i++) {
          const page = await store.traces.findTraceSummaries({
            range: { start: B, end: B + 100 },
            rangeType: 'TraceId',
            filter: null,
            limit: 3,
            after,
          });
          seen.push(...page.summaries.map((s) => s.traceId));
          after = page.next;
          if (!after) break;
        }
        expect(seen).toEqual(['T7', 'T6', 'T5', 'T4', 'T3', 'T2', 'T1'].map((k) => id(k as 'T1')));
      });

      it('selects by event time: traces with a span active in the window', async () => {
        const page = await store.traces.findTraceSummaries({
          range: { start: B + 20.5, end: B + 20.6 },
          rangeType: 'Event',
          filter: null,
          limit: 10,
          after: null,
        });
        expect(page.summaries.map((s) => s.traceId)).toEqual([id('T2')]);
        expect(page.summaries[0]!.matchedTime).toBe(B + 20.5);
      });

      it('selects by service time: traces with a segment that ended in the window', async () => {
        const page = await store.traces.findTraceSummaries({
          range: { start: B + 20.75, end: B + 20.85 },
          rangeType: 'Service',
          filter: null,
          limit: 10,
          after: null,
        });
        expect(page.summaries.map((s) => s.traceId)).toEqual([id('T2')]);
      });

      it('ranks the whole window by a trace fact, either way, with traces lacking it last and ties by trace ID', async () => {
        const range = { start: B, end: B + 100 };
        const all = (await store.traces.findTraceSummaries({ range, rangeType: 'TraceId', filter: null, limit: 100, after: null }))
          .summaries;
        type Summary = (typeof all)[number];
        const facts: Record<SummaryOrder['by'], (s: Summary) => number | string | null> = {
          time: (s) => s.startTime,
          responsetime: (s) => s.responseTime,
          duration: (s) => s.duration,
          status: (s) => s.http?.status ?? null,
          method: (s) => s.http?.method ?? null,
          url: (s) => s.http?.url ?? null,
          id: (s) => s.traceId,
        };
        for (const by of Object.keys(facts) as Array<SummaryOrder['by']>) {
          for (const dir of ['asc', 'desc'] as const) {
            const page = await store.traces.findTraceSummaries({
              range,
              rangeType: 'TraceId',
              filter: null,
              limit: 4,
              after: null,
              order: { by, dir },
            });
            const v = facts[by];
            const expected = [...all]
              .sort((a, b) => {
                const x = v(a);
                const y = v(b);
                if (x === null || y === null) return x === y ? (a.traceId < b.traceId ? 1 : -1) : x === null ? 1 : -1;
                if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
                return a.traceId < b.traceId ? 1 : -1;
              })
              .slice(0, 4)
              .map((s) => s.traceId);
            expect(
              page.summaries.map((s) => s.traceId),
              `${by} ${dir}`,
            ).toEqual(expected);
            expect(page.next).toBeNull();
            expect(page.tracesProcessed).toBe(7);
          }
        }
      });

      it('answers an empty window with an empty last page', async () => {
        const page = await store.traces.findTraceSummaries({
          range: { start: B - 1000, end: B - 900 },
          rangeType: 'TraceId',
          filter: null,
          limit: 10,
          after: null,
        });
        expect(page).toEqual({ summaries: [], tracesProcessed: 0, next: null });
      });
    });
  });
}
