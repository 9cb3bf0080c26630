// OTLP export requests as the OpenTelemetry JS SDK sends them, for the OTLP benchmarks: encoded
// once with OpenTelemetry's own serializer (@opentelemetry/otlp-transformer), then copied and
// patched in place (trace IDs, span IDs, timestamps) so that every request is distinct.
//
// One request = one service's export of 512 spans: 128 requests handled by that service, each a
// SERVER span with an INTERNAL child that makes an HTTP call (CLIENT) and a SQL query (CLIENT).
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';

export const SPANS_PER_REQUEST = 512;
const TRACES = SPANS_PER_REQUEST / 4;
export const SERVICES = ['frontend', 'cart', 'catalog', 'checkout', 'payments', 'orders', 'shipping', 'users'];

const hex = (n, w) => n.toString(16).padStart(w, '0');
/** Template IDs: distinctive bytes that occur nowhere else in the encoding. */
const traceIdOf = (t) => `fa${hex(t, 6)}c0ffee${'5a'.repeat(10)}`.slice(0, 32);
const spanIdOf = (t, k) => `${hex(0xe0 + k, 2)}${hex(t, 6)}d00dbeef`.slice(0, 16);
const BASE = [1_700_000_000, 0];

function span(service, t, k, parent, kind, name, attributes, startMs, durMs) {
  const traceId = traceIdOf(t);
  const start = [BASE[0] + Math.floor(startMs / 1000), ((startMs % 1000) * 1e6) | 0];
  const endMs = startMs + durMs;
  const end = [BASE[0] + Math.floor(endMs / 1000), ((endMs % 1000) * 1e6) | 0];
  return {
    name,
    kind,
    spanContext: () => ({ traceId, spanId: spanIdOf(t, k), traceFlags: 1 }),
    parentSpanContext: parent === null ? undefined : { traceId, spanId: spanIdOf(t, parent), traceFlags: 1, isRemote: false },
    startTime: start,
    endTime: end,
    duration: [0, durMs * 1e6],
    attributes,
    links: [],
    events: [],
    status: { code: attributes['http.status_code'] >= 500 ? 2 : 0 },
    ended: true,
    resource: service.resource,
    instrumentationScope: { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** The encoded template for one service, and where its IDs and times sit in the bytes. */
export function template(serviceIndex) {
  const name = SERVICES[serviceIndex % SERVICES.length];
  const callee = SERVICES[(serviceIndex + 1) % SERVICES.length];
  const service = {
    resource: resourceFromAttributes({
      'service.name': name,
      'service.version': '2.3.1',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '2.2.0',
      'host.name': `${name}-7f9c`,
    }),
  };
  const spans = [];
  for (let t = 0; t < TRACES; t++) {
    const status = t % 50 === 0 ? 500 : t % 20 === 0 ? 404 : 200;
    const d = 20 + (t % 37);
    spans.push(
      span(
        service,
        t,
        3,
        1,
        2,
        'SELECT',
        {
          'db.system': 'postgresql',
          'db.name': 'shop',
          'db.statement': 'SELECT * FROM items WHERE id = $1',
          'net.peer.name': 'db.internal',
          'net.peer.port': 5432,
        },
        t * 10 + 4,
        d / 4,
      ),
      span(
        service,
        t,
        2,
        1,
        2,
        'GET',
        {
          'http.method': 'GET',
          'http.url': `http://${callee}.internal/v1/items/${t}`,
          'http.status_code': 200,
          'net.peer.name': `${callee}.internal`,
          'net.peer.port': 80,
        },
        t * 10 + 2,
        d / 2,
      ),
      span(
        service,
        t,
        1,
        0,
        0,
        'request handler - /api/items/:id',
        { 'express.name': '/api/items/:id', 'express.type': 'request_handler', 'http.route': '/api/items/:id' },
        t * 10 + 1,
        d - 2,
      ),
      span(
        service,
        t,
        0,
        null,
        1,
        'GET /api/items/:id',
        {
          'http.method': 'GET',
          'http.scheme': 'http',
          'http.host': `${name}.internal:8080`,
          'http.target': `/api/items/${t}`,
          'http.route': '/api/items/:id',
          'http.status_code': status,
          'http.user_agent': 'Mozilla/5.0 (bench)',
          'net.peer.ip': `10.0.${t % 250}.7`,
          'enduser.id': `user-${t % 100}`,
          tier: t % 3 === 0 ? 'gold' : 'silver',
        },
        t * 10,
        d,
      ),
    );
  }
  const bytes = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans));
  const find = (hexText) => {
    const needle = Buffer.from(hexText, 'hex');
    const at = [];
    for (let i = bytes.indexOf(needle); i >= 0; i = bytes.indexOf(needle, i + 1)) at.push(i);
    if (at.length === 0) throw new Error(`template ID ${hexText} not found`);
    return at;
  };
  const traces = Array.from({ length: TRACES }, (_, t) => find(traceIdOf(t)));
  const spanIds = Array.from({ length: TRACES }, (_, t) => [0, 1, 2, 3].map((k) => find(spanIdOf(t, k))));
  // Timestamps: fixed64 fields 7 and 8 (tags 0x39, 0x41) inside spans; collect every 8-byte value
  // that decodes to a time near BASE.
  const times = [];
  const lo = BigInt(BASE[0] - 1) * 1_000_000_000n;
  const hi = BigInt(BASE[0] + 3600) * 1_000_000_000n;
  for (let i = 0; i + 9 <= bytes.length; i++) {
    if (bytes[i] !== 0x39 && bytes[i] !== 0x41) continue;
    const v = bytes.readBigUInt64LE(i + 1);
    if (v >= lo && v <= hi) times.push({ at: i + 1, offset: v - BigInt(BASE[0]) * 1_000_000_000n });
  }
  if (times.length !== SPANS_PER_REQUEST * 2) throw new Error(`found ${times.length} timestamps, expected ${SPANS_PER_REQUEST * 2}`);
  return { bytes, traces, spanIds, times };
}

/** Request `n` of a template: fresh trace and span IDs, times from `startSeconds`. */
export function fill(tpl, out, n, startSeconds) {
  tpl.bytes.copy(out);
  for (let t = 0; t < tpl.traces.length; t++) {
    const serial = n * tpl.traces.length + t;
    for (const at of tpl.traces[t]) {
      // A random-looking W3C trace ID, as the OTel SDK makes: no time in it.
      out.writeUInt32BE((serial * 2654435761) >>> 0, at);
      out.writeUInt32BE(serial >>> 0, at + 4);
      out.writeUInt32BE((0x9e3779b9 ^ n) >>> 0, at + 8);
      out.writeUInt32BE(t + 1, at + 12);
    }
    for (let k = 0; k < 4; k++) {
      for (const at of tpl.spanIds[t][k]) {
        out.writeUInt32BE(serial >>> 0, at);
        out.writeUInt32BE(((k + 1) << 24) | (n & 0xffffff), at + 4);
      }
    }
  }
  const base = BigInt(Math.floor(startSeconds * 1000)) * 1_000_000n;
  for (const { at, offset } of tpl.times) out.writeBigUInt64LE(base + offset, at);
  return out;
}
