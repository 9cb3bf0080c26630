import { parseFilter, type GraphStats, type ServiceGraph } from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSelector } from '../../query/selector-planner.js';
import type { StorageBackend, TimeRange } from '../api/index.js';
import { edge, node, type ConformanceTarget } from './harness.js';
import { openShop, type ShopStore } from './shop.js';

/**
 * The service-graph contract (`ServiceGraphReader`) over the shop fixture: X-Ray's node and edge
 * rules. The spans behind the expectations (start offsets from B, durations as stored; epoch
 * doubles resolve 2^-22 s, so 0.3 s may read 0.29999995, and histograms round to the millisecond):
 *
 *   T1 +10     frontend 0.5 ok → cart call +10.05 0.3 (cart segment +10.1 0.2) → carts (DynamoDB) +10.12 0.08;
 *              catalog@db.internal (SQL) call +10.36 0.04
 *   T2 +20     frontend 1 fault → cart call +20.1 0.8 fault (cart segment +20.2 0.6 fault)
 *              → carts +20.3 0.4 throttled (error + throttle, 429: counted as a throttle)
 *   T3 +30     frontend 0.05 error        T4 +40  frontend 0.2 ok
 *   T5 +50     frontend 0.4 ok → payments.example.com call +50.1 0.2
 *   T6 +60     an orphan subsegment only (no owner: no node, no edge)
 *   T7 +70     frontend 0.1 ok
 */
