import { gzipSync } from 'node:zlib';
import { Client, credentials, Metadata, status as grpcStatus } from '@grpc/grpc-js';
import { BatchGetTracesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, XRayClient, type Service } from '@aws-sdk/client-xray';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress } from '../src/config/address.js';
import { OTEL_APP, startApp, stopApps, XRAY_APP, type App } from './apps.js';
import { metric, startTestFluoro, waitFor, xray, type TestFluoro } from './helpers.js';

/**
 * Acceptance: real OpenTelemetry-instrumented services (the OTel Node SDK with its OTLP exporters
 * and propagators) and real X-Ray-instrumented services (aws-xray-sdk-core) call each other; each
 * request is one trace in Fluoro, on one service map, selected by filter expressions.
 */

function xrayClient(f: TestFluoro): XRayClient {
  return new XRayClient({ endpoint: f.url, region: 'us-east-1', credentials: { accessKeyId: 'fluoro', secretAccessKey: 'fluoro' } });
}

const FLUORO_FLAGS = [
  '--otlp-http',
  '127.0.0.1:0',
  '--otlp-grpc',
  '127.0.0.1:0',
  '--zipkin',
  '127.0.0.1:0',
  '--otel.annotations',
  'route',
  '--analysis.quiet-ms',
  '100',
];

function node(services: Service[], name: string, type?: string): Service {
  const s = services.find((x) => x.Name === name && (type ? x.Type === type : x.Type !== 'client'));
  if (!s) throw new Error(`no node ${name}${type ? ` (${type})` : ''} in ${services.map((x) => `${x.Name}|${x.Type}`).join(', ')}`);
  return s;
}

function edge(services: Service[], from: Service, to: Service) {
  const e = from.Edges?.find((x) => x.ReferenceId === to.ReferenceId);
  if (!e) throw new Error(`no edge ${from.Name} → ${to.Name}`);
  return e;
}

