import { toXrayTraceId } from '../ids/trace-id.js';
import { NO_ATTRIBUTES, SPAN_KINDS, STATUS_CODES } from '../model/attributes.js';
import { MAX_SUBSEGMENT_DEPTH, type OtelFields } from '../xray/segment-document.js';
import { parentIsRemote, OtelKind, type Attributes, type OtelResourceSpans, type OtelScope, type OtelSpan } from './model.js';
import { derivedSpanId } from './derived-id.js';
import {
  attributesOut,
  flags,
  httpStatus,
  makeAws,
  makeCause,
  makeHttp,
  makeSql,
  namespace,
  resourceFields,
  subsegmentName,
  text,
  type Ctx,
} from './xray-fields.js';

/**
 * OpenTelemetry spans → X-Ray segment documents, so that OTLP and Zipkin data is stored, queried
 * and returned exactly like segments. Follows the OpenTelemetry Collector's X-Ray exporter
 * (spec §3.2) with these choices (docs/opentelemetry.md):
 *
 * - A span is a **segment** of its service when it has no parent, is a SERVER or CONSUMER span,
 *   or its parent is flagged remote; its name is the service (`aws.local.service`, else the
 *   resource's `service.name`). Every other span is a **subsegment**, nested in the document of
 *   the nearest segment of the same request: the spans of one export are grouped into documents.
 *   A subsegment whose segment is not in the export becomes a subsegment document of its own,
 *   which the store links to its parent when that arrives.
 * - A CLIENT or PRODUCER span without a local parent gets a segment for its service around it
 *   (with an ID derived from its own), so the map shows the service calling out.
 * - Subsegment names and namespaces name the downstream node: `aws.remote.service`,
 *   `peer.service`, `aws.service` / AWS SDK spans (`rpc.system = aws-api`, namespace `aws`),
 *   `db.name@host`, `db.system@host`, `rpc.service`, `http.host` / `server.address` /
 *   `net.peer.name`, else the span name; CLIENT and PRODUCER spans get namespace `remote`.
 * - HTTP, SQL, AWS, user, exception and status attributes fill the X-Ray fields; attributes named
 *   in `annotationKeys` or `aws.xray.annotations` (or all, with `indexAllAttributes`) become
 *   annotations; the attributes the X-Ray fields do not hold go to `metadata.default`, resource
 *   attributes (on segments) as `otel.resource.*`, and the span's OTel name, kind, status, events
 *   and scope under `metadata.otel`.
 */
export interface XrayMappingOptions {
  /** Attribute keys to index as annotations (besides each span's `aws.xray.annotations`). */
  readonly annotationKeys?: ReadonlySet<string>;
  /** Index every attribute with a string, number or boolean value. */
  readonly indexAllAttributes?: boolean;
}

export interface SpanRejection {
  readonly traceId: string;
  readonly spanId: string;
  readonly message: string;
}

export interface MappedDocuments {
  /** X-Ray segment documents (segments with their subsegments nested, or lone subsegments). */
  readonly documents: Record<string, unknown>[];
  /** How many input spans each document holds (for counting rejections of whole documents). */
  readonly spanCounts: number[];
  readonly rejected: SpanRejection[];
  /**
   * OpenTelemetry's own fields of every converted span (and of the segments made around calls
   * without a local parent), by trace ID + span ID: what `parseSegmentObject` puts beside X-Ray's.
   */
  readonly otel: ReadonlyMap<string, OtelFields>;
}

type Doc = Record<string, unknown>;

interface Node {
  readonly span: OtelSpan;
  readonly scope: OtelScope;
  /**
   * `segment` of its service; `wrapped`: a call out with no local parent, put in a segment made
   * for it; `subsegment`: nested under its parent.
   */
  readonly role: 'segment' | 'wrapped' | 'subsegment';
  readonly segment: boolean;
  readonly children: Node[];
}

