import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetTimeSeriesServiceStatisticsCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import {
  buildTraceModel,
  decodeOtlpJson,
  evaluate,
  parseFilter,
  parseSegmentDocument,
  rootCauseJson,
  rootCauses,
  toXrayTraceId,
  type Span,
  type TraceModel,
} from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterTraces } from '../../../fixtures/index.js';
import { outputProblems } from '../src/api/xray/model.js';
import { convertOtel } from '../src/ingest/otel/convert.js';
import { metric, startTestFluoro, tempDir, waitFor, xray, type TestFluoro } from './helpers.js';

/**
 * Acceptance: filter expressions through the X-Ray API, with the AWS SDK's client and the AWS
 * CLI, select what the language's own evaluator says; root causes come back in summaries.
 */
const fx = filterTraces();
const B = fx.base;
const window = { StartTime: B, EndTime: B + 200 };

const EXPRESSIONS = [
  'fault',
  'ok !partial duration < 3',
  'service("api.example.com") { fault = true OR responsetime > 2.5 } AND annotation.account = "12345"',
  'edge("api.example.com", "backend.example.com") { fault = true }',
  'http.url BEGINSWITH "http://api.example.com/" AND http.url CONTAINS "/v2/"',
  'http.route BEGINSWITH "/v2/" OR service("backend.example.com") { http.route = "/items/{id}" }',
  'service(id(type: "AWS::Lambda::Function")) { error }',
  'annotation.age > 29',
  'annotation[aws.local.service] = "checkout"',
  'user = "carol" OR user = "bob"',
  'throttle',
  'partial',
  'inferred AND !fault',
  'service("DynamoDB") { throttle }',
  'rootcause.fault.service { last and name = "GetTemperature" }',
  'rootcause.fault.exception { last and message = "Access Denied for account_id: 1234567890" }',
  'rootcause.responsetime.service { last and type = "Database::SQL" }',
  'rootcause.fault.service { inferred and name = "DynamoDB" and type = "AWS::DynamoDB" }',
  'rootcause.json = #[{"Services": [{"Name": "GetWeatherData"}, {"Name": "GetTemperature"}]}]',
  '0a1b2c3d4e5f60718293a4b5c6d7e8fa',
];

/** OpenTelemetry span attributes, never configured as annotations: the fixture's OTLP traces, filed in `fx.otlpWindow`. */
const ATTRIBUTE_EXPRESSIONS = [
  'attribute.http.route = "/api/users/{id}"',
  'attribute.app.retries >= 1 AND attribute[app.tier] = "gold"',
  'attribute.app.tier BEGINSWITH "si" OR attribute.messaging.system = "aws_sqs"',
];