describe.each([
  {
    run: 'OTLP/HTTP protobuf, W3C + X-Ray propagation, random trace IDs',
    exporter: 'otlp-proto',
    propagation: 'w3c+xray',
    ids: 'random',
    tag: 'h',
  },
  { run: 'OTLP/gRPC, the X-Ray propagator and ID generator', exporter: 'otlp-grpc', propagation: 'xray', ids: 'xray', tag: 'g' },
])('OpenTelemetry and X-Ray services in one trace ($run)', ({ exporter, propagation, ids, tag }) => {
  let f: TestFluoro;
  let client: XRayClient;
  const apps: App[] = [];
  const names = { otelA: `otel-a-${tag}`, xrayB: `xray-b-${tag}`, xrayC: `xray-c-${tag}`, otelD: `otel-d-${tag}` };
  const start = new Date(Date.now() - 60_000);
  const OK = 4;
  const REVERSE = 3;

  beforeAll(async () => {
    f = await startTestFluoro(FLUORO_FLAGS);
    client = xrayClient(f);
    const daemon = formatAddress(f.udp);
    const endpoint = `http://${formatAddress(exporter === 'otlp-grpc' ? f.fluoro.otlpGrpc! : f.fluoro.otlpHttp!)}`;
    const otel = (name: string, downstream?: string) =>
      startApp(OTEL_APP, {
        SERVICE_NAME: name,
        EXPORTER: exporter,
        ENDPOINT: endpoint,
        PROPAGATION: propagation,
        IDS: ids,
        ...(downstream ? { DOWNSTREAM: downstream } : {}),
      });
    const xray = (name: string, downstream?: string) =>
      startApp(XRAY_APP, { SERVICE_NAME: name, AWS_XRAY_DAEMON_ADDRESS: daemon, ...(downstream ? { DOWNSTREAM: downstream } : {}) });
    const b = await xray(names.xrayB);
    const d = await otel(names.otelD);
    apps.push(b, d);
    const a = await otel(names.otelA, b.url);
    const c = await xray(names.xrayC, d.url);
    apps.push(a, c);
    for (let i = 0; i < OK; i++) expect((await fetch(`${a.url}/work?user=u${i}`)).status).toBe(200);
    expect((await fetch(`${a.url}/fail`)).status).toBe(500);
    expect((await fetch(`${a.url}/missing`)).status).toBe(404);
    for (let i = 0; i < REVERSE; i++) expect((await fetch(`${c.url}/work`)).status).toBe(200);
  });

  afterAll(async () => {
    await stopApps(apps);
    await f?.stop();
  });

  const summaries = async (filter?: string) =>
    (
      await client.send(
        new GetTraceSummariesCommand({
          StartTime: start,
          EndTime: new Date(Date.now() + 60_000),
          ...(filter ? { FilterExpression: filter } : {}),
        }),
      )
    ).TraceSummaries ?? [];

  it('makes each request one trace across both kinds of service', async () => {
    const total = OK + 2 + REVERSE;
    // Complete once every /work trace holds its callee's segment: no call is left unanswered (inferred).
    const list = await waitFor(async () => {
      const s = await summaries();
      const complete = s
        .filter((x) => x.Http?.HttpURL?.includes('/work'))
        .every((x) => (x.ServiceIds ?? []).length === 2 && x.ServiceIds!.every((n) => n.Type === 'service'));
      return s.length === total && complete && s;
    }, `${total} complete traces`);
    const forward = list.filter((s) => s.EntryPoint?.Name === names.otelA);
    const reverse = list.filter((s) => s.EntryPoint?.Name === names.xrayC);
    expect(forward).toHaveLength(OK + 2);
    expect(reverse).toHaveLength(REVERSE);
    for (const s of forward.filter((x) => x.Http?.HttpURL?.includes('/work'))) {
      expect(s.ServiceIds!.map((x) => x.Name).sort()).toEqual([names.otelA, names.xrayB]);
      expect(s).toMatchObject({ HasFault: false, HasError: false, Http: { HttpMethod: 'GET', HttpStatus: 200 } });
      expect(s.Users!.map((u) => u.UserName).sort()).toEqual(['anonymous', expect.stringMatching(/^u\d$/)]);
    }
    for (const s of reverse) expect(s.ServiceIds!.map((x) => x.Name).sort()).toEqual([names.otelD, names.xrayC]);
    expect(forward.filter((s) => s.HasFault).map((s) => s.Http?.HttpStatus)).toEqual([500]);
    expect(forward.filter((s) => s.HasError).map((s) => s.Http?.HttpStatus)).toEqual([404]);
    if (ids === 'xray') {
      // The X-Ray ID generator puts the start time in the ID.
      for (const s of list) expect(Math.abs(parseInt(s.Id!.slice(2, 10), 16) - s.StartTime!.getTime() / 1000)).toBeLessThan(5);
    }
  });

  it('returns the OTel spans as segment documents, the X-Ray segment linked to the OTel call', async () => {
    const id = (await summaries(`service("${names.otelA}") AND http.url CONTAINS "/work"`))[0]!.Id!;
    const out = await client.send(new BatchGetTracesCommand({ TraceIds: [id] }));
    const docs = out.Traces![0]!.Segments!.map((s) => JSON.parse(s.Document!) as Record<string, any>);
    const a = docs.find((d) => d['name'] === names.otelA)!;
    const b = docs.find((d) => d['name'] === names.xrayB)!;
    expect(a.trace_id).toBe(id);
    expect(a.metadata.otel).toMatchObject({ kind: 'SERVER', name: 'GET /work' });
    expect(a.metadata.default['otel.resource.service.name']).toBe(names.otelA);
    const calls: Array<Record<string, any>> = [];
    const walk = (d: Record<string, any>): void => {
      if (d['namespace'] === 'remote') calls.push(d);
      for (const s of d['subsegments'] ?? []) walk(s);
    };
    walk(a);
    expect(calls).toHaveLength(1);
    expect(calls[0]!['metadata'].otel.kind).toBe('CLIENT');
    expect(b.parent_id).toBe(calls[0]!['id']);
    expect(docs.filter((d) => d['inferred'])).toEqual([]);
  });

  it('draws client → OTel → X-Ray and client → X-Ray → OTel with the right statistics', async () => {
    const graph = await client.send(new GetServiceGraphCommand({ StartTime: start, EndTime: new Date(Date.now() + 60_000) }));
    const services = graph.Services!;
    expect(services.map((s) => `${s.Name}|${s.Type}`).sort()).toEqual(
      [
        `${names.otelA}|client`,
        `${names.otelA}|service`,
        `${names.xrayB}|service`,
        `${names.xrayC}|client`,
        `${names.xrayC}|service`,
        `${names.otelD}|service`,
      ].sort(),
    );
    const a = node(services, names.otelA);
    const b = node(services, names.xrayB);
    const c = node(services, names.xrayC);
    const d = node(services, names.otelD);
    expect(edge(services, node(services, names.otelA, 'client'), a).SummaryStatistics).toMatchObject({
      TotalCount: OK + 2,
      OkCount: OK,
      FaultStatistics: { TotalCount: 1 },
      ErrorStatistics: { TotalCount: 1 },
    });
    expect(a.SummaryStatistics).toMatchObject({ TotalCount: OK + 2, OkCount: OK });
    expect(edge(services, a, b).SummaryStatistics).toMatchObject({ TotalCount: OK, OkCount: OK });
    expect(b.SummaryStatistics).toMatchObject({ TotalCount: OK, OkCount: OK });
    expect(edge(services, node(services, names.xrayC, 'client'), c).SummaryStatistics).toMatchObject({
      TotalCount: REVERSE,
      OkCount: REVERSE,
    });
    expect(edge(services, c, d).SummaryStatistics).toMatchObject({ TotalCount: REVERSE, OkCount: REVERSE });
    expect(d.SummaryStatistics).toMatchObject({ TotalCount: REVERSE, OkCount: REVERSE });
  });

  it('selects them with filter expressions', async () => {
    const count = async (filter: string) => (await summaries(filter)).length;
    expect(await count(`service("${names.otelA}") { fault }`)).toBe(1);
    expect(await count(`edge("${names.otelA}", "${names.xrayB}")`)).toBe(OK);
    expect(await count(`edge("${names.xrayC}", "${names.otelD}") { ok }`)).toBe(REVERSE);
    // `route` is an OTel attribute indexed as an annotation (--otel.annotations route); the X-Ray app annotates it too.
    expect(await count(`annotation.route = "work" AND service("${names.otelA}")`)).toBe(OK);
    expect(await count('user = "u2"')).toBe(1);
    expect(await count(`rootcause.fault.service { name = "${names.otelA}" }`)).toBe(1);
  });
});