export function graphCases(target: ConformanceTarget): void {
  describe(`service graph: ${target.name}`, () => {
    let s: ShopStore;
    let store: StorageBackend;
    let B: number;
    let id: ShopStore['id'];
    beforeAll(async () => {
      s = await openShop(target);
      ({ store, B, id } = s);
    });
    afterAll(async () => {
      await s?.store.close();
    });

    describe('getServiceGraph', () => {
      let graph: ServiceGraph;
      beforeAll(async () => {
        graph = await store.graph.getServiceGraph({ range: { start: B, end: B + 100 } });
      });

      it('has every service, the client of the root service and every inferred downstream node', () => {
        expect(graph.nodes.map((n) => `${n.name}|${n.type}|${n.state}|${n.root}`).sort()).toEqual(
          [
            'carts|AWS::DynamoDB::Table|unknown|false',
            'cart|service|active|false',
            'catalog@db.internal|Database::SQL|unknown|false',
            'frontend|client|unknown|false',
            'frontend|service|active|true',
            'payments.example.com|remote|unknown|false',
          ].sort(),
        );
        expect(graph.edges.map((e) => `${e.source.name}|${e.source.type} -> ${e.target.name}|${e.target.type}`).sort()).toEqual(
          [
            'cart|service -> carts|AWS::DynamoDB::Table',
            'frontend|client -> frontend|service',
            'frontend|service -> cart|service',
            'frontend|service -> catalog@db.internal|Database::SQL',
            'frontend|service -> payments.example.com|remote',
          ].sort(),
        );
      });

      it('takes node statistics from the service’s own segments', () => {
        expect(node(graph, 'frontend', 'service').stats).toEqual({
          total: 6,
          ok: 4,
          error: 1,
          throttle: 0,
          fault: 1,
          totalResponseTime: expect.closeTo(0.5 + 1 + 0.05 + 0.2 + 0.4 + 0.1, 6),
        });
        expect(node(graph, 'cart', 'service').stats).toMatchObject({
          total: 2,
          ok: 1,
          fault: 1,
          totalResponseTime: expect.closeTo(0.2 + 0.6, 6),
        });
        expect(node(graph, 'frontend', 'client').stats).toBeNull();
        const dynamo = node(graph, 'carts', 'AWS::DynamoDB::Table');
        expect(dynamo.stats).toMatchObject({ total: 2, ok: 1, throttle: 1, error: 0, fault: 0 });
        expect(dynamo.responseTimeHistogram).toEqual([
          { value: 0.08, count: 1 },
          { value: 0.4, count: 1 },
        ]);
      });

      it('takes edge statistics from the caller’s subsegments', () => {
        const toCart = edge(graph, 'frontend', 'cart');
        // The caller measured 0.3 s and 0.8 s; the cart segments themselves took 0.2 s and 0.6 s.
        expect(toCart.stats).toMatchObject({ total: 2, ok: 1, fault: 1, totalResponseTime: expect.closeTo(1.1, 6) });
        expect(toCart.responseTimeHistogram).toEqual([
          { value: 0.3, count: 1 },
          { value: 0.8, count: 1 },
        ]);
        expect(edge(graph, 'frontend', 'frontend').stats).toMatchObject({ total: 6, ok: 4, error: 1, fault: 1 });
        expect(edge(graph, 'frontend', 'payments.example.com').stats).toMatchObject({ total: 1, ok: 1 });
        expect(toCart.startTime).toBe(B + 10.05);
        expect(toCart.endTime).toBe(B + 20.9);
      });

      it('limits the graph to the window', async () => {
        const narrow = await store.graph.getServiceGraph({ range: { start: B + 29, end: B + 31 } });
        expect(narrow.nodes.map((n) => `${n.name}|${n.type}`).sort()).toEqual(['frontend|client', 'frontend|service']);
        expect(node(narrow, 'frontend', 'service').stats).toMatchObject({ total: 1, error: 1 });
      });

      it('draws the graph of given traces only', async () => {
        const g = await store.graph.getServiceGraph({ traceIds: [id('T2')] });
        expect(g.nodes.map((n) => n.name).sort()).toEqual(['cart', 'carts', 'frontend', 'frontend']);
        expect(edge(g, 'cart', 'carts').stats).toMatchObject({ total: 1, throttle: 1 });
      });

      it('is empty for a window without spans', async () => {
        expect(await store.graph.getServiceGraph({ range: { start: B - 100, end: B - 50 } })).toEqual({ nodes: [], edges: [] });
      });
    });

    describe('getServiceTimeSeries', () => {
      const all = (): TimeRange => ({ start: B, end: B + 100 });
      const series = (period: number, selector?: string, range: TimeRange = all()) => {
        if (selector === undefined) return store.graph.getServiceTimeSeries(range, period, planSelector(null));
        const parsed = parseFilter(selector, { entitySelector: true });
        if (!parsed.ok) throw new Error(parsed.message);
        return store.graph.getServiceTimeSeries(range, period, planSelector(parsed.filter));
      };
      type Outcomes = Partial<Pick<GraphStats, 'ok' | 'error' | 'throttle' | 'fault'>>;
      /** A bucket: counts by outcome (total is their sum), summed response time, histogram as [value, count]. */
      const point = (timestamp: number, kind: 'service' | 'edge', outcomes: Outcomes, responseTime: number, histogram: number[][]) => {
        const counts = { ok: 0, error: 0, throttle: 0, fault: 0, ...outcomes };
        return {
          timestamp,
          kind,
          stats: {
            total: counts.ok + counts.error + counts.throttle + counts.fault,
            ...counts,
            totalResponseTime: expect.closeTo(responseTime, 6),
          },
          responseTimeHistogram: histogram.map(([value, count]) => ({ value, count })),
        };
      };
      // The six root segments, each seen from its client: T1–T5 start in [B, B+60), T7 in [B+60, B+120).
      const entering = () => [
        point(B, 'edge', { ok: 3, error: 1, fault: 1 }, 0.5 + 1 + 0.05 + 0.2 + 0.4, [
          [0.05, 1],
          [0.2, 1],
          [0.4, 1],
          [0.5, 1],
          [1, 1],
        ]),
        point(B + 60, 'edge', { ok: 1 }, 0.1, [[0.1, 1]]),
      ];

      it('without a selector, gives the requests entering the system: the client edges', async () => {
        expect(await series(60)).toEqual(entering());
        // By 10 s: one root each at B+10…B+50 and B+70; B+60 (T6, no segment) and empty periods are left out.
        expect(await series(10)).toEqual([
          point(B + 10, 'edge', { ok: 1 }, 0.5, [[0.5, 1]]),
          point(B + 20, 'edge', { fault: 1 }, 1, [[1, 1]]),
          point(B + 30, 'edge', { error: 1 }, 0.05, [[0.05, 1]]),
          point(B + 40, 'edge', { ok: 1 }, 0.2, [[0.2, 1]]),
          point(B + 50, 'edge', { ok: 1 }, 0.4, [[0.4, 1]]),
          point(B + 70, 'edge', { ok: 1 }, 0.1, [[0.1, 1]]),
        ]);
      });

      it('gives a node’s statistics from its own segments: service(name)', async () => {
        // The cart segments (0.2 s ok, 0.6 s fault), not the frontend's calls to them (0.3, 0.8).
        expect(await series(10, 'service("cart")')).toEqual([
          point(B + 10, 'service', { ok: 1 }, 0.2, [[0.2, 1]]),
          point(B + 20, 'service', { fault: 1 }, 0.6, [[0.6, 1]]),
        ]);
        // By name, every node so named, but the frontend client is no service: six segments, as above.
        const frontend = entering().map((p) => ({ ...p, kind: 'service' }));
        expect(await series(60, 'service("frontend")')).toEqual(frontend);
        expect(await series(60, 'service(id(name: "frontend", type: "service"))')).toEqual(frontend);
      });

      it('selects nodes by id(): an inferred node by its type, an account no segment has', async () => {
        // DynamoDB, inferred from the calls to it: 0.08 s ok and 0.4 s throttled, both in [B, B+60).
        expect(await series(60, 'service(id(type: "AWS::DynamoDB::Table"))')).toEqual([
          point(B, 'service', { ok: 1, throttle: 1 }, 0.48, [
            [0.08, 1],
            [0.4, 1],
          ]),
        ]);
        expect(await series(60, 'service(id(name: "frontend", account.id: "123456789012"))')).toEqual([]);
      });

      it('gives an edge’s statistics from the caller’s spans: edge(from, to)', async () => {
        expect(await series(10, 'edge("frontend", "cart")')).toEqual([
          point(B + 10, 'edge', { ok: 1 }, 0.3, [[0.3, 1]]),
          point(B + 20, 'edge', { fault: 1 }, 0.8, [[0.8, 1]]),
        ]);
        // The client edge is frontend (client) → frontend (service): picked by name and by id().
        expect(await series(60, 'edge("frontend", "frontend")')).toEqual(entering());
        expect(await series(60, 'edge(id(name: "frontend", type: "client"), id(name: "frontend", type: "service"))')).toEqual(entering());
      });

      it('adds up several selectors of one kind joined with OR, bucket by bucket', async () => {
        // cart's segments with DynamoDB's calls: +10.1 ok 0.2 and +10.12 ok 0.08; +20.2 fault 0.6 and +20.3 throttle 0.4.
        expect(await series(10, 'service("cart") OR service("carts")')).toEqual([
          point(B + 10, 'service', { ok: 2 }, 0.28, [
            [0.08, 1],
            [0.2, 1],
          ]),
          point(B + 20, 'service', { fault: 1, throttle: 1 }, 1, [
            [0.4, 1],
            [0.6, 1],
          ]),
        ]);
        // The calls to the SQL database (0.04 s) and to payments (0.2 s), both inferred nodes.
        expect(await series(60, 'edge("frontend", "catalog@db.internal") OR edge("frontend", "payments.example.com")')).toEqual([
          point(B, 'edge', { ok: 2 }, 0.24, [
            [0.04, 1],
            [0.2, 1],
          ]),
        ]);
      });

      it('counts the events starting in the window, related within their whole trace: a caller outside it leaves its callee no root', async () => {
        // [B+10.08, B+10.15) holds T1's cart segment (+10.1) and its DynamoDB call (+10.12), not
        // the frontend's call to cart (+10.05): that call is cart's caller all the same, so cart
        // is not entered from a client, and the call itself (timed by the caller) falls outside.
        const cut = { start: B + 10.08, end: B + 10.15 };
        expect(await series(60, undefined, cut)).toEqual([]);
        expect(await series(60, 'edge(id(name: "cart", type: "client"), "cart")', cut)).toEqual([]);
        expect(await series(60, 'edge("frontend", "cart")', cut)).toEqual([]);
        expect(await series(60, 'service("carts")', cut)).toEqual([point(B, 'service', { ok: 1 }, 0.08, [[0.08, 1]])]);
        expect(await series(60, 'edge("cart", "carts")', cut)).toEqual([point(B, 'edge', { ok: 1 }, 0.08, [[0.08, 1]])]);
        const graph = await store.graph.getServiceGraph({ range: cut });
        expect(graph.nodes.map((n) => `${n.name}|${n.type}`).sort()).toEqual(['carts|AWS::DynamoDB::Table', 'cart|service']);
      });

      it('is empty for a window without spans', async () => {
        expect(await series(60, undefined, { start: B - 100, end: B - 50 })).toEqual([]);
        expect(await series(60, 'service("cart")', { start: B + 30, end: B + 100 })).toEqual([]);
      });
    });
  });
}
