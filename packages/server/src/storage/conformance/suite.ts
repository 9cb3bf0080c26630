import {
  buildTraceModel,
  evaluate,
  parseFilter,
  parseSegmentDocument,
  parseTraceId,
  rootCauses,
  spanBatchOf,
  type GraphEdge,
  type GraphNode,
  type ServiceGraph,
  type Span,
  type TraceModel,
} from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterCorpus, filterTraces, shop, type ShopFixture } from '../../../../../fixtures/index.js';
import { analyzeTrace } from '../../derived/root-causes/analysis.js';
import type { SpanKey, StorageBackend, TraceAnalysis } from '../api.js';

/**
 * The storage contract as tests. Every backend runs this suite against a real instance; a backend
 * exists when it is green. The fixture (fixtures/traces/shop.json) is written step by step, as the
 * pipeline would, and the reads are checked against hand-computed X-Ray answers.
 */
export function runStorageConformance(name: string, open: () => Promise<StorageBackend>): void {
  describe(`storage conformance: ${name}`, () => {
    const fx: ShopFixture = shop();
    const B = fx.base;
    const id = (k: keyof ShopFixture['traceIds']): string => parseTraceId(fx.traceIds[k])!;
    let store: StorageBackend;
    let afterT4InProgress: { partial: boolean } | null = null;

    beforeAll(async () => {
      store = await open();
      for (const step of fx.steps) {
        const spans = step.documents.flatMap(toSpans);
        await store.writer.write([{ batch: spanBatchOf(spans) }], step.replaces ? keys(spans) : []);
        await store.writer.linkOwners([...new Set(spans.map((s) => s.traceId))]);
        if (step.label === 'T4 in progress') {
          const page = await store.reader.findTraceSummaries({
            range: { start: B + 40, end: B + 41 },
            rangeType: 'TraceId',
            filter: null,
            limit: 10,
            after: null,
          });
          afterT4InProgress = { partial: page.summaries[0]!.isPartial };
        }
      }
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('getTraces', () => {
      it('returns every stored span of each trace, once, and leaves unknown IDs out', async () => {
        const traces = await store.reader.getTraces([id('T1'), id('T4'), 'ffffffffffffffffffffffffffffffff']);
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
        const [seg] = (await store.reader.getTraces([id('T4')])).get(id('T4'))!;
        expect(seg).toMatchObject({ inProgress: false, endTime: B + 40.2, http: { status: 200 } });
        expect(afterT4InProgress).toEqual({ partial: true });
      });

      it('round-trips every field of a stored span', async () => {
        const sent = fx.steps[0]!.documents.flatMap(toSpans);
        const stored = (await store.reader.getTraces([id('T1')])).get(id('T1'))!;
        const byId = new Map(stored.map((s) => [s.id, s]));
        for (const s of sent) expect(byId.get(s.id)).toEqual(s);
      });

      it('links subsegments sent on their own to their segment, whatever the arrival order', async () => {
        const spans = (await store.reader.getTraces([id('T5')])).get(id('T5'))!;
        expect(spans).toHaveLength(3);
        for (const s of spans) expect(s.owner).toEqual({ segmentId: '0500000000000001', service: 'frontend', serviceType: 'service' });
        expect(await store.reader.unlinkedTraces(B)).toEqual([id('T6')]);
      });

      it('keeps a subsegment whose parent never arrives, unlinked', async () => {
        const [ghost] = (await store.reader.getTraces([id('T6')])).get(id('T6'))!;
        expect(ghost).toMatchObject({ name: 'ghost', owner: null });
      });

      it('accepts a trace with a W3C trace ID and files it under its first span', async () => {
        const t7 = (await store.reader.getTraces([id('T7')])).get(id('T7'))!;
        expect(t7[0]!.traceTime).toBe(B + 70);
      });
    });

    describe('findTraceSummaries', () => {
      it('lists the traces of the window newest first, with X-Ray trace-level facts', async () => {
        const page = await store.reader.findTraceSummaries({
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
          new Set(['frontend|service', 'cart|service', 'DynamoDB|AWS::DynamoDB::Table', 'catalog@db.internal|Database::SQL']),
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
          const page = await store.reader.findTraceSummaries({
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
        const page = await store.reader.findTraceSummaries({
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
        const page = await store.reader.findTraceSummaries({
          range: { start: B + 20.75, end: B + 20.85 },
          rangeType: 'Service',
          filter: null,
          limit: 10,
          after: null,
        });
        expect(page.summaries.map((s) => s.traceId)).toEqual([id('T2')]);
      });

      it('answers an empty window with an empty last page', async () => {
        const page = await store.reader.findTraceSummaries({
          range: { start: B - 1000, end: B - 900 },
          rangeType: 'TraceId',
          filter: null,
          limit: 10,
          after: null,
        });
        expect(page).toEqual({ summaries: [], tracesProcessed: 0, next: null });
      });
    });

    describe('getServiceGraph', () => {
      let graph: ServiceGraph;
      beforeAll(async () => {
        graph = await store.reader.getServiceGraph({ range: { start: B, end: B + 100 } });
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
        const narrow = await store.reader.getServiceGraph({ range: { start: B + 29, end: B + 31 } });
        expect(narrow.nodes.map((n) => `${n.name}|${n.type}`).sort()).toEqual(['frontend|client', 'frontend|service']);
        expect(node(narrow, 'frontend', 'service').stats).toMatchObject({ total: 1, error: 1 });
      });

      it('draws the graph of given traces only', async () => {
        const g = await store.reader.getServiceGraph({ traceIds: [id('T2')] });
        expect(g.nodes.map((n) => n.name).sort()).toEqual(['DynamoDB', 'cart', 'frontend', 'frontend']);
        expect(edge(g, 'cart', 'DynamoDB').stats).toMatchObject({ total: 1, throttle: 1 });
      });

      it('is empty for a window without spans', async () => {
        expect(await store.reader.getServiceGraph({ range: { start: B - 100, end: B - 50 } })).toEqual({ nodes: [], edges: [] });
      });
    });

    describe('writes', () => {
      it('replaces rather than duplicates a span written again', async () => {
        const before = await store.size();
        const again = fx.steps[0]!.documents.flatMap(toSpans);
        await store.writer.write([{ batch: spanBatchOf(again) }], keys(again));
        expect((await store.size()).spans).toBe(before.spans);
        const graph = await store.reader.getServiceGraph({ traceIds: [id('T1')] });
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
        await store.writer.write([{ batch: spanBatchOf(first) }], []);
        const second = toSpans({ name: 'svc', id: '1000000000000001', trace_id: t, start_time: B + 180, end_time: B + 181 });
        await store.writer.write([{ batch: spanBatchOf(second) }], keys(second));
        const stored = (await store.reader.getTraces([parseTraceId(t)!])).get(parseTraceId(t)!)!;
        expect(stored.map((s) => [s.id, s.inProgress])).toEqual([['1000000000000001', false]]);
      });

      it('writes only the rows marked to keep', async () => {
        const t = '1-6955b9be-000000000000000000abc011';
        const spans = [
          ...toSpans({ name: 'a', id: '1100000000000001', trace_id: t, start_time: B + 190, end_time: B + 191 }),
          ...toSpans({ name: 'b', id: '1100000000000002', trace_id: t, start_time: B + 190, end_time: B + 191 }),
        ];
        await store.writer.write([{ batch: spanBatchOf(spans), keep: new Uint8Array([0, 1]) }], []);
        const stored = (await store.reader.getTraces([parseTraceId(t)!])).get(parseTraceId(t)!)!;
        expect(stored.map((s) => s.name)).toEqual(['b']);
      });

      it('links idempotently', async () => {
        expect(await store.writer.linkOwners([id('T5'), id('T6')])).toEqual([id('T6')]);
        expect(await store.writer.linkOwners([])).toEqual([]);
      });

      it('reports its size', async () => {
        const size = await store.size();
        // The shop's 16 spans, plus one each from the two tests above.
        expect(size.spans).toBe(5 + 4 + 1 + 1 + 3 + 1 + 1 + 1 + 1);
        expect(size.bytes).toBeGreaterThan(0);
      });

      it('lists spans still in progress', async () => {
        const open = {
          type: 'subsegment',
          name: 'long',
          id: '0900000000000001',
          trace_id: '1-6955b9aa-000000000000000000abc009',
          parent_id: '0900000000000000',
          start_time: B + 170,
          in_progress: true,
        };
        await store.writer.write([{ batch: spanBatchOf(toSpans(open)) }], []);
        expect(await store.reader.inProgressKeys(B)).toEqual([{ traceId: '6955b9aa000000000000000000abc009', id: '0900000000000001' }]);
      });
    });
  });
}

/**
 * Filters, evaluated by the store, select exactly the traces the in-memory evaluator selects, for
 * every valid expression of the corpus, over fixtures/traces/filters.json.
 */
export function runFilterConformance(name: string, open: () => Promise<StorageBackend>): void {
  describe(`filter conformance (differential): ${name}`, () => {
    const fx = filterTraces();
    const corpus = filterCorpus();
    let store: StorageBackend;
    const models = new Map<string, TraceModel>();

    beforeAll(async () => {
      store = await open();
      const byTrace = new Map<string, Span[]>();
      for (const step of fx.steps) {
        const spans = step.documents.flatMap(toSpans);
        await store.writer.write([{ batch: spanBatchOf(spans) }], []);
        await store.writer.linkOwners([...new Set(spans.map((s) => s.traceId))]);
        for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      }
      // What the analyzer would write once each trace goes quiet (stored spans, after linking).
      const stored = await store.reader.getTraces([...byTrace.keys()]);
      const analyses: TraceAnalysis[] = [];
      for (const [traceId, spans] of stored) {
        models.set(traceId, buildTraceModel(spans));
        analyses.push(analyzeTrace(traceId, spans, false));
      }
      await store.writer.write([], [], analyses);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('has every fixture trace in the window', async () => {
      const page = await store.reader.findTraceSummaries({
        range: { start: fx.base, end: fx.base + 200 },
        rangeType: 'TraceId',
        filter: null,
        limit: 1000,
        after: null,
      });
      expect(page.summaries.map((s) => s.traceId).sort()).toEqual([...models.keys()].sort());
    });

    it.each(corpus.valid)('%s', async (text) => {
      const parsed = parseFilter(text);
      if (!parsed.ok) throw new Error(parsed.message);
      const expected = [...models]
        .filter(([, m]) => evaluate(parsed.filter, m, rootCauses(m)))
        .map(([id]) => id)
        .sort();
      const page = await store.reader.findTraceSummaries({
        range: { start: fx.base, end: fx.base + 200 },
        rangeType: 'TraceId',
        filter: parsed.filter,
        limit: 1000,
        after: null,
      });
      expect(page.summaries.map((s) => s.traceId).sort()).toEqual(expected);
    });
  });
}

function keys(spans: readonly Span[]): SpanKey[] {
  return spans.map((s) => ({ traceId: s.traceId, id: s.id }));
}

function toSpans(doc: unknown): Span[] {
  const r = parseSegmentDocument(JSON.stringify(doc));
  if (!r.ok) throw new Error(`fixture document refused: ${r.rejection.message}`);
  return r.spans;
}

function node(graph: ServiceGraph, name: string, type: string): GraphNode {
  const n = graph.nodes.find((x) => x.name === name && x.type === type);
  if (!n) throw new Error(`no node ${name} (${type}) in ${graph.nodes.map((x) => `${x.name}|${x.type}`).join(', ')}`);
  return n;
}

function edge(graph: ServiceGraph, source: string, target: string): GraphEdge {
  const e = graph.edges.find((x) => x.source.name === source && x.target.name === target);
  if (!e) throw new Error(`no edge ${source} -> ${target}`);
  return e;
}

/** Named records (sampling rules…): created, replaced, deleted, and still there after a reopen. */
export function runRecordConformance(name: string, open: () => Promise<StorageBackend>): void {
  describe(`record conformance: ${name}`, () => {
    it('creates, replaces, lists by kind, deletes, and keeps them across a reopen', async () => {
      const first = await open();
      await first.records.put('sampling-rule', 'b', '{"v":1}');
      await first.records.put('sampling-rule', 'a', '{"v":1}');
      await first.records.put('sampling-rule', 'a', '{"v":2}');
      await first.records.put('group', 'a', '{"g":true}');
      expect(await first.records.list('sampling-rule')).toEqual([
        { name: 'a', doc: '{"v":2}' },
        { name: 'b', doc: '{"v":1}' },
      ]);
      expect(await first.records.delete('sampling-rule', 'b')).toBe(true);
      expect(await first.records.delete('sampling-rule', 'b')).toBe(false);
      await first.close();
      const second = await open();
      try {
        expect(await second.records.list('sampling-rule')).toEqual([{ name: 'a', doc: '{"v":2}' }]);
        expect(await second.records.list('group')).toEqual([{ name: 'a', doc: '{"g":true}' }]);
        expect(await second.records.list('nothing')).toEqual([]);
      } finally {
        await second.close();
      }
    });
  });
}
