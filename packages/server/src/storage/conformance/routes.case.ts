import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../api/index.js';
import { FixtureWriter, traceFilter, type ConformanceTarget } from './harness.js';

/**
 * URL routes (`http.route`, core's `urlRoute`): the root URL's path without host, port, query or
 * fragment, each segment holding a digit written `{id}`. The SQL stores compute it in SQL; these
 * traces hold them to core's function, in filters, in blocks and in groups.
 */
export function routeCases(target: ConformanceTarget): void {
  describe(`URL routes: ${target.name}`, () => {
    const B = 1767225600;
    const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
    const range = { start: B - 10, end: B + 60 };
    // Root URL per trace; a null root has no HTTP data.
    const URLS: ReadonlyArray<string | null> = [
      'http://127.0.0.1:41575/api/products/p-914',
      'http://shop:8001/api/products/p-1?ref=home#top',
      'https://shop/api/v1/orders/42',
      '/api/cart/',
      'http://shop:8002/api/products/p-2/reviews',
      null,
    ];
    const traceIds = URLS.map((_, i) => `1-${hex(B + i, 8)}-${hex(0xabc0 + i, 24)}`);
    let store: StorageBackend;
    beforeAll(async () => {
      store = await target.open();
      const writer = await FixtureWriter.start(store);
      await writer.write(
        URLS.map((url, i) => ({
          name: 'front',
          id: hex(0xf100 + i, 16),
          trace_id: traceIds[i],
          start_time: B + i,
          end_time: B + i + 0.5,
          ...(url === null ? {} : { http: { request: { method: 'GET', url } } }),
          // Trace 3 calls the orders service, whose own URL has a route too.
          ...(i === 3
            ? {
                subsegments: [
                  {
                    name: 'orders',
                    id: hex(0xf200, 16),
                    start_time: B + i + 0.1,
                    end_time: B + i + 0.2,
                    namespace: 'remote',
                    http: { request: { method: 'GET', url: 'http://orders:9000/v2/orders/o-7' } },
                  },
                ],
              }
            : {}),
        })),
      );
      await writer.stop();
    });
    afterAll(async () => {
      await store?.close();
    });

    const matching = async (filter: string) =>
      (
        await store.traces.findTraceSummaries({ range, rangeType: 'TraceId', filter: traceFilter(filter), limit: 10, after: null })
      ).summaries
        .map((s) => traceIds.findIndex((t) => t.replace(/-/g, '').slice(1) === s.traceId))
        .sort();

    it('filters on the root URL’s route: ports and IDs merge, other paths stay apart', async () => {
      expect(await matching('http.route = "/api/products/{id}"')).toEqual([0, 1]);
      expect(await matching('http.route BEGINSWITH "/api/products/"')).toEqual([0, 1, 4]);
      expect(await matching('http.route = "/api/v1/orders/{id}" OR http.route = "/api/cart/"')).toEqual([2, 3]);
      expect(await matching('!http.route')).toEqual([5]);
    });

    it('reads a call’s route in an edge block', async () => {
      expect(await matching('edge("front", "orders") { http.route = "/v2/orders/{id}" }')).toEqual([3]);
    });

    it('groups by route, and each group’s filter selects its traces', async () => {
      const groups = await store.analytics.groupTraces({ range, filter: null, by: { kind: 'http.route' }, limit: 10 });
      expect(groups.groups.map((g) => [g.value, g.traces])).toEqual([
        ['/api/products/{id}', 2],
        ['/api/cart/', 1],
        ['/api/products/{id}/reviews', 1],
        ['/api/v1/orders/{id}', 1],
        [null, 1],
      ]);
    });
  });
}
