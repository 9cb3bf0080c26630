import type { ServiceGraph } from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../api/index.js';
import { edge, node, type ConformanceTarget } from './harness.js';
import { openShop, type ShopStore } from './shop.js';

/** The service-graph contract (`ServiceGraphReader`) over the shop fixture: X-Ray's node and edge rules. */
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
            'DynamoDB|AWS::DynamoDB::Table|unknown|false',
            'cart|service|active|false',
            'catalog@db.internal|Database::SQL|unknown|false',
            'frontend|client|unknown|false',
            'frontend|service|active|true',
            'payments.example.com|remote|unknown|false',
          ].sort(),
        );
        expect(graph.edges.map((e) => `${e.source.name}|${e.source.type} -> ${e.target.name}|${e.target.type}`).sort()).toEqual(
          [
            'cart|service -> DynamoDB|AWS::DynamoDB::Table',
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
        const dynamo = node(graph, 'DynamoDB', 'AWS::DynamoDB::Table');
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
        expect(g.nodes.map((n) => n.name).sort()).toEqual(['DynamoDB', 'cart', 'frontend', 'frontend']);
        expect(edge(g, 'cart', 'DynamoDB').stats).toMatchObject({ total: 1, throttle: 1 });
      });

      it('is empty for a window without spans', async () => {
        expect(await store.graph.getServiceGraph({ range: { start: B - 100, end: B - 50 } })).toEqual({ nodes: [], edges: [] });
      });
    });
  });
}
