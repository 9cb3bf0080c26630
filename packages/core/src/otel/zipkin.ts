import { OtelKind, StatusCode, type Attributes, type DecodeResult, type OtelResourceSpans, type OtelSpan } from './model.js';
import { derivedSpanId } from './derived-id.js';

/**
 * Decodes a Zipkin v2 JSON span list (`POST /api/v2/spans`) into Fluoro's OTel model, as the
 * OpenTelemetry Collector's Zipkin receiver does: the local endpoint's service name becomes the
 * resource's `service.name`, tags become string attributes, the remote endpoint becomes
 * `peer.service` / `net.peer.*`, annotations become events, an `error` tag (or
 * `otel.status_code`) the status. 64-bit trace IDs are left-padded to 128 bits.
 *
 * A span that cannot be read (no timestamp, a field of the wrong type) is refused on its own and
 * named in `undecoded`; the others are kept, as OTLP's partial success does.
 *
 * Zipkin lets a server share its client's span ID (`shared: true`); X-Ray needs unique IDs, so
 * such a server span gets an ID derived from the shared one, and the client span as its parent.
 */
export function decodeZipkinJson(text: string): DecodeResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `the body is not valid JSON: ${(err as Error).message}` };
  }
  if (!Array.isArray(doc)) return { ok: false, message: 'the body must be a JSON list of Zipkin v2 spans' };
  const byService = new Map<string, OtelSpan[]>();
  const undecoded: string[] = [];
  for (let i = 0; i < doc.length; i++) {
    const v = doc[i] as unknown;
    const problem =
      v === null || typeof v !== 'object' || Array.isArray(v) ? 'must be an object' : shapeProblem(v as Record<string, unknown>);
    if (problem) {
      undecoded.push(`span [${i}]${spanIdOf(v)}: ${problem}`);
      continue;
    }
    const z = v as ZipkinSpan;
    const service = z.localEndpoint?.serviceName || 'unknown_service';
    const list = byService.get(service);
    const span = toOtel(z);
    if (list) list.push(span);
    else byService.set(service, [span]);
  }
  const resourceSpans: OtelResourceSpans[] = [...byService].map(([service, spans]) => ({
    resource: { 'service.name': service, 'telemetry.sdk.name': 'zipkin' },
    scopeSpans: [{ scope: { name: 'zipkin', version: '' }, spans }],
  }));
  return { ok: true, resourceSpans, undecoded };
}

/** ` (id …)` when the span has a readable ID, to name it in a refusal. */
function spanIdOf(v: unknown): string {
  const id = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'string' && id.length <= 32 ? ` (id ${id})` : '';
}

interface Endpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

interface ZipkinSpan {
  traceId?: string;
  id?: string;
  parentId?: string;
  name?: string;
  kind?: string;
  timestamp?: number;
  duration?: number;
  shared?: boolean;
  localEndpoint?: Endpoint;
  remoteEndpoint?: Endpoint;
  annotations?: Array<{ timestamp: number; value: string }>;
  tags?: Record<string, string>;
}

/** Types the decoder relies on; IDs are checked with every other input's later. */
function shapeProblem(z: Record<string, unknown>): string | null {
  for (const k of ['traceId', 'id', 'parentId', 'name', 'kind']) {
    if (z[k] !== undefined && z[k] !== null && typeof z[k] !== 'string') return `"${k}" must be a string`;
  }
  for (const k of ['timestamp', 'duration']) {
    if (z[k] !== undefined && z[k] !== null && (typeof z[k] !== 'number' || !Number.isFinite(z[k]) || (z[k] as number) < 0)) {
      return `"${k}" must be a number of microseconds`;
    }
  }
  if (typeof z['timestamp'] !== 'number') return '"timestamp" (microseconds) is missing';
  if (z['tags'] !== undefined && (z['tags'] === null || typeof z['tags'] !== 'object' || Array.isArray(z['tags'])))
    return '"tags" must be an object of strings';
  if (z['annotations'] !== undefined && !Array.isArray(z['annotations'])) return '"annotations" must be a list';
  for (const k of ['localEndpoint', 'remoteEndpoint']) {
    if (z[k] !== undefined && z[k] !== null && (typeof z[k] !== 'object' || Array.isArray(z[k]))) return `"${k}" must be an object`;
  }
  return null;
}

const KIND: Record<string, number> = {
  CLIENT: OtelKind.CLIENT,
  SERVER: OtelKind.SERVER,
  PRODUCER: OtelKind.PRODUCER,
  CONSUMER: OtelKind.CONSUMER,
};

function toOtel(z: ZipkinSpan): OtelSpan {
  const attributes: Attributes = {};
  let status: { code: number; message: string } = { code: StatusCode.UNSET, message: '' };
  for (const [k, v] of Object.entries(z.tags ?? {})) {
    const value = String(v);
    if (k === 'error') status = { code: StatusCode.ERROR, message: value === 'true' ? '' : value };
    else if (k === 'otel.status_code')
      status = { code: value === 'ERROR' ? StatusCode.ERROR : value === 'OK' ? StatusCode.OK : StatusCode.UNSET, message: status.message };
    else if (k === 'otel.status_description') status = { ...status, message: value };
    else attributes[k] = value;
  }
  const local = z.localEndpoint;
  if (local?.ipv4 || local?.ipv6) attributes['net.host.ip'] = (local.ipv4 || local.ipv6)!;
  if (local?.port) attributes['net.host.port'] = local.port;
  const remote = z.remoteEndpoint;
  if (remote?.serviceName) attributes['peer.service'] = remote.serviceName;
  if (remote?.ipv4 || remote?.ipv6) attributes['net.peer.ip'] = (remote.ipv4 || remote.ipv6)!;
  if (remote?.port) attributes['net.peer.port'] = remote.port;
  const start = (z.timestamp ?? 0) / 1e6;
  const kind = KIND[(z.kind ?? '').toUpperCase()] ?? OtelKind.INTERNAL;
  const traceId = (z.traceId ?? '').toLowerCase();
  let id = (z.id ?? '').toLowerCase();
  let parent = (z.parentId ?? '').toLowerCase();
  if (z.shared && kind === OtelKind.SERVER && id) {
    parent = id;
    id = derivedSpanId(id);
  }
  return {
    traceId: traceId.length === 16 ? traceId.padStart(32, '0') : traceId,
    spanId: id,
    parentSpanId: parent,
    traceState: '',
    name: z.name ?? '',
    kind,
    startTime: start,
    endTime: start + (z.duration ?? 0) / 1e6,
    attributes,
    events: (z.annotations ?? []).map((a) => ({ time: (Number(a?.timestamp) || 0) / 1e6, name: String(a?.value ?? ''), attributes: {} })),
    links: [],
    status,
    // A shared server span's parent (the client span) is in another process.
    flags: z.shared ? 0x300 : 0,
  };
}
