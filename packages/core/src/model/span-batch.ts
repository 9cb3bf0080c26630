import { NO_ATTRIBUTES, SPAN_KINDS, STATUS_CODES, type Attributes, type SpanEvent, type SpanLink } from './attributes.js';
import type { AnnotationValue, Span, SpanException, SpanSource } from './span.js';

/**
 * Spans in columns: how spans travel from receivers (possibly on worker threads) to the store.
 * Copying a batch between threads costs a third of copying span objects, and a store appends
 * column values without building objects. Nulls: `null` in string columns, NaN in `endTime`,
 * -1 in `httpStatus`. OpenTelemetry's attribute maps, events and links travel as JSON text (null
 * when empty); the resource only on the span that is its document's root (a document is one
 * service's: its spans share it).
 */
export interface SpanBatch {
  readonly length: number;
  readonly traceId: string[];
  readonly id: string[];
  readonly parentId: Array<string | null>;
  /** 1 for a segment, 0 for a subsegment. */
  readonly isSegment: Uint8Array;
  readonly segmentId: Array<string | null>;
  readonly service: Array<string | null>;
  readonly serviceType: Array<string | null>;
  readonly name: string[];
  readonly startTime: Float64Array;
  readonly endTime: Float64Array;
  /** Bit flags: `IN_PROGRESS`, `ERROR`, `FAULT`, `THROTTLE`. */
  readonly flags: Uint8Array;
  readonly httpMethod: Array<string | null>;
  readonly httpUrl: Array<string | null>;
  readonly httpStatus: Int32Array;
  readonly httpUserAgent: Array<string | null>;
  readonly httpClientIp: Array<string | null>;
  readonly user: Array<string | null>;
  readonly resourceArn: Array<string | null>;
  readonly accountId: Array<string | null>;
  readonly instanceId: Array<string | null>;
  readonly availabilityZone: Array<string | null>;
  /** The annotations as a JSON object, or null when there are none. */
  readonly annotations: Array<string | null>;
  /** The exceptions as a JSON list, or null when there are none. */
  readonly exceptions: Array<string | null>;
  readonly downstreamName: Array<string | null>;
  readonly downstreamType: Array<string | null>;
  readonly traceTime: Float64Array;
  readonly source: SpanSource[];
  readonly docId: string[];
  readonly doc: Array<string | null>;
  /** The resource's attributes as a JSON object, on document roots only; null elsewhere or when empty. */
  readonly resource: Array<string | null>;
  readonly scopeName: Array<string | null>;
  readonly scopeVersion: Array<string | null>;
  readonly attributes: Array<string | null>;
  readonly events: Array<string | null>;
  readonly links: Array<string | null>;
  /** Index into `STATUS_CODES`. */
  readonly statusCode: Uint8Array;
  readonly statusMessage: Array<string | null>;
  /** Index into `SPAN_KINDS`. */
  readonly spanKind: Uint8Array;
}

export const IN_PROGRESS = 1;
export const ERROR = 2;
export const FAULT = 4;
export const THROTTLE = 8;

/** Collects spans into a batch; `build()` hands it over and starts a new one. */
export class SpanBatchBuilder {
  #n = 0;
  #b: Mutable<SpanBatch>;
  /** Documents of one export share their resource object: serialize it once. */
  #resource: { of: Readonly<Attributes> | null; json: string | null } = { of: null, json: null };

  constructor(private readonly capacity = 1024) {
    this.#b = empty(capacity);
  }

  get length(): number {
    return this.#n;
  }

