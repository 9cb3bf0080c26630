import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shop } from '../../../fixtures/index.js';
import { metric, startTestFluoro, xray, type TestFluoro } from './helpers.js';

/**
 * `POST /api/v1/traces/operations` (docs/native-api.md) over HTTP against the DuckDB store: the
 * shop fixture, whose durations are known by hand (the conformance case has the arithmetic), and
 * a population of 101 traces sent the way a service sends them, whose quantiles fall on exact ranks.
 */
const fx = shop();
const B = fx.base;
/** The population's traces start here, a day after the shop's: the two windows do not overlap. */
const P = B + 86_400;
const OPERATIONS = '/api/v1/traces/operations';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Trace k of the population: `api` calling `db` once; the call takes k ms, the segment 10 ms more. */
function populationTrace(k: number): Record<string, unknown> {
  const start = P + k;
  return {
    name: 'api',
    id: hex(0xa000 + k, 16),
    trace_id: `1-${hex(start, 8)}-${hex(k, 24)}`,
    start_time: start,
    end_time: start + 0.01 + k / 1000,
    subsegments: [{ name: 'db', id: hex(0xb000 + k, 16), start_time: start + 0.005, end_time: start + 0.005 + k / 1000 }],
  };
}

describe('native API: operation durations', () => {
  let f: TestFluoro;
  const post = (body: unknown) => xray(f.url, OPERATIONS, body);

  beforeAll(async () => {
    f = await startTestFluoro();
    for (const step of fx.steps) {
      const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: step.documents.map((d) => JSON.stringify(d)) });
      expect(res.body, step.label).toEqual({ UnprocessedTraceSegments: [] });
    }
    const population = Array.from({ length: 101 }, (_, i) => JSON.stringify(populationTrace(i + 1)));
    const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: population });
    expect(res.body).toEqual({ UnprocessedTraceSegments: [] });
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('answers each operation’s count and p50, p95, p99 in seconds, in the order asked, duplicates once', async () => {
    const res = await post({
      start: B,
      end: B + 100,
      operations: [
        { service: 'frontend', name: 'frontend' },
        { service: 'cart', name: 'DynamoDB' },
        { service: 'frontend', name: 'frontend' },
        { service: 'frontend', name: 'nothing' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      operations: [
        {
          service: 'frontend',
          name: 'frontend',
          count: 6,
          p50: expect.closeTo(0.3, 6),
          p95: expect.closeTo(0.875, 6),
          p99: expect.closeTo(0.975, 6),
        },
        {
          service: 'cart',
          name: 'DynamoDB',
          count: 2,
          p50: expect.closeTo(0.24, 6),
          p95: expect.closeTo(0.384, 6),
          p99: expect.closeTo(0.3968, 6),
        },
        { service: 'frontend', name: 'nothing', count: 0, p50: null, p95: null, p99: null },
      ],
    });
  });

  it('computes quantiles over the whole population of the window (quantile_cont: exact ranks here)', async () => {
    // db's calls take 1…101 ms: rank (101 − 1) q is whole, so p50 = 51 ms, p95 = 96 ms, p99 = 100 ms.
    // api's segments take 10 ms more. The window [P, P + 51) holds traces 1…50 only.
    const operations = [
      { service: 'api', name: 'db' },
      { service: 'api', name: 'api' },
    ];
    const all = await post({ start: P, end: P + 200, operations });
    expect(all.body['operations']).toEqual([
      { service: 'api', name: 'db', count: 101, p50: expect.closeTo(0.051, 5), p95: expect.closeTo(0.096, 5), p99: expect.closeTo(0.1, 5) },
      {
        service: 'api',
        name: 'api',
        count: 101,
        p50: expect.closeTo(0.061, 5),
        p95: expect.closeTo(0.106, 5),
        p99: expect.closeTo(0.11, 5),
      },
    ]);
    const firstHalf = await post({ start: P, end: P + 51, operations: operations.slice(0, 1) });
    // Traces 1…50: rank 49 × 0.5 = 24.5 → between 25 and 26 ms.
    expect(firstHalf.body['operations']).toEqual([
      { service: 'api', name: 'db', count: 50, p50: expect.closeTo(0.0255, 5), p95: expect.anything(), p99: expect.anything() },
    ]);
    expect(await post({ start: P, end: P + 200, operations: [] })).toMatchObject({ status: 200, body: { operations: [] } });
  });

  it('answers bad requests with what is wrong, counted under the route', async () => {
    const window = { start: B, end: B + 100 };
    const op = { service: 'frontend', name: 'frontend' };
    const cases: Array<[unknown, string]> = [
      [[op], 'the request body must be a JSON object'],
      [{ end: B, operations: [op] }, '"start" must be a time in epoch seconds (a number)'],
      [{ start: B + 10, end: B, operations: [op] }, `end (${B}) must be after start (${B + 10})`],
      [{ start: B, end: B + 25 * 3600, operations: [op] }, 'the time range is 25.0 hours; the limit is 24 hours (api.maxQueryWindowHours)'],
      [window, '"operations" must be a list of {"service": …, "name": …} objects'],
      [{ ...window, operations: { service: 'a', name: 'b' } }, '"operations" must be a list of {"service": …, "name": …} objects'],
      [{ ...window, operations: [op, 'frontend'] }, '"operations[1]" must be an object with "service" and "name" (strings)'],
      [{ ...window, operations: [op, { service: 'frontend' }] }, '"operations[1].name" must be a string of 1 to 1024 characters'],
      [{ ...window, operations: [{ service: '', name: 'x' }] }, '"operations[0].service" must be a string of 1 to 1024 characters'],
      [
        { ...window, operations: [{ service: 'a', name: 'x'.repeat(1025) }] },
        '"operations[0].name" must be a string of 1 to 1024 characters',
      ],
      [
        { ...window, operations: Array.from({ length: 501 }, (_, i) => ({ service: 's', name: `n${i}` })) },
        '"operations" holds 501 operations; the limit is 500',
      ],
    ];
    const before = await metric(f.url, 'fluoro_http_requests_total', { listener: 'http', route: OPERATIONS, status: '400' });
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, message).toBe(400);
      expect(res.body, message).toMatchObject({ __type: 'InvalidRequestException', message });
    }
    expect(await metric(f.url, 'fluoro_http_requests_total', { listener: 'http', route: OPERATIONS, status: '400' })).toBe(
      before + cases.length,
    );
    // 500 distinct operations are within the bound.
    const many = await post({ ...window, operations: Array.from({ length: 500 }, (_, i) => ({ service: 's', name: `n${i}` })) });
    expect(many.status).toBe(200);
    expect((many.body['operations'] as unknown[]).length).toBe(500);
  });
});
