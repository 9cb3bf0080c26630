import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shop } from '../../../fixtures/index.js';
import { startTestFluoro, xray, type TestFluoro } from './helpers.js';

/**
 * The console's aggregates (docs/native-api.md) over the shop fixture, whose seven traces are
 * known by hand: T1 ok (u1, tier gold), T2 fault with a throttled DynamoDB call (tier silver),
 * T3 404 (u2), T4 ok after being in progress, T5 ok with streamed subsegments, T6 an orphan
 * subsegment (no root segment), T7 with a random W3C trace ID.
 */
const fx = shop();
const B = fx.base;
const window = { start: B, end: B + 100 };

async function api<T = any>(url: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

describe('native API: trace groups, stats and suggestions', () => {
  let f: TestFluoro;

  beforeAll(async () => {
    f = await startTestFluoro();
    for (const step of fx.steps) {
      const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: step.documents.map((d) => JSON.stringify(d)) });
      expect(res.body, step.label).toEqual({ UnprocessedTraceSegments: [] });
    }
  });
  afterAll(async () => {
    await f?.stop();
  });

  const groups = async (by: string, filter?: string) =>
    (await api(f.url, '/api/v1/traces/groups', { ...window, by, ...(filter ? { filter } : {}) })).body;
  /** The traces GetTraceSummaries selects with a filter: a group's `filter` must select its traces. */
  const selected = async (filter: string): Promise<number> => {
    const res = await xray(f.url, '/TraceSummaries', { StartTime: B, EndTime: B + 100, FilterExpression: filter });
    expect(res.status, filter).toBe(200);
    return (res.body['TraceSummaries'] as unknown[]).length;
  };

  it('groups by the root segment’s HTTP status, with response times, statuses and a filter per group', async () => {
    const r = await groups('http.status');
    expect(r.traces).toBe(7);
    expect(r.truncated).toBe(false);
    expect(r.groups).toEqual([
      {
        value: 200,
        traces: 4,
        share: 0.5714,
        responseTimeAvg: expect.closeTo(0.3, 6),
        faults: 0,
        errors: 0,
        throttles: 0,
        filter: 'http.status = 200',
      },
      {
        value: 404,
        traces: 1,
        share: 0.1429,
        responseTimeAvg: expect.closeTo(0.05, 6),
        faults: 0,
        errors: 1,
        throttles: 0,
        filter: 'http.status = 404',
      },
      { value: 500, traces: 1, share: 0.1429, responseTimeAvg: 1, faults: 1, errors: 0, throttles: 1, filter: 'http.status = 500' },
      { value: null, traces: 1, share: 0.1429, responseTimeAvg: null, faults: 0, errors: 0, throttles: 0, filter: '!http.status' },
    ]);
    for (const g of r.groups) expect(await selected(g.filter), g.filter).toBe(g.traces);
  });

  it('groups by multi-valued attributes: users, services (inferred ones too) and typed annotations', async () => {
    const users = await groups('user');
    expect(users.groups.map((g: any) => [g.value, g.traces, g.filter])).toEqual([
      [null, 5, '!user'],
      ['u1', 1, 'user = "u1"'],
      ['u2', 1, 'user = "u2"'],
    ]);
    const services = await groups('service');
    expect(services.groups.map((g: any) => [g.value, g.type, g.traces])).toEqual([
      ['frontend', 'service', 6],
      ['cart', 'service', 2],
      ['carts', 'AWS::DynamoDB::Table', 2],
      ['catalog@db.internal', 'Database::SQL', 1],
      ['payments.example.com', 'remote', 1],
      [null, undefined, 1],
    ]);
    for (const g of services.groups.filter((x: any) => x.value !== null)) expect(await selected(g.filter), g.filter).toBe(g.traces);
    const tiers = await groups('annotation.tier');
    expect(tiers.groups.map((g: any) => [g.value, g.traces, g.filter])).toEqual([
      [null, 5, '!annotation.tier'],
      ['gold', 1, 'annotation.tier = "gold"'],
      ['silver', 1, 'annotation.tier = "silver"'],
    ]);
    for (const g of tiers.groups) expect(await selected(g.filter), g.filter).toBe(g.traces);
    const items = await groups('annotation[items]');
    expect(items.groups[1]).toMatchObject({ value: 2, traces: 1, filter: 'annotation.items = 2' });
    const vip = await groups('annotation.vip');
    expect(vip.groups[1]).toMatchObject({ value: true, traces: 1, filter: 'annotation.vip = true' });
  });

  it('groups only the traces a filter selects', async () => {
    const r = await groups('http.url', 'service("cart")');
    expect(r.traces).toBe(2);
    expect(r.groups.map((g: any) => g.value)).toEqual(['http://shop/checkout', 'http://shop/products']);
    const limited = (await api(f.url, '/api/v1/traces/groups', { ...window, by: 'http.url', limit: 2 })).body;
    expect(limited.groups).toHaveLength(2);
    expect(limited.truncated).toBe(true);
  });

  it('gives the slowest traces as points for the latency scatter', async () => {
    const { status, body } = await api(f.url, '/api/v1/traces/points', { ...window, limit: 3 });
    expect(status).toBe(200);
    expect(body.traces).toBe(7);
    // Root response times 1 (fault), 0.5, 0.4 are the three slowest.
    expect(body.points.map((p: any) => [p.rt, p.outcome])).toEqual([
      [1, 'fault'],
      [0.5, 'ok'],
      [expect.closeTo(0.4, 6), 'ok'],
    ]);
    expect(body.points[0].id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(body.points[0].start).toBeGreaterThanOrEqual(B);
    const errors = (await api(f.url, '/api/v1/traces/points', { ...window, filter: 'error' })).body;
    expect(errors).toMatchObject({ traces: 1, points: [{ outcome: 'error' }] });
  });

  it('gives the response-time distribution and activity per period', async () => {
    const { status, body } = await api(f.url, '/api/v1/traces/stats', { ...window, period: 10 });
    expect(status).toBe(200);
    expect(body.traces).toBe(7);
    expect(body.period).toBe(10);
    // Root response times 0.5, 1, 0.05, 0.2, 0.4, 0.1 (T6 has no root segment).
    expect(body.responseTime).toMatchObject({ max: 1, p50: expect.closeTo(0.3, 6) });
    const buckets = body.responseTime.buckets as Array<{ start: number; end: number; traces: number }>;
    expect(buckets).toHaveLength(100);
    expect(buckets[0]).toEqual({ start: 0, end: 0.01, traces: 0 });
    expect(buckets.reduce((n, b) => n + b.traces, 0)).toBe(6);
    // 0.05 s, measured from epoch-second doubles, lands on either side of the 0.05 edge.
    expect(buckets[4]!.traces + buckets[5]!.traces).toBe(1);
    expect(buckets[99]).toEqual({ start: 0.99, end: 1, traces: 1 });
    const series = body.timeSeries as Array<Record<string, number | null>>;
    expect(series.map((p) => p['timestamp'])).toEqual(Array.from({ length: 10 }, (_, k) => B + 10 * k));
    expect(series.map((p) => p['traces'])).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(series[2]).toMatchObject({ faults: 1, errors: 0, ok: 0, throttles: 0, responseTimeAvg: 1 });
    expect(series[3]).toMatchObject({ faults: 0, errors: 1, ok: 0 });
    expect(series[0]).toMatchObject({ traces: 0, responseTimeAvg: null });
    const filtered = (await api(f.url, '/api/v1/traces/stats', { ...window, filter: 'fault OR error' })).body;
    expect(filtered.traces).toBe(2);
    expect(filtered.period).toBe(1); // 100 s in at most 120 buckets
    expect(filtered.timeSeries).toHaveLength(100);
  });

  it('suggests services, annotation keys and users of the window', async () => {
    const { body } = await api(f.url, '/api/v1/suggestions', window);
    expect(body.services.map((s: any) => `${s.name}|${s.type}`).sort()).toEqual(
      [
        'frontend|service',
        'cart|service',
        'carts|AWS::DynamoDB::Table',
        'catalog@db.internal|Database::SQL',
        'payments.example.com|remote',
      ].sort(),
    );
    expect(body.annotationKeys).toEqual(
      expect.arrayContaining([
        { key: 'tier', type: 'string' },
        { key: 'items', type: 'number' },
        { key: 'vip', type: 'boolean' },
      ]),
    );
    expect(body.users.sort()).toEqual(['u1', 'u2']);
  });

  it('ranks every trace of the window, not a page of it: by response time, either way, and only the filter’s', async () => {
    const ranked = async (body: Record<string, unknown>) => {
      const res = await api(f.url, '/api/v1/traces/ranked', { ...window, ...body });
      expect(res.status).toBe(200);
      return res.body as { traces: Array<{ Id: string; ResponseTime?: number }>; processed: number };
    };
    // Response times by hand: T2 1 s, T1 0.5 s, T5 0.4 s, T4 0.2 s, T3 0.05 s; T6 has no root segment.
    const slowest = await ranked({ by: 'responsetime', limit: 3 });
    expect(slowest.processed).toBe(7);
    expect(slowest.traces.map((t) => t.ResponseTime)).toEqual([1, 0.5, expect.closeTo(0.4, 6)]);
    const fastest = await ranked({ by: 'responsetime', dir: 'asc' });
    expect(fastest.traces).toHaveLength(7);
    expect(fastest.traces[fastest.traces.length - 1]!.ResponseTime).toBeUndefined();
    const ok = await ranked({ by: 'responsetime', filter: 'ok', limit: 1 });
    expect(ok.traces.map((t) => t.ResponseTime)).toEqual([0.5]);
    expect((await ranked({ by: 'id', dir: 'asc', limit: 1 })).traces[0]!.Id).toBe(Object.values(fx.traceIds).sort()[0]);
  });

  it('answers bad requests with what is wrong', async () => {
    const cases: Array<[string, unknown, string]> = [
      [
        '/api/v1/traces/groups',
        { ...window, by: 'colour' },
        '"by" must be one of http.url, http.route, http.status, http.method, user, service or annotation.<key>, not "colour"',
      ],
      [
        '/api/v1/traces/groups',
        { ...window, by: 'user', filter: 'responsetime > fast' },
        'filter: 1:16: expected a number after \'>\' but found "fast"',
      ],
      ['/api/v1/traces/groups', { start: B, by: 'user' }, '"end" must be a time in epoch seconds (a number)'],
      ['/api/v1/traces/groups', { ...window, by: 'user', limit: 0 }, '"limit" must be a whole number from 1 to 1000'],
      ['/api/v1/traces/stats', { start: B + 10, end: B }, `end (${B}) must be after start (${B + 10})`],
      ['/api/v1/traces/stats', { ...window, period: 0.5 }, '"period" must be a whole number from 1 to 86400'],
      ['/api/v1/suggestions', [1], 'the request body must be a JSON object'],
      ['/api/v1/traces/ranked', { ...window, by: 'colour' }, '"by" must be one of time, responsetime, duration, status, method, url, id'],
      ['/api/v1/traces/ranked', { ...window, by: 'duration', dir: 'up' }, '"dir" must be "asc" or "desc"'],
      ['/api/v1/traces/ranked', { ...window, by: 'duration', limit: 1001 }, '"limit" must be a whole number from 1 to 1000'],
      ['/api/v1/traces/points', { ...window, limit: 10_001 }, '"limit" must be a whole number from 1 to 10000'],
    ];
    for (const [path, body, message] of cases) {
      const res = await api(f.url, path, body);
      expect(res.status, message).toBe(400);
      expect(res.body, message).toMatchObject({ __type: 'InvalidRequestException', message });
    }
  });
});
