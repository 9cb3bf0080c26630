import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupBy, StorageBackend, TimeRange } from '../api/index.js';
import type { TraceFilter } from '../../query/plan.js';
import { traceFilter, type ConformanceTarget } from './harness.js';
import { openShop, type ShopStore } from './shop.js';

/**
 * The trace analytics contract (`TraceAnalyticsReader`) over fixtures/traces/shop.json, computed
 * by hand. Per trace (Tk filed at B + 10k), its root segment's facts:
 *
 *   T1 GET  /products 200  0.5 s  ok       user u1, tier "gold", items 2, vip true; calls cart, catalog (SQL);
 *                                          cart calls DynamoDB
 *   T2 POST /checkout 500  1 s    fault    tier "silver"; cart faults, its DynamoDB call throttled (429)
 *   T3 GET  /nothing  404  0.05 s error    user u2
 *   T4 GET  /slow     200  0.2 s  ok       (stored in progress first, then completed)
 *   T5 POST /pay      200  0.4 s  ok       calls payments.example.com (streamed subsegments)
 *   T6 no root segment: one orphan subsegment, no owner, so no service and no inferred node
 *   T7 GET  /w3c      200  0.1 s  ok       (W3C trace ID, filed under its start)
 *
 * Times are epoch-second doubles near 1.77e9, whose resolution is 2^-22 s (0.24 µs): stored, 0.05 s
 * reads 0.0499999523, 0.1 s 0.0999999046, 0.2 s 0.2000000477, 0.4 s 0.4000000954; 0.5 s and 1 s
 * are exact. Bucket assignments below follow from these values.
 */