const HEX16 = /^[0-9a-f]{16}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const ZERO16 = '0000000000000000';
const ZERO32 = '00000000000000000000000000000000';
const INVALID_SEGMENT_CHARS = /[^\p{L}\p{N}\s_.:/%&#=+\\\-@]/gu;
const MAX_NAME = 200;

export function otelToSegmentDocuments(resourceSpans: readonly OtelResourceSpans[], options: XrayMappingOptions = {}): MappedDocuments {
  const documents: Doc[] = [];
  const spanCounts: number[] = [];
  const rejected: SpanRejection[] = [];
  const otel = new Map<string, OtelFields>();
  const indexed = options.annotationKeys ?? new Set<string>();
  for (const rs of resourceSpans) {
    const service = serviceName(rs.resource);
    const nodes = new Map<string, Node>();
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const problem = invalid(span);
        if (problem) {
          rejected.push({ traceId: span.traceId, spanId: span.spanId, message: problem });
          continue;
        }
        const kind = span.kind;
        const entry = span.parentSpanId === '' || parentIsRemote(span.flags) === true;
        const role =
          kind === OtelKind.SERVER || kind === OtelKind.CONSUMER
            ? 'segment'
            : entry
              ? kind === OtelKind.CLIENT || kind === OtelKind.PRODUCER
                ? 'wrapped'
                : 'segment'
              : 'subsegment';
        // A later copy of the same span replaces an earlier one.
        nodes.set(span.traceId + span.spanId, { span, scope: ss.scope, role, segment: role === 'segment', children: [] });
        otel.set(span.traceId + span.spanId, otelFields(rs.resource, ss.scope, span));
        if (role === 'wrapped') otel.set(span.traceId + derivedSpanId(span.spanId), wrapperFields(rs.resource, ss.scope));
      }
    }
    const tops: Node[] = [];
    for (const node of nodes.values()) {
      const parent = node.role === 'subsegment' ? nodes.get(node.span.traceId + node.span.parentSpanId) : undefined;
      if (parent) parent.children.push(node);
      else tops.push(node);
    }
    const resourceMetadata: Doc = {};
    for (const key in rs.resource) resourceMetadata[`otel.resource.${key}`] = rs.resource[key];
    const ctx: Ctx = { service, resource: rs.resource, options, indexed, resourceMetadata };
    for (const top of tops) {
      const out: Doc[] = [];
      const counts: number[] = [];
      if (top.role === 'wrapped') emitWrapped(ctx, top, out, counts);
      else emit(ctx, top, out, counts);
      documents.push(...out);
      spanCounts.push(...counts);
    }
  }
  return { documents, spanCounts, rejected, otel };
}

function invalid(s: OtelSpan): string | null {
  if (!HEX32.test(s.traceId) || s.traceId === ZERO32) return `trace ID "${s.traceId}" must be 16 bytes, not all zero`;
  if (!HEX16.test(s.spanId) || s.spanId === ZERO16) return `span ${s.spanId || '(empty)'}: span ID must be 8 bytes, not all zero`;
  if (s.parentSpanId !== '' && !HEX16.test(s.parentSpanId)) return `span ${s.spanId}: parent span ID "${s.parentSpanId}" must be 8 bytes`;
  if (!(s.startTime > 0)) return `span ${s.spanId}: start time is missing`;
  if (!(s.endTime >= s.startTime)) return `span ${s.spanId}: end time ${s.endTime} is before start time ${s.startTime}`;
  return null;
}

/** Emits the document rooted at `node` (and, for subtrees nested too deep, documents of their own). */
function emit(ctx: Ctx, node: Node, out: Doc[], counts: number[]): void {
  const index = out.length;
  out.push({});
  counts.push(0);
  const spans = { n: 0 };
  const doc = build(ctx, node, true, 0, out, counts, spans, null);
  out[index] = doc;
  counts[index] = spans.n;
}

function build(
  ctx: Ctx,
  node: Node,
  top: boolean,
  depth: number,
  out: Doc[],
  counts: number[],
  spans: { n: number },
  parentScope: OtelScope | null,
): Doc {
  spans.n++;
  const doc = node.segment ? segmentDoc(ctx, node.span, node.scope) : subsegmentDoc(ctx, node.span, node.scope, parentScope, top);
  if (node.children.length) {
    const children = [...node.children].sort((a, b) => a.span.startTime - b.span.startTime);
    if (depth + 1 >= MAX_SUBSEGMENT_DEPTH) {
      for (const c of children) emit(ctx, c, out, counts);
    } else {
      doc['subsegments'] = children.map((c) => build(ctx, c, false, depth + 1, out, counts, spans, node.scope));
    }
  }
  return doc;
}

/** A CLIENT/PRODUCER span with no local parent: a segment of its service, with the call inside. */
function emitWrapped(ctx: Ctx, node: Node, out: Doc[], counts: number[]): void {
  const span = node.span;
  const id = derivedSpanId(span.spanId);
  const index = out.length;
  out.push({});
  counts.push(0);
  const spans = { n: 0 };
  const call = build(ctx, node, false, 1, out, counts, spans, null);
  const segment: Doc = {
    name: segmentName(ctx.service, span),
    id,
    trace_id: toXrayTraceId(span.traceId),
    start_time: span.startTime,
    end_time: span.endTime,
    ...(span.parentSpanId ? { parent_id: span.parentSpanId } : {}),
    ...resourceFields(ctx),
    ...(call['error'] ? { error: true } : {}),
    ...(call['fault'] ? { fault: true } : {}),
    ...(call['throttle'] ? { throttle: true } : {}),
    subsegments: [call],
  };
  out[index] = segment;
  counts[index] = spans.n;
}

