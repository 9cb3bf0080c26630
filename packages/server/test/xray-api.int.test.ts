import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyField, shop } from '../../../fixtures/index.js';
import { outputProblems } from '../src/api/xray/model.js';
import { startTestFluoro, xray, type TestFluoro } from './helpers.js';

type Json = Record<string, any>;

describe('the X-Ray API over HTTP', () => {
  const fx = shop();
  const B = fx.base;
  let f: TestFluoro;

  beforeAll(async () => {
    f = await startTestFluoro(['--api.summaries-page-size', '3']);
    for (const step of fx.steps) {
      const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: step.documents.map((d) => JSON.stringify(d)) });
      expect(res.body, step.label).toEqual({ UnprocessedTraceSegments: [] });
    }
    const ef = everyField();
    const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: ef.documents.map((d) => JSON.stringify(d)) });
    expect(res.body).toEqual({ UnprocessedTraceSegments: [] });
  });
  afterAll(() => f?.stop());

  describe('BatchGetTraces', () => {
    it('returns every document as sent, subsegments included, plus the inferred segments', async () => {
      const ef = everyField();
      const res = await xray(f.url, '/Traces', { TraceIds: [ef.traceId] });
      expect(res.status).toBe(200);
      expect(outputProblems('BatchGetTraces', res.body)).toEqual([]);
      const [trace] = res.body['Traces'] as Json[];
      expect(trace!['Id']).toBe(ef.traceId);
      expect(trace!['LimitExceeded']).toBe(false);
      expect(trace!['Duration']).toBeCloseTo(0.864198, 6);
      const docs = (trace!['Segments'] as Json[]).map((s) => ({ id: s['Id'], doc: JSON.parse(s['Document']) as Json }));
      for (const d of docs) expect(d.doc['id']).toBe(d.id);
      expect(docs.filter((d) => !d.doc['inferred']).map((d) => d.doc)).toEqual(ef.documents);
      expect(
        docs
          .filter((d) => d.doc['inferred'])
          .map((d) => ({ name: d.doc['name'], origin: d.doc['origin'] ?? null, parent_id: d.doc['parent_id'] })),
      ).toEqual(expect.arrayContaining(ef.expectInferred));
    });

    it('embeds subsegments that were streamed on their own under their segment', async () => {
      const res = await xray(f.url, '/Traces', { TraceIds: [fx.traceIds.T5] });
      const docs = (res.body['Traces'] as Json[])[0]!['Segments'].map((s: Json) => JSON.parse(s['Document']) as Json);
      const frontend = docs.find((d: Json) => d['name'] === 'frontend');
      expect(frontend['subsegments'][0]).toMatchObject({ name: 'checkout-logic', subsegments: [{ name: 'payments.example.com' }] });
      expect(frontend['subsegments'][0]['type']).toBeUndefined();
      expect(docs.filter((d: Json) => d['inferred']).map((d: Json) => d['name'])).toEqual(['payments.example.com']);
    });

    it('accepts both ID formats, reports unknown and malformed IDs, and pages large requests', async () => {
      const w3c = fx.traceIds.T1.replace(/^1-/, '').replace('-', '');
      const ids = [
        w3c,
        '1-6955b900-ffffffffffffffffffffffff',
        'not-a-trace-id',
        ...Array.from({ length: 30 }, (_, i) => `1-6955b900-${i.toString(16).padStart(24, '0')}`),
      ];
      const first = await xray(f.url, '/Traces', { TraceIds: ids });
      expect(outputProblems('BatchGetTraces', first.body)).toEqual([]);
      expect((first.body['Traces'] as Json[]).map((t) => t['Id'])).toEqual([fx.traceIds.T1]);
      expect(first.body['UnprocessedTraceIds']).toContain('not-a-trace-id');
      expect(first.body['UnprocessedTraceIds']).toContain('1-6955b900-ffffffffffffffffffffffff');
      expect(first.body['NextToken']).toEqual(expect.any(String));
      const second = await xray(f.url, '/Traces', { TraceIds: ids, NextToken: first.body['NextToken'] });
      expect(second.body['NextToken']).toBeUndefined();
      expect((first.body['UnprocessedTraceIds'] as string[]).length + (second.body['UnprocessedTraceIds'] as string[]).length).toBe(32);
      const reused = await xray(f.url, '/Traces', { TraceIds: ids.slice(1), NextToken: first.body['NextToken'] });
      expect(reused.status).toBe(400);
      expect(reused.body['message']).toContain('NextToken belongs to a request with different parameters');
    });
  });

  describe('GetTraceSummaries', () => {
    const window = { StartTime: B, EndTime: B + 100 };

    it('pages newest first with NextToken and X-Ray summary shapes', async () => {
      const ids: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const res = await xray(f.url, '/TraceSummaries', { ...window, ...(token ? { NextToken: token } : {}) });
        expect(res.status).toBe(200);
        expect(outputProblems('GetTraceSummaries', res.body)).toEqual([]);
        expect(res.body['TracesProcessedCount']).toBe(8);
        ids.push(...(res.body['TraceSummaries'] as Json[]).map((s) => s['Id']));
        token = res.body['NextToken'];
        pages++;
      } while (token);
      expect(pages).toBe(3);
      // The every-field trace starts at B + 0.12 s: the oldest of the window.
      expect(ids).toEqual([...['T7', 'T6', 'T5', 'T4', 'T3', 'T2', 'T1'].map((k) => fx.traceIds[k as 'T1']), everyField().traceId]);
    });

    it('reports the root segment’s HTTP facts, annotations, users and services', async () => {
      const res = await xray(f.url, '/TraceSummaries', { StartTime: B + 10, EndTime: B + 11 });
      const [t1] = res.body['TraceSummaries'] as Json[];
      expect(t1).toMatchObject({
        Id: fx.traceIds.T1,
        StartTime: B + 10,
        Duration: 0.5,
        ResponseTime: 0.5,
        HasFault: false,
        HasError: false,
        HasThrottle: false,
        IsPartial: false,
        Http: { HttpURL: 'http://shop/products', HttpStatus: 200, HttpMethod: 'GET', ClientIp: '10.1.1.1' },
        EntryPoint: { Name: 'frontend', Names: ['frontend'], Type: 'service' },
        Users: [{ UserName: 'u1', ServiceIds: [{ Name: 'frontend', Names: ['frontend'], Type: 'service' }] }],
        Annotations: {
          tier: [{ AnnotationValue: { StringValue: 'gold' }, ServiceIds: [{ Name: 'frontend', Names: ['frontend'], Type: 'service' }] }],
          items: [{ AnnotationValue: { NumberValue: 2 } }],
          vip: [{ AnnotationValue: { BooleanValue: true } }],
        },
      });
    });

    it('filters with FilterExpression', async () => {
      const res = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: 'service("cart") { fault }' });
      expect((res.body['TraceSummaries'] as Json[]).map((s) => s['Id'])).toEqual([fx.traceIds.T2]);
    });

    it.each([
      [{ EndTime: B }, "Value null at 'startTime' failed to satisfy constraint: Member must not be null"],
      [{ StartTime: B + 10, EndTime: B }, 'EndTime (1767225600) must be after StartTime (1767225610)'],
      [{ StartTime: B, EndTime: B + 25 * 3600 }, 'the limit is 24 hours (api.maxQueryWindowHours)'],
      [{ ...window, TimeRangeType: 'Sometime' }, 'Member must satisfy enum value set: [TraceId, Event, Service]'],
      [{ ...window, StartTime: 'yesterday' }, "Value 'yesterday' at 'startTime' failed to satisfy constraint: Member must be a timestamp"],
      [{ ...window, NextToken: 'garbage' }, 'NextToken is not a token Fluoro issued'],
    ])('refuses %j', async (body, message) => {
      const res = await xray(f.url, '/TraceSummaries', body);
      expect(res.status).toBe(400);
      expect(res.body['message']).toContain(message);
    });

    it('accepts ISO timestamps as the CLI and SDKs may send them', async () => {
      const res = await xray(f.url, '/TraceSummaries', {
        StartTime: new Date(B * 1000).toISOString(),
        EndTime: new Date((B + 100) * 1000).toISOString(),
      });
      expect(res.body['TracesProcessedCount']).toBe(8);
    });
  });

  describe('GetServiceGraph and GetTraceGraph', () => {
    it('returns services with ReferenceIds, edges pointing at their targets, and statistics', async () => {
      const res = await xray(f.url, '/ServiceGraph', { StartTime: B, EndTime: B + 100 });
      expect(res.status).toBe(200);
      expect(outputProblems('GetServiceGraph', res.body)).toEqual([]);
      // The graph covers whole minutes: the end rounded up.
      expect(res.body).toMatchObject({ StartTime: B, EndTime: B + 120, ContainsOldGroupVersions: false });
      const services = res.body['Services'] as Json[];
      const byRef = new Map(services.map((s) => [s['ReferenceId'], s]));
      expect(new Set(services.map((s) => s['ReferenceId'])).size).toBe(services.length);
      const named = (name: string, type: string): Json => services.find((s) => s['Name'] === name && s['Type'] === type)!;
      const frontend = named('frontend', 'service');
      expect(frontend).toMatchObject({ Root: true, State: 'active', Names: ['frontend'] });
      expect(frontend['SummaryStatistics']).toEqual({
        OkCount: 4,
        ErrorStatistics: { ThrottleCount: 0, OtherCount: 1, TotalCount: 1 },
        FaultStatistics: { OtherCount: 1, TotalCount: 1 },
        TotalCount: 6,
        TotalResponseTime: expect.closeTo(2.25, 6),
      });
      const targets = (frontend['Edges'] as Json[]).map(
        (e) => `${byRef.get(e['ReferenceId'])!['Name']}|${byRef.get(e['ReferenceId'])!['Type']}`,
      );
      expect(targets.sort()).toEqual(['cart|service', 'catalog@db.internal|Database::SQL', 'payments.example.com|remote']);
      const client = named('frontend', 'client');
      expect(client['SummaryStatistics']).toBeUndefined();
      expect(client['Edges']).toHaveLength(1);
      expect(byRef.get(client['Edges'][0]['ReferenceId'])).toBe(frontend);
      const cart = named('cart', 'service');
      const toDynamo = cart['Edges'][0];
      expect(byRef.get(toDynamo['ReferenceId'])).toMatchObject({ Name: 'carts', Type: 'AWS::DynamoDB::Table', State: 'unknown' });
      expect(toDynamo['SummaryStatistics']['ErrorStatistics']).toEqual({ ThrottleCount: 1, OtherCount: 0, TotalCount: 1 });
    });

    it('draws the graph of the given traces', async () => {
      const res = await xray(f.url, '/TraceGraph', { TraceIds: [fx.traceIds.T3] });
      expect(outputProblems('GetTraceGraph', res.body)).toEqual([]);
      expect((res.body['Services'] as Json[]).map((s) => `${s['Name']}|${s['Type']}`).sort()).toEqual([
        'frontend|client',
        'frontend|service',
      ]);
    });

    it('refuses groups that do not exist', async () => {
      const res = await xray(f.url, '/ServiceGraph', { StartTime: B, EndTime: B + 100, GroupName: 'high-latency' });
      expect(res.status).toBe(400);
      expect(res.body['message']).toContain('group high-latency does not exist');
    });
  });
});
