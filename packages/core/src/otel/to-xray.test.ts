import { describe, expect, it } from 'vitest';
import { parseSegmentObject } from '../xray/segment-document.js';
import type { Span } from '../model/span.js';
import { OtelKind, StatusCode, type Attributes, type OtelResourceSpans, type OtelSpan } from './model.js';
import { otelToSegmentDocuments } from './to-xray.js';
import { parseStack } from './xray-fields.js';
import { decodeZipkinJson } from './zipkin.js';

const T = '5759e988bd862e3fe1be46a994272793';
const T0 = 1767225600;

function span(
  id: string,
  parent: string,
  kind: number,
  name: string,
  attributes: Attributes = {},
  extra: Partial<OtelSpan> = {},
): OtelSpan {
  return {
    traceId: T,
    spanId: id,
    parentSpanId: parent,
    traceState: '',
    name,
    kind,
    startTime: T0 + parseInt(id.slice(-2), 16) / 1000,
    endTime: T0 + 1,
    attributes,
    events: [],
    links: [],
    status: { code: StatusCode.UNSET, message: '' },
    flags: 0x100,
    ...extra,
  };
}

function resource(service: string, spans: OtelSpan[], attrs: Attributes = {}): OtelResourceSpans {
  return {
    resource: { 'service.name': service, 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', ...attrs },
    scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.1' }, spans }],
  };
}

/** Documents → canonical spans, through the same parser X-Ray documents go through. */
function parse(docs: Record<string, unknown>[]): Span[] {
  return docs.flatMap((d) => {
    const r = parseSegmentObject(d, undefined, 'otlp');
    if (!r.ok) throw new Error(r.rejection.message);
    return r.spans;
  });
}

describe('OpenTelemetry spans as X-Ray segment documents', () => {
  const server = span(
    '00000000000000a1',
    'f00000000000000f',
    OtelKind.SERVER,
    'GET /cart/:id',
    {
      'http.method': 'GET',
      'http.scheme': 'http',
      'http.host': 'cart.internal:8080',
      'http.target': '/cart/42?x=1',
      'http.status_code': 503,
      'http.user_agent': 'curl/8',
      'net.peer.ip': '10.0.0.9',
      'enduser.id': 'alice',
      tier: 'gold',
      'aws.xray.annotations': ['cart.size'],
      'cart.size': 3,
    },
    { flags: 0x300, status: { code: StatusCode.ERROR, message: 'unavailable' } },
  );
  const internal = span('00000000000000a2', '00000000000000a1', OtelKind.INTERNAL, 'load cart');
  const http = span('00000000000000a3', '00000000000000a2', OtelKind.CLIENT, 'GET', {
    'http.method': 'GET',
    'http.url': 'http://inventory.internal/items',
    'net.peer.name': 'inventory.internal',
    'http.status_code': 200,
  });
  const db = span('00000000000000a4', '00000000000000a2', OtelKind.CLIENT, 'SELECT carts', {
    'db.system': 'postgresql',
    'db.name': 'carts',
    'net.peer.name': 'db.internal',
    'db.statement': 'SELECT * FROM carts WHERE id = $1',
    'db.user': 'app',
  });
  const dynamo = span('00000000000000a5', '00000000000000a1', OtelKind.CLIENT, 'DynamoDB.GetItem', {
    'rpc.system': 'aws-api',
    'rpc.service': 'DynamoDB',
    'rpc.method': 'GetItem',
    'aws.dynamodb.table_names': ['carts'],
    'aws.region': 'eu-west-1',
    'http.status_code': 400,
  });
  const failing = span(
    '00000000000000a6',
    '00000000000000a1',
    OtelKind.INTERNAL,
    'render',
    {},
    {
      status: { code: StatusCode.ERROR, message: '' },
      events: [
        { time: T0 + 0.5, name: 'cache miss', attributes: { key: 'cart:42' } },
        {
          time: T0 + 0.6,
          name: 'exception',
          attributes: {
            'exception.type': 'TypeError',
            'exception.message': 'x is undefined',
            'exception.stacktrace': 'TypeError: x is undefined\n    at render (/app/view.js:10:5)\n    at /app/index.js:3:1',
          },
        },
      ],
    },
  );
  const mapped = otelToSegmentDocuments(
    [
      resource('cart', [failing, dynamo, db, http, internal, server], {
        'cloud.provider': 'aws',
        'cloud.platform': 'aws_ec2',
        'host.id': 'i-0abc',
        'cloud.availability_zone': 'eu-west-1a',
        'cloud.account.id': '123456789012',
      }),
    ],
    { annotationKeys: new Set(['tier']) },
  );

  it('makes one segment document per service entry, with the rest of the export nested in it', () => {
    expect(mapped.rejected).toEqual([]);
    expect(mapped.documents).toHaveLength(1);
    expect(mapped.spanCounts).toEqual([6]);
    const spans = parse(mapped.documents);
    expect(spans.map((s) => [s.id, s.kind, s.parentId, s.owner?.service, s.owner?.segmentId])).toEqual([
      ['00000000000000a1', 'segment', 'f00000000000000f', 'cart', '00000000000000a1'],
      ['00000000000000a2', 'subsegment', '00000000000000a1', 'cart', '00000000000000a1'],
      ['00000000000000a3', 'subsegment', '00000000000000a2', 'cart', '00000000000000a1'],
      ['00000000000000a4', 'subsegment', '00000000000000a2', 'cart', '00000000000000a1'],
      ['00000000000000a5', 'subsegment', '00000000000000a1', 'cart', '00000000000000a1'],
      ['00000000000000a6', 'subsegment', '00000000000000a1', 'cart', '00000000000000a1'],
    ]);
    expect(spans.every((s) => s.source === 'otlp' && s.traceId === T)).toBe(true);
  });

  it('names downstream nodes as X-Ray does: HTTP hosts, SQL databases, AWS resources', () => {
    const spans = parse(mapped.documents);
    const byId = new Map(spans.map((s) => [s.id, s]));
    expect(byId.get('00000000000000a3')!.downstream).toEqual({ name: 'inventory.internal', type: 'remote' });
    expect(byId.get('00000000000000a4')!.downstream).toEqual({ name: 'carts@db.internal', type: 'Database::SQL' });
    expect(byId.get('00000000000000a5')!.downstream).toEqual({ name: 'carts', type: 'AWS::DynamoDB::Table' });
    expect(byId.get('00000000000000a2')!.downstream).toBeNull();
    expect(byId.get('00000000000000a6')!.downstream).toBeNull();
    const doc = mapped.documents[0] as any;
    const dynamo = doc.subsegments.find((s: any) => s.id === '00000000000000a5');
    expect(dynamo.fault).toBeUndefined(); // flags are written only when set
    expect(dynamo).toMatchObject({
      namespace: 'aws',
      error: true,
      aws: { operation: 'GetItem', table_name: 'carts', region: 'eu-west-1' },
    });
    const sql = doc.subsegments[0].subsegments.find((s: any) => s.id === '00000000000000a4');
    expect(sql).toMatchObject({
      namespace: 'remote',
      sql: { url: 'db.internal/carts', database_type: 'postgresql', user: 'app', sanitized_query: 'SELECT * FROM carts WHERE id = $1' },
    });
  });

  it('fills HTTP, status, user, exceptions, annotations, metadata and the platform from attributes', () => {
    const [root] = parse(mapped.documents);
    expect(root).toMatchObject({
      name: 'cart',
      fault: true,
      error: false,
      http: { method: 'GET', url: 'http://cart.internal:8080/cart/42?x=1', status: 503, userAgent: 'curl/8', clientIp: '10.0.0.9' },
      user: 'alice',
      annotations: { tier: 'gold', 'cart.size': 3 },
      accountId: '123456789012',
      instanceId: 'i-0abc',
      availabilityZone: 'eu-west-1a',
    });
    const doc = mapped.documents[0] as any;
    expect(doc.origin).toBe('AWS::EC2::Instance');
    expect(doc.trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
    // Attributes the X-Ray fields hold (HTTP status, user…) are not repeated in the metadata.
    expect(doc.metadata.default['http.status_code']).toBeUndefined();
    expect(doc.metadata.default['enduser.id']).toBeUndefined();
    expect(doc.metadata.default).toMatchObject({
      tier: 'gold',
      'http.host': 'cart.internal:8080',
      'otel.resource.service.name': 'cart',
      'otel.resource.cloud.platform': 'aws_ec2',
    });
    expect(doc.metadata.otel).toEqual({
      name: 'GET /cart/:id',
      kind: 'SERVER',
      status: { code: 'ERROR', message: 'unavailable' },
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.1' },
    });
    expect(doc.cause).toEqual({
      exceptions: [{ id: expect.stringMatching(/^[0-9a-f]{16}$/), type: '', message: 'unavailable', remote: false }],
    });
    expect(doc.aws.xray).toEqual({ sdk: 'opentelemetry for nodejs' });
    const render = doc.subsegments.find((s: any) => s.id === '00000000000000a6');
    expect(render.fault).toBe(true);
    expect(render.cause.exceptions).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        type: 'TypeError',
        message: 'x is undefined',
        remote: false,
        stack: [
          { path: '/app/view.js', line: 10, label: 'render' },
          { path: '/app/index.js', line: 3, label: '' },
        ],
      },
    ]);
    expect(render.metadata.otel.events).toEqual([{ name: 'cache miss', time: T0 + 0.5, attributes: { key: 'cart:42' } }]);
    // Deterministic: the same export converts to the same documents.
    expect(
      otelToSegmentDocuments(
        [
          resource('cart', [failing, dynamo, db, http, internal, server], {
            'cloud.provider': 'aws',
            'cloud.platform': 'aws_ec2',
            'host.id': 'i-0abc',
            'cloud.availability_zone': 'eu-west-1a',
            'cloud.account.id': '123456789012',
          }),
        ],
        { annotationKeys: new Set(['tier']) },
      ).documents,
    ).toEqual(mapped.documents);
  });

  it('sends a subsegment whose segment is in another export as a document of its own', () => {
    const late = span('00000000000000b2', '00000000000000b1', OtelKind.CLIENT, 'GET', {
      'http.url': 'https://api.example.com/x',
      'server.address': 'api.example.com',
    });
    const { documents } = otelToSegmentDocuments([resource('cart', [late])]);
    expect(documents[0]).toMatchObject({
      type: 'subsegment',
      id: '00000000000000b2',
      parent_id: '00000000000000b1',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      name: 'api.example.com',
      namespace: 'remote',
    });
    const [s] = parse(documents);
    expect(s).toMatchObject({ kind: 'subsegment', owner: null, downstream: { name: 'api.example.com', type: 'remote' } });
  });

  it('puts a call out with no local parent inside a segment of its service', () => {
    const call = span('00000000000000c1', '', OtelKind.CLIENT, 'GET', {
      'http.url': 'http://cart.internal/cart',
      'http.status_code': 200,
      'net.peer.name': 'cart.internal',
    });
    const { documents } = otelToSegmentDocuments([resource('loadgen', [call])]);
    expect(documents).toHaveLength(1);
    const spans = parse(documents);
    expect(spans.map((s) => [s.kind, s.name, s.parentId])).toEqual([
      ['segment', 'loadgen', null],
      ['subsegment', 'cart.internal', spans[0]!.id],
    ]);
    expect(spans[0]!.id).not.toBe('00000000000000c1');
    expect(spans[1]!.id).toBe('00000000000000c1');
  });

  it('refuses spans X-Ray cannot hold, each with its reason, and keeps the others', () => {
    const bad = [
      { ...span('00000000000000d1', '', OtelKind.SERVER, 'a'), traceId: 'abc' },
      span('0000000000000000', '', OtelKind.SERVER, 'b'),
      { ...span('00000000000000d3', '', OtelKind.SERVER, 'c'), endTime: T0 - 1 },
      span('00000000000000d4', '', OtelKind.SERVER, 'ok'),
    ];
    const r = otelToSegmentDocuments([resource('svc', bad)]);
    expect(r.rejected.map((x) => x.message)).toEqual([
      'trace ID "abc" must be 16 bytes, not all zero',
      'span 0000000000000000: span ID must be 8 bytes, not all zero',
      `span 00000000000000d3: end time ${T0 - 1} is before start time ${T0 + 0.211}`,
    ]);
    expect(r.documents).toHaveLength(1);
    // A service name X-Ray would refuse is cleaned, never a reason to drop the span.
    const odd = otelToSegmentDocuments([resource('my service (beta)!', [span('00000000000000e1', '', OtelKind.SERVER, 'x')])]);
    expect(parse(odd.documents)[0]!.name).toBe('my service beta');
  });

  it('reads Java and Python stack traces too', () => {
    expect(
      parseStack(
        'java.lang.IllegalStateException: boom\n\tat com.shop.Cart.load(Cart.java:42)\n\tat com.shop.App.main(App.java:7)',
        'java',
      ),
    ).toEqual([
      { path: 'Cart.java', line: 42, label: 'com.shop.Cart.load' },
      { path: 'App.java', line: 7, label: 'com.shop.App.main' },
    ]);
    expect(
      parseStack(
        'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\n    run()\n  File "/app/cart.py", line 9, in run\n    boom()\nValueError: x',
        'python',
      ),
    ).toEqual([
      { path: '/app/cart.py', line: 9, label: 'run' },
      { path: '/app/main.py', line: 3, label: '<module>' },
    ]);
  });
});