  push(s: Span): void {
    if (this.#n === this.#b.startTime.length) this.#grow();
    const b = this.#b;
    const i = this.#n++;
    b.traceId.push(s.traceId);
    b.id.push(s.id);
    b.parentId.push(s.parentId);
    b.isSegment[i] = s.kind === 'segment' ? 1 : 0;
    b.segmentId.push(s.owner?.segmentId ?? null);
    b.service.push(s.owner?.service ?? null);
    b.serviceType.push(s.owner?.serviceType ?? null);
    b.name.push(s.name);
    b.startTime[i] = s.startTime;
    b.endTime[i] = s.endTime ?? NaN;
    b.flags[i] = (s.inProgress ? IN_PROGRESS : 0) | (s.error ? ERROR : 0) | (s.fault ? FAULT : 0) | (s.throttle ? THROTTLE : 0);
    const h = s.http;
    b.httpMethod.push(h?.method ?? null);
    b.httpUrl.push(h?.url ?? null);
    b.httpStatus[i] = h?.status ?? -1;
    b.httpUserAgent.push(h?.userAgent ?? null);
    b.httpClientIp.push(h?.clientIp ?? null);
    b.user.push(s.user);
    b.resourceArn.push(s.resourceArn);
    b.accountId.push(s.accountId);
    b.instanceId.push(s.instanceId);
    b.availabilityZone.push(s.availabilityZone);
    let annotations: string | null = null;
    for (const _ in s.annotations) {
      annotations = JSON.stringify(s.annotations);
      break;
    }
    b.annotations.push(annotations);
    b.exceptions.push(s.exceptions.length ? JSON.stringify(s.exceptions) : null);
    b.downstreamName.push(s.downstream?.name ?? null);
    b.downstreamType.push(s.downstream?.type ?? null);
    b.traceTime[i] = s.traceTime;
    b.source.push(s.source);
    b.docId.push(s.docId);
    b.doc.push(s.doc);
    b.resource.push(s.doc === null ? null : this.#resourceJson(s.resource));
    b.scopeName.push(s.scope?.name ?? null);
    b.scopeVersion.push(s.scope?.version || null);
    b.attributes.push(json(s.attributes));
    b.events.push(s.events.length ? JSON.stringify(s.events) : null);
    b.links.push(s.links.length ? JSON.stringify(s.links) : null);
    b.statusCode[i] = STATUS_INDEX[s.status.code];
    b.statusMessage.push(s.status.message || null);
    b.spanKind[i] = KIND_INDEX[s.spanKind];
  }

  #resourceJson(resource: Readonly<Attributes>): string | null {
    if (this.#resource.of !== resource) this.#resource = { of: resource, json: json(resource) };
    return this.#resource.json;
  }

  build(): SpanBatch {
    const n = this.#n;
    const b = this.#b;
    const out: SpanBatch = {
      ...b,
      length: n,
      isSegment: b.isSegment.slice(0, n),
      startTime: b.startTime.slice(0, n),
      endTime: b.endTime.slice(0, n),
      flags: b.flags.slice(0, n),
      httpStatus: b.httpStatus.slice(0, n),
      traceTime: b.traceTime.slice(0, n),
      statusCode: b.statusCode.slice(0, n),
      spanKind: b.spanKind.slice(0, n),
    };
    this.#b = empty(this.capacity);
    this.#n = 0;
    return out;
  }

  #grow(): void {
    const b = this.#b;
    const size = b.startTime.length * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: new (n: number) => T): T => {
      const next = new make(size);
      next.set(a);
      return next;
    };
    b.isSegment = grow(b.isSegment, Uint8Array);
    b.startTime = grow(b.startTime, Float64Array);
    b.endTime = grow(b.endTime, Float64Array);
    b.flags = grow(b.flags, Uint8Array);
    b.httpStatus = grow(b.httpStatus, Int32Array);
    b.traceTime = grow(b.traceTime, Float64Array);
    b.statusCode = grow(b.statusCode, Uint8Array);
    b.spanKind = grow(b.spanKind, Uint8Array);
  }
}

const STATUS_INDEX = Object.fromEntries(STATUS_CODES.map((c, i) => [c, i])) as Record<Span['status']['code'], number>;
const KIND_INDEX = Object.fromEntries(SPAN_KINDS.map((k, i) => [k, i])) as Record<Span['spanKind'], number>;