export function analyticsCases(target: ConformanceTarget): void {
  describe(`trace analytics: ${target.name}`, () => {
    let s: ShopStore;
    let store: StorageBackend;
    let B: number;
    let all: TimeRange;
    beforeAll(async () => {
      s = await openShop(target);
      ({ store, B } = s);
      all = { start: B, end: B + 100 };
    });
    afterAll(async () => {
      await s?.store.close();
    });

    const filter = (text: string | undefined): TraceFilter | null => (text === undefined ? null : traceFilter(text));
    const groups = (by: GroupBy, options: { filter?: string; limit?: number; range?: TimeRange } = {}) =>
      store.analytics.groupTraces({ range: options.range ?? all, filter: filter(options.filter), by, limit: options.limit ?? 100 });
    const stats = (options: { filter?: string; period?: number; range?: TimeRange } = {}) =>
      store.analytics.traceStats({ range: options.range ?? all, filter: filter(options.filter), period: options.period ?? 10 });
    /** A group; outcome counts default to 0. */
    const group = (value: string | number | boolean | null, traces: number, rt: number | null, counts: Record<string, number> = {}) => ({
      value,
      traces,
      responseTimeAvg: rt === null ? null : expect.closeTo(rt, 6),
      faults: 0,
      errors: 0,
      throttles: 0,
      ...counts,
    });

    describe('groupTraces', () => {
      it('groups by the root segment’s HTTP status: most traces first, ties by value, the null group last', async () => {
        // 200: T1, T4, T5, T7, average (0.5 + 0.2 + 0.4 + 0.1) / 4. T2's throttle is at DynamoDB,
        // not its root: groups count traces throttled anywhere. T6 has no root segment: no status.
        expect(await groups({ kind: 'http.status' })).toEqual({
          traces: 7,
          truncated: false,
          groups: [
            group(200, 4, 0.3),
            group(404, 1, 0.05, { errors: 1 }),
            group(500, 1, 1, { faults: 1, throttles: 1 }),
            group(null, 1, null),
          ],
        });
      });

      it('groups by HTTP method', async () => {
        // GET: T1, T3, T4, T7 → (0.5 + 0.05 + 0.2 + 0.1) / 4; POST: T2, T5 → (1 + 0.4) / 2.
        expect((await groups({ kind: 'http.method' })).groups).toEqual([
          group('GET', 4, 0.2125, { errors: 1 }),
          group('POST', 2, 0.7, { faults: 1, throttles: 1 }),
          group(null, 1, null),
        ]);
      });

      it('groups by URL, truncating at the limit', async () => {
        // One trace per URL: all ties, so by value ('http://shop/checkout' < … < 'http://shop/w3c').
        const urls = ['checkout', 'nothing', 'pay', 'products', 'slow', 'w3c'].map((p) => `http://shop/${p}`);
        const full = await groups({ kind: 'http.url' });
        expect(full.groups.map((g) => g.value)).toEqual([...urls, null]);
        expect(full.truncated).toBe(false);
        expect(await groups({ kind: 'http.url' }, { limit: 2 })).toEqual({
          traces: 7,
          truncated: true,
          groups: [group(urls[0]!, 1, 1, { faults: 1, throttles: 1 }), group(urls[1]!, 1, 0.05, { errors: 1 })],
        });
        expect((await groups({ kind: 'http.url' }, { limit: 7 })).truncated).toBe(false);
        expect((await groups({ kind: 'http.url' }, { limit: 6 })).truncated).toBe(true);
      });

      it('groups by user: a trace without one falls in the null group', async () => {
        // Only T1 (u1) and T3 (u2) name a user; T2, T4, T5, T6, T7 → null, rt (1 + 0.2 + 0.4 + 0.1) / 4.
        expect((await groups({ kind: 'user' })).groups).toEqual([
          group(null, 5, 0.425, { faults: 1, throttles: 1 }),
          group('u1', 1, 0.5),
          group('u2', 1, 0.05, { errors: 1 }),
        ]);
      });

      it('groups by service, inferred nodes included, each with its type', async () => {
        // frontend: every trace but T6; cart and its DynamoDB table carts (inferred): T1 and T2;
        // ties by name, as bytes. A trace counts once in each of its groups.
        expect((await groups({ kind: 'service' })).groups).toEqual([
          { ...group('frontend', 6, 2.25 / 6, { faults: 1, errors: 1, throttles: 1 }), type: 'service' },
          { ...group('cart', 2, 0.75, { faults: 1, throttles: 1 }), type: 'service' },
          { ...group('carts', 2, 0.75, { faults: 1, throttles: 1 }), type: 'AWS::DynamoDB::Table' },
          { ...group('catalog@db.internal', 1, 0.5), type: 'Database::SQL' },
          { ...group('payments.example.com', 1, 0.4), type: 'remote' },
          group(null, 1, null),
        ]);
      });

      it('groups by annotation, keeping the value’s type', async () => {
        // tier: T1 "gold", T2 "silver", the rest none: rt (0.05 + 0.2 + 0.4 + 0.1) / 4 over T3–T7.
        expect((await groups({ kind: 'annotation', key: 'tier' })).groups).toEqual([
          group(null, 5, 0.1875, { errors: 1 }),
          group('gold', 1, 0.5),
          group('silver', 1, 1, { faults: 1, throttles: 1 }),
        ]);
        expect((await groups({ kind: 'annotation', key: 'items' })).groups.map((g) => [g.value, g.traces])).toEqual([
          [null, 6],
          [2, 1],
        ]);
        expect((await groups({ kind: 'annotation', key: 'vip' })).groups.map((g) => [g.value, g.traces])).toEqual([
          [null, 6],
          [true, 1],
        ]);
        expect((await groups({ kind: 'annotation', key: 'nope' })).groups).toEqual([
          group(null, 7, 2.25 / 6, { faults: 1, errors: 1, throttles: 1 }),
        ]);
      });

      it('groups only the traces the filter selects', async () => {
        // service("cart"): T1 and T2. fault OR error: T2 and T3.
        expect(await groups({ kind: 'http.url' }, { filter: 'service("cart")' })).toEqual({
          traces: 2,
          truncated: false,
          groups: [group('http://shop/checkout', 1, 1, { faults: 1, throttles: 1 }), group('http://shop/products', 1, 0.5)],
        });
        expect((await groups({ kind: 'http.status' }, { filter: 'fault OR error' })).groups.map((g) => g.value)).toEqual([404, 500]);
        expect(await groups({ kind: 'user' }, { filter: 'http.status = 302' })).toEqual({ traces: 0, groups: [], truncated: false });
      });

      it('groups the traces filed in the range only, and nothing for an empty window', async () => {
        // [B+15, B+35): T2 and T3; T2 brings cart and its table carts.
        expect(
          (await groups({ kind: 'service' }, { range: { start: B + 15, end: B + 35 } })).groups.map((g) => [g.value, g.traces]),
        ).toEqual([
          ['frontend', 2],
          ['cart', 1],
          ['carts', 1],
        ]);
        expect(await groups({ kind: 'service' }, { range: { start: B - 100, end: B - 50 } })).toEqual({
          traces: 0,
          groups: [],
          truncated: false,
        });
      });
    });

    describe('tracePoints', () => {
      const points = (options: { filter?: string; limit?: number; range?: TimeRange } = {}) =>
        store.analytics.tracePoints({ range: options.range ?? all, filter: filter(options.filter), limit: options.limit ?? 10_000 });

      it('gives the slowest traces first, with their start (as summaries give it) and root outcome; none without a response time', async () => {
        const page = await store.traces.findTraceSummaries({ range: all, rangeType: 'TraceId', filter: null, limit: 100, after: null });
        const startOf = new Map(page.summaries.map((x) => [x.traceId, x.startTime]));
        const p = await points();
        expect(p.traces).toBe(7);
        // T2 1 s (fault), T1 0.5, T5 0.4, T4 0.2, T7 0.1, T3 0.05 (error); T6 has no root segment.
        expect(p.points.map((x) => x.traceId)).toEqual((['T2', 'T1', 'T5', 'T4', 'T7', 'T3'] as const).map((k) => s.id(k)));
        expect(p.points[0]).toEqual({ traceId: s.id('T2'), start: startOf.get(s.id('T2')), responseTime: 1, fault: true, error: false });
        expect(p.points[5]).toMatchObject({ responseTime: expect.closeTo(0.05, 6), fault: false, error: true });
        for (const x of p.points) expect(x.start).toBe(startOf.get(x.traceId));
      });

      it('keeps to the limit and the filter, and counts every selected trace', async () => {
        const top = await points({ limit: 2 });
        expect(top).toEqual({
          traces: 7,
          points: [expect.objectContaining({ responseTime: 1 }), expect.objectContaining({ responseTime: 0.5 })],
        });
        const get = await points({ filter: 'http.method = "GET"' });
        expect(get.traces).toBe(4);
        expect(get.points.map((x) => x.traceId)).toEqual((['T1', 'T4', 'T7', 'T3'] as const).map((k) => s.id(k)));
        expect(await points({ range: { start: B + 95, end: B + 100 } })).toEqual({ traces: 0, points: [] });
      });
    });

    describe('traceStats', () => {
      /** `n` buckets of `width` seconds from 0, holding the given traces by bucket index. */
      const buckets = (n: number, width: number, traces: Record<number, number>) =>
        Array.from({ length: n }, (_, k) => ({
          start: Number((k * width).toPrecision(12)),
          end: Number(((k + 1) * width).toPrecision(12)),
          traces: traces[k] ?? 0,
        }));
      const empty = (timestamp: number) => ({ timestamp, traces: 0, ok: 0, errors: 0, faults: 0, throttles: 0, responseTimeAvg: null });

      it('gives the response-time distribution, percentiles and activity per period', async () => {
        const r = await stats();
        expect(r.traces).toBe(7);
        // Six root response times, sorted: 0.05, 0.1, 0.2, 0.4, 0.5, 1 (T6 has none). Largest 1:
        // 1/100 = 0.01 is 1 × 10^-2, so 100 buckets of 0.01 s; 1 s sits on the last edge and is
        // folded into bucket 99. floor(rt / 0.01): 0.0499999 → 4, 0.0999999 → 9, 0.2000000 → 20,
        // 0.4000001 → 40, 0.5 → 50.
        expect(r.responseTime.buckets).toEqual(buckets(100, 0.01, { 4: 1, 9: 1, 20: 1, 40: 1, 50: 1, 99: 1 }));
        // Linear interpolation at rank (n - 1) q: p50 at 2.5 (0.2 and 0.4), p90 at 4.5 (0.5 and 1),
        // p99 at 4.95 (0.5 + 0.95 × 0.5).
        expect(r.responseTime).toMatchObject({
          p50: expect.closeTo(0.3, 6),
          p90: expect.closeTo(0.75, 9),
          p99: expect.closeTo(0.975, 9),
          max: 1,
        });
        // Ten buckets of 10 s from B; each trace in the one of its filing time. The outcome is the
        // root segment's: T2's root faulted (its DynamoDB throttle is no root throttle), T3's erred;
        // T6, without a root, is neither and counts as ok, with no response time.
        const ok = (timestamp: number, rt: number) => ({ ...empty(timestamp), traces: 1, ok: 1, responseTimeAvg: expect.closeTo(rt, 6) });
        expect(r.timeSeries).toEqual([
          empty(B),
          ok(B + 10, 0.5),
          { ...empty(B + 20), traces: 1, faults: 1, responseTimeAvg: 1 },
          { ...empty(B + 30), traces: 1, errors: 1, responseTimeAvg: expect.closeTo(0.05, 6) },
          ok(B + 40, 0.2),
          ok(B + 50, 0.4),
          { ...empty(B + 60), traces: 1, ok: 1 },
          ok(B + 70, 0.1),
          empty(B + 80),
          empty(B + 90),
        ]);
      });

      it('sizes buckets as 1, 2 or 5 × a power of ten, so that 100 of them reach the largest', async () => {
        // T3 alone: 0.0499999 / 100 = 4.999995 × 10^-4 → 5 × 10^-4; ceil(99.9999) = 100 buckets.
        const t3 = await stats({ filter: 'http.status = 404' });
        expect(t3.responseTime.buckets).toEqual(buckets(100, 0.0005, { 99: 1 }));
        expect(t3.responseTime.buckets[99]).toEqual({ start: 0.0495, end: 0.05, traces: 1 });
        // T7 alone: 0.0999999 / 100 = 9.99999 × 10^-4 → 10 × 10^-4 = 0.001.
        expect((await stats({ filter: 'http.url = "http://shop/w3c"' })).responseTime.buckets).toEqual(buckets(100, 0.001, { 99: 1 }));
        // T4 alone: 0.2000000477 / 100 is just above 2 × 10^-3 → 5 × 10^-3; the largest then needs
        // ceil(40.00001) = 41 buckets, and lies in the last one.
        const t4 = await stats({ filter: 'http.url = "http://shop/slow"' });
        expect(t4.responseTime.buckets).toEqual(buckets(41, 0.005, { 40: 1 }));
        expect(t4.responseTime).toMatchObject({ p50: t4.responseTime.max, p99: t4.responseTime.max, max: expect.closeTo(0.2, 6) });
      });

      it('describes the traces the filter selects', async () => {
        // fault OR error: T2 (1 s) and T3 (0.05 s); interpolation between the two.
        const r = await stats({ filter: 'fault OR error' });
        expect(r.traces).toBe(2);
        expect(r.responseTime).toMatchObject({
          p50: expect.closeTo(0.05 + 0.5 * 0.95, 6),
          p90: expect.closeTo(0.05 + 0.9 * 0.95, 6),
          p99: expect.closeTo(0.05 + 0.99 * 0.95, 6),
          max: 1,
        });
        expect(r.responseTime.buckets).toEqual(buckets(100, 0.01, { 4: 1, 99: 1 }));
        expect(r.timeSeries.map((p) => [p.traces, p.faults, p.errors, p.ok])).toEqual([
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [1, 1, 0, 0],
          [1, 0, 1, 0],
          ...Array.from({ length: 6 }, () => [0, 0, 0, 0]),
        ]);
      });

      it('gives every bucket of the range, the last one cut short', async () => {
        // [B, B+25) by 10 s: B, B+10 (T1), B+20 (T2).
        const r = await stats({ range: { start: B, end: B + 25 } });
        expect(r.timeSeries.map((p) => [p.timestamp, p.traces])).toEqual([
          [B, 0],
          [B + 10, 1],
          [B + 20, 1],
        ]);
      });

      it('answers an empty selection with zero counts and every bucket empty', async () => {
        const nothing = { traces: 0, responseTime: { buckets: [], p50: null, p90: null, p99: null, max: null } };
        expect(await stats({ range: { start: B - 100, end: B - 50 } })).toEqual({
          ...nothing,
          timeSeries: [B - 100, B - 90, B - 80, B - 70, B - 60].map(empty),
        });
        expect(await stats({ filter: 'http.status = 302', period: 50 })).toEqual({ ...nothing, timeSeries: [empty(B), empty(B + 50)] });
      });
    });

    describe('operationStats', () => {
      const ops = (operations: Array<[service: string, name: string]>, range: TimeRange = all) =>
        store.analytics.operationStats({ range, operations: operations.map(([service, name]) => ({ service, name })) });
      /** An operation's answer, quantiles to 6 places (durations are differences of epoch-second doubles). */
      const op = (service: string, name: string, count: number, p50: number | null, p95: number | null, p99: number | null) => ({
        service,
        name,
        count,
        p50: p50 === null ? null : expect.closeTo(p50, 6),
        p95: p95 === null ? null : expect.closeTo(p95, 6),
        p99: p99 === null ? null : expect.closeTo(p99, 6),
      });

      it('gives each operation’s duration quantiles by linear interpolation, in the order asked', async () => {
        // frontend's segments, sorted: 0.05 (T3), 0.1 (T7), 0.2 (T4, counted once: completed, its
        // in-progress version superseded), 0.4 (T5), 0.5 (T1), 1 (T2). Rank (n - 1) q: p50 at 2.5
        // (0.2 and 0.4), p95 at 4.75 (0.5 + 0.75 × 0.5), p99 at 4.95 (0.5 + 0.95 × 0.5).
        // frontend's call to cart: 0.3 (T1), 0.8 (T2); cart's segments 0.2, 0.6; cart's DynamoDB call
        // 0.08, 0.4; frontend's SQL call once, 0.04: every quantile is that one span.
        expect(
          await ops([
            ['cart', 'DynamoDB'],
            ['frontend', 'frontend'],
            ['frontend', 'cart'],
            ['cart', 'cart'],
            ['frontend', 'catalog@db.internal'],
          ]),
        ).toEqual([
          op('cart', 'DynamoDB', 2, 0.24, 0.08 + 0.95 * 0.32, 0.08 + 0.99 * 0.32),
          op('frontend', 'frontend', 6, 0.3, 0.875, 0.975),
          op('frontend', 'cart', 2, 0.55, 0.3 + 0.95 * 0.5, 0.3 + 0.99 * 0.5),
          op('cart', 'cart', 2, 0.4, 0.2 + 0.95 * 0.4, 0.2 + 0.99 * 0.4),
          op('frontend', 'catalog@db.internal', 1, 0.04, 0.04, 0.04),
        ]);
      });

      it('counts subsegments sent on their own under the service they were linked to', async () => {
        // T5's subsegments arrived before their segment: linked, they are frontend's.
        expect(
          await ops([
            ['frontend', 'checkout-logic'],
            ['frontend', 'payments.example.com'],
          ]),
        ).toEqual([op('frontend', 'checkout-logic', 1, 0.3, 0.3, 0.3), op('frontend', 'payments.example.com', 1, 0.2, 0.2, 0.2)]);
      });

      it('answers an operation without spans with zero and no quantiles: unknown names, other services, orphans', async () => {
        // T6's orphan "ghost" was never linked: it has no service, so no operation has it. Names
        // match exactly ("Frontend" is not frontend), and a service's name is not its segment's
        // subsegment.
        expect(
          await ops([
            ['frontend', 'ghost'],
            ['Frontend', 'frontend'],
            ['cart', 'frontend'],
            ['frontend', 'DynamoDB'],
          ]),
        ).toEqual([
          op('frontend', 'ghost', 0, null, null, null),
          op('Frontend', 'frontend', 0, null, null, null),
          op('cart', 'frontend', 0, null, null, null),
          op('frontend', 'DynamoDB', 0, null, null, null),
        ]);
        expect(await ops([])).toEqual([]);
      });

      it('looks only at the spans of traces filed in the range', async () => {
        // [B+15, B+35): T2 (1 s, DynamoDB 0.4 s) and T3 (0.05 s). [B+40, B+41): T4 alone, completed.
        expect(
          await ops(
            [
              ['frontend', 'frontend'],
              ['cart', 'DynamoDB'],
            ],
            { start: B + 15, end: B + 35 },
          ),
        ).toEqual([op('frontend', 'frontend', 2, 0.525, 0.05 + 0.95 * 0.95, 0.05 + 0.99 * 0.95), op('cart', 'DynamoDB', 1, 0.4, 0.4, 0.4)]);
        expect(await ops([['frontend', 'frontend']], { start: B + 40, end: B + 41 })).toEqual([
          op('frontend', 'frontend', 1, 0.2, 0.2, 0.2),
        ]);
        expect(await ops([['frontend', 'frontend']], { start: B - 100, end: B - 50 })).toEqual([
          op('frontend', 'frontend', 0, null, null, null),
        ]);
      });
    });

    describe('suggestions', () => {
      it('suggests services, typed annotation keys and users of the window, most frequent first, ties by name', async () => {
        // Services by segments and inferred calls: frontend 6; cart 2 and its table carts 2 (T1,
        // T2); catalog@db.internal 1 and payments.example.com 1. T6's orphan has no owner,
        // so it names no service. Keys by spans: tier 2 (T1, T2), then items and vip 1 each.
        expect(await store.analytics.suggestions(all)).toEqual({
          services: [
            { name: 'frontend', type: 'service' },
            { name: 'cart', type: 'service' },
            { name: 'carts', type: 'AWS::DynamoDB::Table' },
            { name: 'catalog@db.internal', type: 'Database::SQL' },
            { name: 'payments.example.com', type: 'remote' },
          ],
          annotationKeys: [
            { key: 'tier', type: 'string' },
            { key: 'items', type: 'number' },
            { key: 'vip', type: 'boolean' },
          ],
          users: ['u1', 'u2'],
        });
      });

      it('looks only at spans filed in the window', async () => {
        // [B+15, B+35): T2 and T3. frontend 2, then cart 1 and carts 1.
        expect(await store.analytics.suggestions({ start: B + 15, end: B + 35 })).toEqual({
          services: [
            { name: 'frontend', type: 'service' },
            { name: 'cart', type: 'service' },
            { name: 'carts', type: 'AWS::DynamoDB::Table' },
          ],
          annotationKeys: [{ key: 'tier', type: 'string' }],
          users: ['u2'],
        });
        expect(await store.analytics.suggestions({ start: B - 100, end: B - 50 })).toEqual({ services: [], annotationKeys: [], users: [] });
      });
    });
  });
}
