/**
 * OpenTelemetry's typed values, shared by every signal: span, resource, event and link attributes
 * now, log records and metric points later.
 */

/** An attribute value: OTLP's AnyValue. 64-bit integers beyond 2^53 are kept as decimal text; bytes as base64. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { readonly [key: string]: AttrValue };

export type Attributes = Record<string, AttrValue>;

export const NO_ATTRIBUTES: Readonly<Attributes> = Object.freeze({}) as Readonly<Attributes>;

/** The instrumentation scope (library) that recorded a span. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
}

/** OpenTelemetry's span kinds, by name. */
export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** OTLP's SpanKind numbers, in order. */
export const SPAN_KINDS: readonly SpanKindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export type StatusCodeName = 'unset' | 'ok' | 'error';

/** OTLP's StatusCode numbers, in order. */
export const STATUS_CODES: readonly StatusCodeName[] = ['unset', 'ok', 'error'];

export interface SpanStatus {
  readonly code: StatusCodeName;
  /** Empty when there is none. */
  readonly message: string;
}

export interface SpanEvent {
  /** Epoch seconds. */
  readonly time: number;
  readonly name: string;
  readonly attributes: Readonly<Attributes>;
}

export interface SpanLink {
  /** 32 lowercase hex digits as received (not validated: links may point anywhere). */
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Readonly<Attributes>;
}
