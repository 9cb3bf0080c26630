import { context, SpanKind as ApiKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { OtelSpan } from './model.js';
import { decodeOtlpJson } from './otlp-json.js';
import { decodeOtlpProtobuf, encodeExportResponse, encodeRpcStatus } from './otlp-protobuf.js';

/**
 * The decoders against OpenTelemetry's own serializers (@opentelemetry/otlp-transformer, what
 * the OTLP exporters send): every field of real SDK spans comes through, in both encodings.
 */
function realSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.4.2', 'host.cores': 8, 'cloud.provider': 'aws' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('fluoro-test', '0.9.1');
  const server = tracer.startSpan('GET /cart/:id', {
    kind: ApiKind.SERVER,
    attributes: {
      'http.method': 'GET',
      'http.status_code': 503,
      'http.route': '/cart/:id',
      ratio: 0.25,
      cached: false,
      tags: ['a', 'b'],
      counts: [1, 2, 3],
      'unicode.name': 'café ☕ 東京',
      long: 'x'.repeat(300),
    },
  });
  server.addEvent('cache miss', { key: 'cart:42' });
  server.recordException(Object.assign(new Error('backend unavailable'), { name: 'UpstreamError' }));
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  const ctx = trace.setSpan(context.active(), server);
  const client = tracer.startSpan(
    'SELECT carts',
    { kind: ApiKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM carts WHERE id = $1' } },
    ctx,
  );
  client.addLink({
    context: { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', traceFlags: 1, isRemote: true },
    attributes: { reason: 'batch' },
  });
  client.end();
  const producer = tracer.startSpan('publish', { kind: ApiKind.PRODUCER }, ctx);
  producer.end();
  const consumer = tracer.startSpan('process', { kind: ApiKind.CONSUMER, attributes: { n: -7 } });
  consumer.end();
  server.end();
  return exporter.getFinishedSpans();
}

const seconds = (t: [number, number]): number => t[0] + t[1] / 1e9;

function expected(s: ReadableSpan): Omit<OtelSpan, 'flags'> {
  return {
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId ?? '',
    traceState: '',
    name: s.name,
    kind: s.kind + 1,
    startTime: seconds(s.startTime),
    endTime: seconds(s.endTime),
    attributes: s.attributes as OtelSpan['attributes'],
    events: s.events.map((e) => ({ time: seconds(e.time), name: e.name, attributes: (e.attributes ?? {}) as OtelSpan['attributes'] })),
    links: s.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      traceState: '',
      attributes: (l.attributes ?? {}) as OtelSpan['attributes'],
    })),
    status: { code: s.status.code, message: s.status.message ?? '' },
  };
}

