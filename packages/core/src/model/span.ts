/**
 * The canonical span: one row per X-Ray segment or subsegment (and, later, per OTLP or Zipkin
 * span). Every input is converted into this shape once, at ingest; storage and queries only ever
 * see spans. Fields that queries need are lifted out as typed columns; `doc` keeps the span's own
 * document exactly, so reads can give back what was sent.
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
}

/** Outcome class used for statistics: fault (5xx) > error (4xx, throttle inside it) > ok. */
export type Outcome = 'ok' | 'error' | 'throttle' | 'fault';

export function outcomeOf(flags: { error: boolean; fault: boolean; throttle: boolean }): Outcome {
  if (flags.fault) return 'fault';
  if (flags.throttle) return 'throttle';
  if (flags.error) return 'error';
  return 'ok';
}