describe('OTel services with plain W3C propagation, and Zipkin', () => {
  let f: TestFluoro;
  let client: XRayClient;
  const apps: App[] = [];
  const start = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    f = await startTestFluoro(FLUORO_FLAGS);
    client = xrayClient(f);
    const otlp = `http://${formatAddress(f.fluoro.otlpHttp!)}`;
    const zipkin = `http://${formatAddress(f.fluoro.zipkin!)}`;
    const app = (name: string, exporter: string, endpoint: string, downstream?: string) =>
      startApp(OTEL_APP, {
        SERVICE_NAME: name,
        EXPORTER: exporter,
        ENDPOINT: endpoint,
        PROPAGATION: 'w3c',
        ...(downstream ? { DOWNSTREAM: downstream } : {}),
      });
    const w3cB = await app('w3c-b', 'otlp-json', otlp);
    const w3cA = await app('w3c-a', 'otlp-json', otlp, w3cB.url);
    const zipB = await app('zipkin-b', 'zipkin', zipkin);
    const zipA = await app('zipkin-a', 'zipkin', zipkin, zipB.url);
    apps.push(w3cA, w3cB, zipA, zipB);
    for (let i = 0; i < 2; i++) expect((await fetch(`${w3cA.url}/work`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await fetch(`${zipA.url}/work`)).status).toBe(200);
    expect((await fetch(`${zipA.url}/fail`)).status).toBe(500);
  });

  afterAll(async () => {
    await stopApps(apps);
    await f?.stop();
  });

  const summaries = async (filter?: string) =>
    (
      await client.send(
        new GetTraceSummariesCommand({
          StartTime: start,
          EndTime: new Date(Date.now() + 60_000),
          ...(filter ? { FilterExpression: filter } : {}),
        }),
      )
    ).TraceSummaries ?? [];

  it('keeps W3C-only traces whole: random trace IDs, shown and found in both forms', async () => {
    const list = await waitFor(async () => {
      const s = (await summaries('service("w3c-a")')).filter(
        (x) => (x.ServiceIds ?? []).length === 2 && x.ServiceIds!.every((n) => n.Type === 'service'),
      );
      return s.length === 2 && s;
    }, 'two complete W3C traces');
    for (const s of list) expect(s.ServiceIds!.map((x) => x.Name).sort()).toEqual(['w3c-a', 'w3c-b']);
    const xrayId = list[0]!.Id!;
    const w3cId = xrayId.slice(2, 10) + xrayId.slice(11);
    const byW3c = await client.send(new BatchGetTracesCommand({ TraceIds: [w3cId] }));
    expect(byW3c.Traces![0]!.Id).toBe(xrayId);
    expect(byW3c.Traces![0]!.Segments!.map((s) => JSON.parse(s.Document!).name).sort()).toEqual(['w3c-a', 'w3c-b']);
    // A bare trace ID in either form is a filter too.
    expect((await summaries(w3cId)).map((s) => s.Id)).toEqual([xrayId]);
    expect((await summaries(xrayId)).map((s) => s.Id)).toEqual([xrayId]);
  });

  it('reads Zipkin spans from the OTel Zipkin exporter like any others', async () => {
    const list = await waitFor(async () => {
      const s = await summaries('service("zipkin-a")');
      return (
        s.length === 3 &&
        s
          .filter((x) => x.Http?.HttpURL?.includes('/work'))
          .every((x) => (x.ServiceIds ?? []).length === 2 && x.ServiceIds!.every((n) => n.Type === 'service')) &&
        s
      );
    }, 'three Zipkin traces');
    expect(list.filter((s) => s.HasFault).map((s) => s.Http?.HttpStatus)).toEqual([500]);
    const graph = await client.send(new GetServiceGraphCommand({ StartTime: start, EndTime: new Date(Date.now() + 60_000) }));
    const a = node(graph.Services!, 'zipkin-a');
    const b = node(graph.Services!, 'zipkin-b');
    expect(edge(graph.Services!, a, b).SummaryStatistics).toMatchObject({ TotalCount: 2, OkCount: 2 });
    expect(await metric(f.url, 'fluoro_otel_spans_accepted_total', { receiver: 'zipkin' })).toBeGreaterThanOrEqual(6);
  });
});