describe('filter expressions through the X-Ray API', () => {
  let f: TestFluoro;
  let client: XRayClient;
  const models = new Map<string, TraceModel>();

  /** The fixture's OTLP traces, filed after the X-Ray ones (`fx.otlpWindow`). */
  const otelModels = new Map<string, TraceModel>();

  const expected = (text: string, of: Map<string, TraceModel> = models): string[] => {
    const parsed = parseFilter(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return [...of]
      .filter(([, m]) => evaluate(parsed.filter, m, rootCauses(m)))
      .map(([id]) => toXrayTraceId(id))
      .sort();
  };

  beforeAll(async () => {
    f = await startTestFluoro(['--analysis.quiet-ms', '50', '--api.summaries-page-size', '3']);
    client = new XRayClient({ endpoint: f.url, region: 'us-east-1', credentials: { accessKeyId: 'fluoro', secretAccessKey: 'fluoro' } });
    const byTrace = new Map<string, Span[]>();
    for (const step of fx.steps) {
      const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: step.documents.map((d) => JSON.stringify(d)) });
      expect(res.body, step.label).toEqual({ UnprocessedTraceSegments: [] });
      for (const d of step.documents) {
        const r = parseSegmentDocument(JSON.stringify(d));
        if (r.ok) for (const s of r.spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      }
    }
    for (const [id, spans] of byTrace) models.set(id, buildTraceModel(spans));
    byTrace.clear();
    for (const request of fx.otlp) {
      const res = await fetch(`${f.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(res.status).toBe(200);
      const decoded = decodeOtlpJson(JSON.stringify(request));
      if (!decoded.ok) throw new Error(decoded.message);
      for (const s of convertOtel(decoded.resourceSpans, 'otlp', {}).spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    }
    for (const [id, spans] of byTrace) otelModels.set(id, buildTraceModel(spans));
    // rootcause.* filters match once the analyzer has worked every trace out.
    await waitFor(async () => (await metric(f.url, 'fluoro_traces_analysed_total')) >= models.size, 'every trace analysed');
  });
  afterAll(() => f?.stop());

  const summaries = async (FilterExpression: string, range = { start: B, end: B + 200 }) => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const out = await client.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(range.start * 1000),
          EndTime: new Date(range.end * 1000),
          FilterExpression,
          NextToken,
        }),
      );
      ids.push(...(out.TraceSummaries ?? []).map((s) => s.Id!));
      NextToken = out.NextToken;
    } while (NextToken);
    return ids.sort();
  };

  it.each(EXPRESSIONS)('@aws-sdk/client-xray: %s', async (text) => {
    const want = expected(text);
    expect(want.length, 'the fixture should make the expression select something').toBeGreaterThan(0);
    expect(await summaries(text)).toEqual(want);
  });

  it.each(ATTRIBUTE_EXPRESSIONS)('@aws-sdk/client-xray, an OpenTelemetry attribute: %s', async (text) => {
    const want = expected(text, otelModels);
    expect(want.length, 'the fixture should make the expression select something').toBeGreaterThan(0);
    expect(await summaries(text, fx.otlpWindow)).toEqual(want);
  });

  it('the AWS CLI gets the same traces', async () => {
    const home = tempDir('fluoro-aws-home-');
    try {
      for (const text of [EXPRESSIONS[2]!, EXPRESSIONS[13]!, EXPRESSIONS[8]!]) {
        const { stdout } = await promisify(execFile)(
          '/usr/bin/aws',
          [
            'xray',
            'get-trace-summaries',
            '--endpoint-url',
            f.url,
            '--start-time',
            String(B),
            '--end-time',
            String(B + 200),
            '--filter-expression',
            text,
            '--output',
            'json',
          ],
          {
            env: {
              PATH: process.env['PATH'],
              HOME: home.path,
              AWS_ACCESS_KEY_ID: 'x',
              AWS_SECRET_ACCESS_KEY: 'x',
              AWS_DEFAULT_REGION: 'us-east-1',
              AWS_PAGER: '',
            },
          },
        );
        const ids = (JSON.parse(stdout) as { TraceSummaries: Array<{ Id: string }> }).TraceSummaries.map((s) => s.Id).sort();
        expect(ids, text).toEqual(expected(text));
      }
    } finally {
      home.remove();
    }
  });

  it('the AWS CLI finds traces by an OpenTelemetry span attribute never configured as an annotation', async () => {
    const home = tempDir('fluoro-aws-home-');
    try {
      const text = ATTRIBUTE_EXPRESSIONS[1]!;
      const { stdout } = await promisify(execFile)(
        '/usr/bin/aws',
        [
          'xray',
          'get-trace-summaries',
          '--endpoint-url',
          f.url,
          '--start-time',
          String(fx.otlpWindow.start),
          '--end-time',
          String(fx.otlpWindow.end),
          '--filter-expression',
          text,
          '--output',
          'json',
        ],
        {
          env: {
            PATH: process.env['PATH'],
            HOME: home.path,
            AWS_ACCESS_KEY_ID: 'x',
            AWS_SECRET_ACCESS_KEY: 'x',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_PAGER: '',
          },
        },
      );
      const ids = (JSON.parse(stdout) as { TraceSummaries: Array<{ Id: string }> }).TraceSummaries.map((s) => s.Id).sort();
      expect(ids).toEqual(expected(text, otelModels));
      expect(ids).toEqual([toXrayTraceId(fx.otlpTraceIds['O1']!)]);
    } finally {
      home.remove();
    }
  });

  it('returns root causes in summaries, in the API shapes', async () => {
    const res = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: fx.traceIds['F1'] });
    expect(outputProblems('GetTraceSummaries', res.body)).toEqual([]);
    const [s] = res.body['TraceSummaries'] as Array<Record<string, any>>;
    const model = models.get(fx.traceIds['F1']!.replace(/^1-|-/g, ''))!;
    const causes = rootCauses(model);
    expect(s!['FaultRootCauses']).toEqual(causes.fault.map(rootCauseJson));
    expect(s!['FaultRootCauses'][0].Services.map((x: { Name: string }) => x.Name)).toEqual(['GetWeatherData', 'GetTemperature']);
    expect(s!['FaultRootCauses'][0].Services[1].EntityPath[1].Exceptions).toEqual([
      { Name: 'SensorError', Message: 'sensor offline' },
      { Name: 'IOError', Message: 'read timed out' },
    ]);
    expect(s!['ResponseTimeRootCauses'][0].Services[0].EntityPath[0]).toEqual({ Name: 'GetWeatherData', Coverage: 1, Remote: false });
  });

  it('answers an invalid expression with InvalidRequestException naming line and column', async () => {
    const res = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: 'ok AND responsetime > fast' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      __type: 'InvalidRequestException',
      message: 'FilterExpression: 1:23: expected a number after \'>\' but found "fast"',
    });
    const group = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: 'group.name = "slow"' });
    expect(group.body['message']).toBe('FilterExpression: 1:1: group.name refers to a group, and this Fluoro has no groups yet');
  });

  it('counts every trace of the window as processed, matched or not', async () => {
    const res = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: 'fault' });
    expect(res.body['TracesProcessedCount']).toBe(models.size);
  });

  describe('GetTimeSeriesServiceStatistics', () => {
    const stats = (EntitySelectorExpression?: string, Period?: number) =>
      client.send(
        new GetTimeSeriesServiceStatisticsCommand({
          StartTime: new Date(B * 1000),
          // Whole minutes (a graph window is): the X-Ray traces, before the OTLP ones at B+200.
          EndTime: new Date((B + 180) * 1000),
          EntitySelectorExpression,
          Period,
        }),
      );

    it('gives a node’s statistics per period', async () => {
      const out = await stats('service("api.example.com")', 60);
      const points = out.TimeSeriesServiceStatistics!;
      expect(points.map((p) => p.Timestamp!.getTime() / 1000)).toEqual([B, B + 60]);
      const total = points.reduce((n, p) => n + p.ServiceSummaryStatistics!.TotalCount!, 0);
      expect(total).toBe(3); // F2, F3, F10
      expect(points.reduce((n, p) => n + p.ServiceSummaryStatistics!.FaultStatistics!.TotalCount!, 0)).toBe(1);
      expect(points[0]!.EdgeSummaryStatistics).toBeUndefined();
    });

    it('gives an edge’s statistics, measured by the caller', async () => {
      const out = await stats('edge("api.example.com", "backend.example.com")', 300);
      expect(out.TimeSeriesServiceStatistics).toHaveLength(1);
      expect(out.TimeSeriesServiceStatistics![0]!.EdgeSummaryStatistics).toMatchObject({
        TotalCount: 3,
        OkCount: 0,
        FaultStatistics: { TotalCount: 2 },
      });
      const byId = await stats('service(id(name: "random-name", type: "AWS::Lambda::Function"))', 300);
      expect(byId.TimeSeriesServiceStatistics![0]!.ServiceSummaryStatistics!.TotalCount).toBe(1);
    });

    it('without a selector, gives the requests entering the system (client edges)', async () => {
      const out = await stats(undefined, 300);
      expect(out.TimeSeriesServiceStatistics![0]!.EdgeSummaryStatistics!.TotalCount).toBe(12); // every root segment; F12 has none
    });

    it.each([
      ['ok', 'EntitySelectorExpression: 1:1: an entity selector may only use service(...), edge(...) and id(...)'],
      ['service("a") { fault }', 'EntitySelectorExpression: 1:14: an entity selector takes no { filter }'],
      ['service("a") OR edge("a", "b")', 'EntitySelectorExpression: 1:17: an entity selector cannot mix service(...) and edge(...)'],
    ])('refuses the selector %s', async (expr, message) => {
      const res = await xray(f.url, '/TimeSeriesServiceStatistics', { ...window, EntitySelectorExpression: expr });
      expect(res.status).toBe(400);
      expect(res.body['message']).toBe(message);
    });

    it('refuses a period that is not whole minutes', async () => {
      const res = await xray(f.url, '/TimeSeriesServiceStatistics', { ...window, Period: 45 });
      expect(res.body['message']).toContain('Period must be a whole number of minutes');
    });
  });

  describe('the native filter API', () => {
    it('returns highlight tokens and the diagnostic of an unfinished expression', async () => {
      const expression = 'service("cart") { fault AND responsetime > ';
      const res = await fetch(`${f.url}/api/v1/filter/analyze`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ expression }),
      });
      const body = (await res.json()) as {
        valid: boolean;
        tokens: Array<{ class: string; start: number; end: number }>;
        diagnostics: Array<Record<string, unknown>>;
      };
      expect(body.valid).toBe(false);
      expect(body.tokens.map((t) => t.class)).toEqual([
        'function',
        'punctuation',
        'string',
        'punctuation',
        'punctuation',
        'keyword',
        'operator',
        'keyword',
        'operator',
      ]);
      expect(body.diagnostics).toEqual([
        // At the end of the input: after the trailing space.
        {
          code: 'UnexpectedEnd',
          message: "expected a value after '>' but found the end of the expression",
          start: expression.length,
          end: expression.length,
          line: 1,
          column: expression.length + 1,
        },
      ]);
    });

    it('gives the canonical form of a valid expression', async () => {
      const res = await fetch(`${f.url}/api/v1/filter/analyze`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ expression: 'ok !partial' }),
      });
      expect(await res.json()).toMatchObject({ valid: true, canonical: 'ok AND !partial', diagnostics: [] });
    });

    it('lists the keywords for autocomplete', async () => {
      const body = (await (await fetch(`${f.url}/api/v1/filter/keywords`)).json()) as { keywords: Array<{ name: string }> };
      expect(body.keywords.map((k) => k.name)).toEqual(expect.arrayContaining(['responsetime', 'http.url', 'user', 'coverage']));
    });
  });
});