/** An attribute map as JSON text; null when empty (most X-Ray spans: no column value to store). */
function json(a: Readonly<Attributes>): string | null {
  for (const _ in a) return JSON.stringify(a);
  return null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function empty(capacity: number): Mutable<SpanBatch> {
  return {
    length: 0,
    traceId: [],
    id: [],
    parentId: [],
    isSegment: new Uint8Array(capacity),
    segmentId: [],
    service: [],
    serviceType: [],
    name: [],
    startTime: new Float64Array(capacity),
    endTime: new Float64Array(capacity),
    flags: new Uint8Array(capacity),
    httpMethod: [],
    httpUrl: [],
    httpStatus: new Int32Array(capacity),
    httpUserAgent: [],
    httpClientIp: [],
    user: [],
    resourceArn: [],
    accountId: [],
    instanceId: [],
    availabilityZone: [],
    annotations: [],
    exceptions: [],
    downstreamName: [],
    downstreamType: [],
    traceTime: new Float64Array(capacity),
    source: [],
    docId: [],
    doc: [],
    resource: [],
    scopeName: [],
    scopeVersion: [],
    attributes: [],
    events: [],
    links: [],
    statusCode: new Uint8Array(capacity),
    statusMessage: [],
    spanKind: new Uint8Array(capacity),
  };
}

export function spanBatchOf(spans: readonly Span[]): SpanBatch {
  const builder = new SpanBatchBuilder(Math.max(1, spans.length));
  for (const s of spans) builder.push(s);
  return builder.build();
}

/** Columns a reader may leave out (a "light" batch sent where only the tree and flags matter). */
type OptionalColumn =
  | 'httpMethod'
  | 'httpUrl'
  | 'httpStatus'
  | 'httpUserAgent'
  | 'httpClientIp'
  | 'user'
  | 'resourceArn'
  | 'instanceId'
  | 'availabilityZone'
  | 'annotations'
  | 'doc'
  | 'resource'
  | 'scopeName'
  | 'scopeVersion'
  | 'attributes'
  | 'events'
  | 'links'
  | 'statusMessage';

/** A batch, possibly without its optional columns: the spans read from it have those fields empty. */
export type SpanColumns = Omit<SpanBatch, OptionalColumn> & Partial<Pick<SpanBatch, OptionalColumn>>;

/** The span at row `i` of a batch. */
export function spanAt(b: SpanColumns, i: number): Span {
  const segmentId = b.segmentId[i] ?? null;
  const text = (column: Array<string | null> | undefined): string | null => column?.[i] ?? null;
  const status = b.httpStatus?.[i] ?? -1;
  const [method, url, userAgent, clientIp] = [text(b.httpMethod), text(b.httpUrl), text(b.httpUserAgent), text(b.httpClientIp)];
  const http =
    method !== null || url !== null || status >= 0 || userAgent !== null || clientIp !== null
      ? { method, url, status: status >= 0 ? status : null, userAgent, clientIp }
      : null;
  const end = b.endTime[i]!;
  const flags = b.flags[i]!;
  const annotations = text(b.annotations);
  const exceptions = b.exceptions[i];
  const scopeName = text(b.scopeName);
  return {
    traceId: b.traceId[i]!,
    id: b.id[i]!,
    parentId: b.parentId[i]!,
    kind: b.isSegment[i] ? 'segment' : 'subsegment',
    name: b.name[i]!,
    startTime: b.startTime[i]!,
    endTime: Number.isNaN(end) ? null : end,
    inProgress: (flags & IN_PROGRESS) !== 0,
    owner: segmentId === null ? null : { segmentId, service: b.service[i]!, serviceType: b.serviceType[i]! },
    error: (flags & ERROR) !== 0,
    fault: (flags & FAULT) !== 0,
    throttle: (flags & THROTTLE) !== 0,
    http,
    user: text(b.user),
    resourceArn: text(b.resourceArn),
    accountId: b.accountId[i]!,
    instanceId: text(b.instanceId),
    availabilityZone: text(b.availabilityZone),
    annotations: annotations ? (JSON.parse(annotations) as Record<string, AnnotationValue>) : {},
    exceptions: exceptions ? (JSON.parse(exceptions) as SpanException[]) : [],
    downstream: b.downstreamName[i] ? { name: b.downstreamName[i]!, type: b.downstreamType[i]! } : null,
    traceTime: b.traceTime[i]!,
    source: b.source[i]!,
    docId: b.docId[i]!,
    doc: text(b.doc),
    resource: parsed<Attributes>(text(b.resource)) ?? NO_ATTRIBUTES,
    scope: scopeName === null ? null : { name: scopeName, version: text(b.scopeVersion) ?? '' },
    attributes: parsed<Attributes>(text(b.attributes)) ?? NO_ATTRIBUTES,
    events: parsed<SpanEvent[]>(text(b.events)) ?? NONE,
    links: parsed<SpanLink[]>(text(b.links)) ?? NONE,
    status: { code: STATUS_CODES[b.statusCode[i]!] ?? 'unset', message: text(b.statusMessage) ?? '' },
    spanKind: SPAN_KINDS[b.spanKind[i]!] ?? 'unspecified',
  };
}

const NONE: readonly never[] = Object.freeze([]);

function parsed<T>(json: string | null): T | null {
  return json === null ? null : (JSON.parse(json) as T);
}

/** The buffers a batch can hand to another thread without copying. */
export function transferables(b: SpanBatch): ArrayBuffer[] {
  return [b.isSegment, b.startTime, b.endTime, b.flags, b.httpStatus, b.traceTime, b.statusCode, b.spanKind].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/**
 * Spans read from a batch (or a store laid out like one) carry their document's resource only on
 * its root: gives every span of a document the root's. Spans whose root is not among them keep
 * theirs (empty).
 */
export function withDocumentResources(spans: Span[]): Span[] {
  const byDoc = new Map<string, Span['resource']>();
  for (const s of spans) if (s.doc !== null && s.resource !== NO_ATTRIBUTES) byDoc.set(s.traceId + s.docId, s.resource);
  if (byDoc.size === 0) return spans;
  return spans.map((s) => {
    const resource = s.doc === null ? byDoc.get(s.traceId + s.docId) : undefined;
    return resource ? { ...s, resource } : s;
  });
}