function segmentDoc(ctx: Ctx, span: OtelSpan, scope: OtelScope): Doc {
  const doc: Doc = {
    name: segmentName(ctx.service, span),
    id: span.spanId,
    trace_id: toXrayTraceId(span.traceId),
    start_time: span.startTime,
    end_time: span.endTime,
  };
  if (span.parentSpanId) doc['parent_id'] = span.parentSpanId;
  Object.assign(doc, resourceFields(ctx));
  fill(ctx, doc, span, scope, null, true);
  return doc;
}

function subsegmentDoc(ctx: Ctx, span: OtelSpan, scope: OtelScope, parentScope: OtelScope | null, standalone: boolean): Doc {
  const doc: Doc = {
    name: subsegmentName(span),
    id: span.spanId,
    start_time: span.startTime,
    end_time: span.endTime,
  };
  if (standalone) {
    doc['type'] = 'subsegment';
    doc['trace_id'] = toXrayTraceId(span.traceId);
    doc['parent_id'] = span.parentSpanId;
  }
  const ns = namespace(span);
  if (ns) doc['namespace'] = ns;
  fill(ctx, doc, span, scope, standalone ? null : parentScope, false);
  return doc;
}

/** Fields every span gets: status, cause, http, sql, aws, user, annotations, metadata, links. */
function fill(ctx: Ctx, doc: Doc, span: OtelSpan, scope: OtelScope, parentScope: OtelScope | null, segment: boolean): void {
  const a = span.attributes;
  const status = httpStatus(a);
  // Flags only when set, as X-Ray SDKs write them.
  const { error, fault, throttle } = flags(span, status);
  if (error) doc['error'] = true;
  if (fault) doc['fault'] = true;
  if (throttle) doc['throttle'] = true;
  const cause = makeCause(ctx, span);
  if (cause) doc['cause'] = cause;
  const http = makeHttp(span, status);
  if (http) doc['http'] = http;
  const sql = makeSql(a);
  if (sql) doc['sql'] = sql;
  const aws = makeAws(a, segment ? ctx.resource : null);
  if (aws) doc['aws'] = aws;
  const user = text(a['enduser.id']) ?? text(a['user.id']);
  if (user) doc['user'] = user.slice(0, 250);
  const { annotations, metadata } = attributesOut(ctx, span, scope, parentScope, segment);
  if (annotations) doc['annotations'] = annotations;
  doc['metadata'] = metadata;
  if (span.links.length) {
    doc['links'] = span.links.map((l) => ({
      trace_id: HEX32.test(l.traceId) ? toXrayTraceId(l.traceId) : l.traceId,
      id: l.spanId,
      attributes: l.attributes,
    }));
  }
}

function serviceName(resource: Attributes): string {
  return text(resource['service.name']) || 'unknown_service';
}

function segmentName(service: string, span: OtelSpan): string {
  return sanitizeSegmentName(
    (span.kind === OtelKind.SERVER || span.kind === OtelKind.INTERNAL ? text(span.attributes['aws.local.service']) : null) || service,
  );
}

export function sanitizeSegmentName(name: string): string {
  const clean = name.replace(INVALID_SEGMENT_CHARS, '').slice(0, MAX_NAME);
  return clean || 'unknown_service';
}

function otelFields(resource: Attributes, scope: OtelScope, span: OtelSpan): OtelFields {
  return {
    resource,
    scope: scope.name ? scope : null,
    attributes: span.attributes,
    events: span.events,
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes })),
    status: { code: STATUS_CODES[span.status.code] ?? 'unset', message: span.status.message },
    spanKind: SPAN_KINDS[span.kind] ?? 'unspecified',
  };
}

/** The segment made around a call with no local parent: the service, with nothing of its own. */
function wrapperFields(resource: Attributes, scope: OtelScope): OtelFields {
  return {
    resource,
    scope: scope.name ? scope : null,
    attributes: NO_ATTRIBUTES,
    events: [],
    links: [],
    status: { code: 'unset', message: '' },
    spanKind: 'internal',
  };
}