describe('bad OTLP and Zipkin input', () => {
  let f: TestFluoro;
  let otlp: string;
  let zipkin: string;

  beforeAll(async () => {
    f = await startTestFluoro([...FLUORO_FLAGS, '--api.max-body-bytes', '65536']);
    otlp = `http://${formatAddress(f.fluoro.otlpHttp!)}`;
    zipkin = `http://${formatAddress(f.fluoro.zipkin!)}`;
  });
  afterAll(async () => {
    await f?.stop();
  });

  const post = async (url: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) => {
    const res = await fetch(url, { method: 'POST', body, headers });
    return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
  };
  const refused = (reason: string, receiver = 'otlp_http') => metric(f.url, 'fluoro_otel_requests_rejected_total', { reason, receiver });
  const T = '5759e988bd862e3fe1be46a994272793';
  const now = BigInt(Date.now()) * 1_000_000n;
  const jsonSpan = (traceId: string, spanId: string) => ({
    traceId,
    spanId,
    name: 'GET /',
    kind: 2,
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 1_000_000n),
  });
  const jsonRequest = (spans: unknown[]) =>
    JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }],
    });

  it('answers undecodable protobuf and JSON with 400 and a google.rpc.Status in the same encoding', async () => {
    const proto = await post(`${otlp}/v1/traces`, Uint8Array.from([0x0a, 0x05, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    // google.rpc.Status: code (field 1) = 3 INVALID_ARGUMENT, then the message (field 2).
    expect([...proto.bytes.slice(0, 3)]).toEqual([0x08, 0x03, 0x12]);
    expect(new TextDecoder().decode(proto.bytes.slice(4))).toBe(
      'the body is not an OTLP ExportTraceServiceRequest in protobuf: length 5 runs past the end of its message at byte 2',
    );
    const json = await post(`${otlp}/v1/traces`, '{"resourceSpans": 5}', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(JSON.parse(new TextDecoder().decode(json.bytes))).toEqual({
      code: 3,
      message: 'the body is not an OTLP ExportTraceServiceRequest: resourceSpans must be a list',
    });
    expect(await refused('undecodable')).toBe(2);
  });

  it('answers other media types, encodings and oversized bodies with 415 and 413', async () => {
    const xml = await post(`${otlp}/v1/traces`, '<spans/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(JSON.parse(new TextDecoder().decode(xml.bytes)).message).toBe(
      'Content-Type "application/xml" is not supported; send application/x-protobuf or application/json',
    );
    const br = await post(`${otlp}/v1/traces`, 'x', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    const big = await post(`${otlp}/v1/traces`, 'x'.repeat(70_000), { 'content-type': 'application/json' });
    expect(big.status).toBe(413);
    const bomb = await post(`${otlp}/v1/traces`, gzipSync(Buffer.alloc(1_000_000, 0x20)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(bomb.status).toBe(413);
    expect(JSON.parse(new TextDecoder().decode(bomb.bytes)).message).toBe(
      'the body is over 65536 bytes once decompressed (api.maxBodyBytes)',
    );
    expect(await refused('unsupported_media_type')).toBe(1);
    expect(await refused('unsupported_encoding')).toBe(1);
    expect(await refused('too_large')).toBe(2);
  });

  it('stores the good spans of a request and reports the others as partial success', async () => {
    const res = await post(`${otlp}/v1/traces`, jsonRequest([jsonSpan(T, '00000000000000a1'), jsonSpan('abc', '00000000000000a2')]), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(res.bytes))).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: '1 of 2 spans refused: trace ID "abc" must be 16 bytes, not all zero' },
    });
    expect(await metric(f.url, 'fluoro_otel_spans_rejected_total', { receiver: 'otlp_http', reason: 'invalid_span' })).toBe(1);
    const stored = await fetch(`${f.url}/Traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ TraceIds: [T] }),
    });
    expect(((await stored.json()) as any).Traces[0].Segments).toHaveLength(1);
    // Gzip works, and the same path on the main HTTP port answers the same way.
    const gz = await post(`${f.url}/v1/traces`, gzipSync(jsonRequest([jsonSpan(T, '00000000000000a3')])), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(gz.status).toBe(200);
    expect(new TextDecoder().decode(gz.bytes)).toBe('{}');
  });

  it('answers a bad gRPC export with INVALID_ARGUMENT and a good one with its partial success', async () => {
    const grpc = new Client(formatAddress(f.fluoro.otlpGrpc!), credentials.createInsecure());
    const call = (body: Buffer) =>
      new Promise<{ code: number; details: string; value?: Buffer }>((resolve) =>
        grpc.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (b: Buffer) => b,
          (b: Buffer) => b,
          body,
          new Metadata(),
          (err, value) => resolve(err ? { code: err.code!, details: err.details! } : { code: 0, details: '', value }),
        ),
      );
    const bad = await call(Buffer.from([0xff, 0xff]));
    expect(bad.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/^the body is not an OTLP ExportTraceServiceRequest in protobuf: /);
    const good = await call(Buffer.from(ProtobufTraceSerializer.serializeRequest([])!));
    expect(good).toMatchObject({ code: 0 });
    expect(ProtobufTraceSerializer.deserializeResponse(good.value!)).toEqual({});
    grpc.close();
    expect(await refused('undecodable', 'otlp_grpc')).toBe(1);
  });

  it('answers bad Zipkin input with 400 and the reason, and keeps serving', async () => {
    const bad = await post(`${zipkin}/api/v2/spans`, '{"not": "a list"}', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(new TextDecoder().decode(bad.bytes)).toBe('the body must be a JSON list of Zipkin v2 spans');
    const proto = await post(`${zipkin}/api/v2/spans`, 'x', { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(415);
    const allBad = await post(`${zipkin}/api/v2/spans`, JSON.stringify([{ traceId: 'zz', id: '1', timestamp: 1, duration: 1 }]), {
      'content-type': 'application/json',
    });
    expect(allBad.status).toBe(400);
    expect(new TextDecoder().decode(allBad.bytes)).toBe('1 of 1 spans refused: trace ID "zz" must be 16 bytes, not all zero');
    const good = await post(
      `${f.url}/api/v2/spans`,
      JSON.stringify([
        {
          traceId: '463ac35c9f6413ad',
          id: '72485a3953bb6124',
          name: 'get',
          kind: 'SERVER',
          timestamp: Date.now() * 1000,
          duration: 1000,
          localEndpoint: { serviceName: 'z' },
        },
      ]),
      { 'content-type': 'application/json' },
    );
    expect(good.status).toBe(202);
    expect(await refused('undecodable', 'zipkin')).toBe(1);
    expect((await fetch(`${f.url}/healthz`)).status).toBe(200);
  });

  it('keeps the good spans of a Zipkin POST with one bad one, and names the bad one (issue 12 #4)', async () => {
    const now = Date.now() * 1000;
    const span = (id: string, over: Record<string, unknown> = {}) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      id,
      name: 'get /cart',
      kind: 'SERVER',
      timestamp: now,
      duration: 2000,
      localEndpoint: { serviceName: 'zipkin-partial' },
      ...over,
    });
    const res = await post(
      `${zipkin}/api/v2/spans`,
      JSON.stringify([
        span('00000000000000c1'),
        span('00000000000000c2', { timestamp: undefined }),
        span('00000000000000c3', { parentId: '00000000000000c1', kind: 'CLIENT' }),
      ]),
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(202);
    expect(new TextDecoder().decode(res.bytes)).toBe(
      '1 of 3 spans refused: span [1] (id 00000000000000c2): "timestamp" (microseconds) is missing',
    );
    const stored = await waitFor(async () => {
      const r = await xray(f.url, '/Traces', { TraceIds: ['1-5b8efff7-98038103d269b633813fc60c'] });
      const segments = (r.body['Traces'] as Array<{ Segments: Array<{ Id: string }> }>)[0]?.Segments;
      return segments && segments.length > 0 ? segments : null;
    }, 'the good spans');
    expect(stored.map((s) => s.Id)).toContain('00000000000000c1');
    expect(JSON.stringify(stored)).toContain('00000000000000c3');
    expect(JSON.stringify(stored)).not.toContain('00000000000000c2');
    expect(await metric(f.url, 'fluoro_otel_spans_rejected_total', { receiver: 'zipkin', reason: 'invalid_span' })).toBeGreaterThanOrEqual(
      1,
    );
  });
});
