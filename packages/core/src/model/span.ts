import type { Attributes, InstrumentationScope, SpanEvent, SpanKindName, SpanLink, SpanStatus } from './attributes.js';

/**
 * The canonical span, OpenTelemetry-native: one per OTLP or Zipkin span and per X-Ray segment or
 * subsegment. It carries OpenTelemetry's own fields (resource, scope, attributes, events, links,
 * status, span kind) and, lifted beside them, X-Ray's (http, aws, user, annotations, exceptions,
 * the owning segment and the downstream node a call reaches), which the X-Ray API and the
 * service graph need. Every input is converted into this shape once, at ingest; stores and
 * queries only see spans. `doc` keeps the X-Ray segment document exactly as sent (for OTLP and
 * Zipkin spans: the document they were converted to), the lossless payload `BatchGetTraces`
 * returns.
 *
 * For spans that arrived as X-Ray documents, the OpenTelemetry fields are derived the way the
 * OpenTelemetry Collector's X-Ray receiver derives them: a segment is a `server` span, a call to
 * a downstream node a `client` span, other subsegments `internal`; a fault is status `error`;
 * X-Ray's `links` are links; resource, scope, attributes and events are empty (X-Ray documents
 * have none: their annotations and metadata stay in their own fields and the document).
 */

export type SpanKind = 'segment' | 'subsegment';
export type SpanSource = 'xray' | 'otlp' | 'zipkin';
export type AnnotationValue = string | number | boolean;

/** A node of the service graph: a service, a client, or an inferred downstream resource. */
export interface NodeRef {
  readonly name: string;
  /** `AWS::EC2::Instance`, `AWS::DynamoDB::Table`, `Database::SQL`, `remote`, `client`, `service`… */
  readonly type: string;
}

export interface SpanException {
  readonly name: string;
  readonly message: string;
  readonly remote: boolean;
}

/** The segment a span belongs to: the service that did the work. */
export interface SpanOwner {
  readonly segmentId: string;
  readonly service: string;
  readonly serviceType: string;
}

export interface HttpFields {
  readonly method: string | null;
  readonly url: string | null;
  readonly userAgent: string | null;
  readonly clientIp: string | null;
  readonly status: number | null;
}

export interface Span {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits, unique within the trace. */
  readonly id: string;
  readonly parentId: string | null;
  readonly kind: SpanKind;
  readonly name: string;
  /** Epoch seconds. */
  readonly startTime: number;
  /** Epoch seconds; null while in progress. */
  readonly endTime: number | null;
  readonly inProgress: boolean;
  /**
   * Known when the span arrived inside its segment's document (or is a segment). Null for a
   * subsegment sent on its own: the store links it once its parent is known.
   */
  readonly owner: SpanOwner | null;
  readonly error: boolean;
  readonly fault: boolean;
  readonly throttle: boolean;
  readonly http: HttpFields | null;
  readonly user: string | null;
  readonly resourceArn: string | null;
  readonly accountId: string | null;
  readonly instanceId: string | null;
  readonly availabilityZone: string | null;
  readonly annotations: Readonly<Record<string, AnnotationValue>>;
  /** The exceptions of the span's own `cause` (type as `name`), for root causes. */
  readonly exceptions: readonly SpanException[];
  /** The downstream node this span calls, when it is a call that leaves the service. */
  readonly downstream: NodeRef | null;
  /** Time the trace is filed under (see `traceTime`). */
  readonly traceTime: number;
  readonly source: SpanSource;
  /** ID of the span whose document this span arrived in (itself when it is that document's root). */
  readonly docId: string;
  /**
   * The whole document as JSON text, on the span that is its root; null on the subsegments
   * embedded in it, which are inside that text. Storing each document once keeps writes cheap.
   */
  readonly doc: string | null;
  /** What produced the span: `service.name`, host, SDK… (OpenTelemetry resource attributes). */
  readonly resource: Readonly<Attributes>;
  /** The instrumentation library that recorded it; null when unknown (X-Ray documents). */
  readonly scope: InstrumentationScope | null;
  /** OpenTelemetry span attributes, typed; filterable as `attribute.<key>` without configuration. */
  readonly attributes: Readonly<Attributes>;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly status: SpanStatus;
  readonly spanKind: SpanKindName;
}

/**
 * What a trace's structure, summary and root causes read of a span (`buildTraceModel`,
 * `summarizeTrace`, `rootCauses`): all but its document and its OpenTelemetry detail, which a
 * store can then leave unread (`TRACE_SPAN_COLUMNS` in storage/duckdb).
 */
export type TraceSpan = Omit<
  Span,
  'source' | 'docId' | 'doc' | 'resource' | 'scope' | 'attributes' | 'events' | 'links' | 'status' | 'spanKind'
>;

/** Outcome class used for statistics: fault (5xx) > error (4xx, throttle inside it) > ok. */
export type Outcome = 'ok' | 'error' | 'throttle' | 'fault';

export function outcomeOf(flags: { error: boolean; fault: boolean; throttle: boolean }): Outcome {
  if (flags.fault) return 'fault';
  if (flags.throttle) return 'throttle';
  if (flags.error) return 'error';
  return 'ok';
}