describe('OTLP decoding', () => {
  const spans = realSpans();
  const proto = ProtobufTraceSerializer.serializeRequest(spans)!;
  const json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!);

  it('reads every field of real SDK spans from protobuf and from JSON, the same way', () => {
    const fromProto = decodeOtlpProtobuf(proto);
    const fromJson = decodeOtlpJson(json);
    if (!fromProto.ok || !fromJson.ok) throw new Error(JSON.stringify([fromProto, fromJson]));
    expect(fromJson.resourceSpans).toEqual(fromProto.resourceSpans);
    const [rs] = fromProto.resourceSpans;
    expect(rs!.resource).toEqual({ 'service.name': 'checkout', 'service.version': '1.4.2', 'host.cores': 8, 'cloud.provider': 'aws' });
    expect(rs!.scopeSpans[0]!.scope).toEqual({ name: 'fluoro-test', version: '0.9.1' });
    const decoded = rs!.scopeSpans.flatMap((s) => s.spans);
    expect(decoded).toHaveLength(spans.length);
    for (const [i, s] of spans.entries()) {
      const got = decoded[i]!;
      const want = expected(s);
      expect({ ...got, startTime: 0, endTime: 0, events: [] }).toEqual({ ...want, flags: got.flags, startTime: 0, endTime: 0, events: [] });
      // Nanosecond timestamps become doubles of epoch seconds: within a microsecond.
      expect(got.startTime).toBeCloseTo(want.startTime, 6);
      expect(got.endTime).toBeCloseTo(want.endTime, 6);
      expect(got.events.map((e) => e.name)).toEqual(want.events.map((e) => e.name));
      expect(got.events.map((e) => e.attributes)).toEqual(want.events.map((e) => e.attributes));
    }
    // The exporter says whether each parent is remote (bits 8 and 9 of the span flags).
    expect(decoded.map((s) => s.flags & 0x300)).toEqual(
      spans.map((s) => (s.parentSpanContext ? (s.parentSpanContext.isRemote ? 0x300 : 0x100) : 0x100)),
    );
    expect(decoded.find((s) => s.name === 'GET /cart/:id')!.events[1]!.attributes).toMatchObject({
      'exception.type': 'UpstreamError',
      'exception.message': 'backend unavailable',
    });
  });

  it('answers in the encoding OTLP clients decode: partial success and rpc status', () => {
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse(0, ''))).toEqual({});
    const partial = ProtobufTraceSerializer.deserializeResponse(
      encodeExportResponse(3, 'span 0102030405060708: trace ID must be 16 bytes'),
    ) as any;
    expect(Number(partial.partialSuccess.rejectedSpans)).toBe(3);
    expect(partial.partialSuccess.errorMessage).toBe('span 0102030405060708: trace ID must be 16 bytes');
    // google.rpc.Status { code = 3, message = "bad" }: field 1 varint, field 2 string.
    expect([...encodeRpcStatus(3, 'bad')]).toEqual([0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64]);
  });

  it('refuses a broken body with the byte where it breaks, and survives random bytes', () => {
    const truncated = decodeOtlpProtobuf(proto.subarray(0, proto.length - 7));
    expect(truncated.ok).toBe(false);
    if (!truncated.ok) expect(truncated.message).toMatch(/^the body is not an OTLP ExportTraceServiceRequest in protobuf: .* at byte \d+$/);
    expect(decodeOtlpProtobuf(Uint8Array.from([0x0b]))).toEqual({
      ok: false,
      message: 'the body is not an OTLP ExportTraceServiceRequest in protobuf: wire type 3 (field 1) is not valid at byte 1',
    });
    expect(decodeOtlpProtobuf(new Uint8Array(0))).toEqual({ ok: true, resourceSpans: [] });
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from(proto);
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const cut = bytes.subarray(0, Math.floor(random() * bytes.length));
      for (const b of [bytes, cut]) {
        const r = decodeOtlpProtobuf(b);
        expect(typeof r.ok).toBe('boolean');
      }
    }
  });

  it('reads OTLP/JSON variants: snake_case, enum names, numbers as strings; refuses wrong types with a path', () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: '5759E988BD862E3FE1BE46A994272793',
                  span_id: '53995c3f42cd8ad8',
                  name: 'x',
                  kind: 'SPAN_KIND_SERVER',
                  start_time_unix_nano: '1767225600123456789',
                  end_time_unix_nano: 1767225601e9,
                  attributes: [
                    { key: 'big', value: { intValue: '9007199254740993' } },
                    { key: 'n', value: { intValue: '42' } },
                  ],
                  status: { code: 'STATUS_CODE_ERROR' },
                },
              ],
            },
          ],
        },
      ],
    });
    const r = decodeOtlpJson(body);
    if (!r.ok) throw new Error(r.message);
    const s = r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(s).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      kind: 2,
      status: { code: 2, message: '' },
      attributes: { big: '9007199254740993', n: 42 },
    });
    // eslint-disable-next-line no-loss-of-precision -- the nanosecond digits are the point: they round to this double
    expect(s.startTime).toBeCloseTo(1767225600.123456789, 6);
    expect(s.endTime).toBe(1767225601);
    expect(decodeOtlpJson('{"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": true}]}]}]}')).toEqual({
      ok: false,
      message:
        'the body is not an OTLP ExportTraceServiceRequest: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano must be a time in nanoseconds (a string of digits or a number)',
    });
    expect(decodeOtlpJson('{"resourceSpans": {}}')).toEqual({
      ok: false,
      message: 'the body is not an OTLP ExportTraceServiceRequest: resourceSpans must be a list',
    });
    expect(decodeOtlpJson('{oops')).toMatchObject({ ok: false, message: expect.stringMatching(/^the body is not valid JSON: /) });
  });
});