describe('Zipkin v2 JSON', () => {
  it('reads spans into the same model, with shared server spans given their own ID', () => {
    const body = JSON.stringify([
      {
        traceId: '463ac35c9f6413ad',
        id: '72485a3953bb6124',
        name: 'get /cart',
        kind: 'CLIENT',
        timestamp: 1767225600000000,
        duration: 25000,
        localEndpoint: { serviceName: 'frontend' },
        remoteEndpoint: { serviceName: 'cart', ipv4: '10.0.0.2', port: 8080 },
        tags: { 'http.method': 'GET', 'http.path': '/cart', 'http.status_code': '500', error: 'boom' },
      },
      {
        traceId: '463ac35c9f6413ad',
        id: '72485a3953bb6124',
        name: 'get /cart',
        kind: 'SERVER',
        shared: true,
        timestamp: 1767225600005000,
        duration: 15000,
        localEndpoint: { serviceName: 'cart' },
        annotations: [{ timestamp: 1767225600006000, value: 'cache.miss' }],
      },
    ]);
    const r = decodeZipkinJson(body);
    if (!r.ok) throw new Error(r.message);
    expect(r.resourceSpans.map((x) => x.resource['service.name'])).toEqual(['frontend', 'cart']);
    const client = r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(client).toMatchObject({
      traceId: '0000000000000000463ac35c9f6413ad',
      kind: OtelKind.CLIENT,
      status: { code: StatusCode.ERROR, message: 'boom' },
      attributes: { 'peer.service': 'cart', 'net.peer.port': 8080, 'http.status_code': '500' },
    });
    expect(client.endTime - client.startTime).toBeCloseTo(0.025, 6);
    const server = r.resourceSpans[1]!.scopeSpans[0]!.spans[0]!;
    expect(server.parentSpanId).toBe('72485a3953bb6124');
    expect(server.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(server.spanId).not.toBe('72485a3953bb6124');
    expect(server.events).toEqual([{ time: 1767225600.006, name: 'cache.miss', attributes: {} }]);
    const spans = parse(otelToSegmentDocuments(r.resourceSpans).documents);
    expect(spans.map((s) => [s.kind, s.name, s.parentId, s.fault, s.downstream?.name ?? null])).toEqual([
      ['segment', 'frontend', null, true, null],
      ['subsegment', 'cart', spans[0]!.id, true, 'cart'],
      ['segment', 'cart', '72485a3953bb6124', false, null],
    ]);
  });

  it('refuses what is not a Zipkin v2 span list, saying which span', () => {
    expect(decodeZipkinJson('{}')).toEqual({ ok: false, message: 'the body must be a JSON list of Zipkin v2 spans' });
    // A span that cannot be read is refused on its own, named; the others are kept.
    const mixed = decodeZipkinJson(
      '[{"traceId": 1}, {"traceId": "a", "id": "b"}, 7, {"traceId": "4bf92f3577b34da6a3ce929d0e0e4736", "id": "00f067aa0ba902b7", "name": "get", "timestamp": 1767225600000000, "duration": 1000, "localEndpoint": {"serviceName": "cart"}}]',
    );
    if (!mixed.ok) throw new Error(mixed.message);
    expect(mixed.undecoded).toEqual([
      'span [0]: "traceId" must be a string',
      'span [1] (id b): "timestamp" (microseconds) is missing',
      'span [2]: must be an object',
    ]);
    expect(mixed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.spanId)))).toEqual(['00f067aa0ba902b7']);
  });
});
