/**
 * OpenTelemetry spans as Fluoro reads them from OTLP (protobuf or JSON) and Zipkin, before they
 * become X-Ray segment documents (`to-xray.ts`). One shape for OTLP and Zipkin input, close to
 * OTLP's own, with IDs as lowercase hex and times in epoch seconds.
 */

import type { Attributes } from '../model/attributes.js';

export type { AttrValue, Attributes } from '../model/attributes.js';

/** OTLP's OtelKind numbers. */
export const OtelKind = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
export const SPAN_KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;

/** OTLP's StatusCode numbers. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface OtelEvent {
  readonly time: number;
  readonly name: string;
  readonly attributes: Attributes;
}

export interface OtelLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: Attributes;
}

export interface OtelSpan {
  /** Hex of the bytes received: 32 digits when valid (the converter refuses anything else). */
  readonly traceId: string;
  /** Hex, 16 digits when valid. */
  readonly spanId: string;
  /** Hex, or empty for a root span. */
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly name: string;
  readonly kind: number;
  /** Epoch seconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly attributes: Attributes;
  readonly events: readonly OtelEvent[];
  readonly links: readonly OtelLink[];
  readonly status: { readonly code: number; readonly message: string };
  /** OTLP span flags: W3C trace flags in bits 0–7; bit 8 says bit 9 is known; bit 9: the parent is remote. */
  readonly flags: number;
}

export interface OtelScope {
  readonly name: string;
  readonly version: string;
}

export interface OtelScopeSpans {
  readonly scope: OtelScope;
  readonly spans: readonly OtelSpan[];
}

export interface OtelResourceSpans {
  readonly resource: Attributes;
  readonly scopeSpans: readonly OtelScopeSpans[];
}

/** A decoded request, or why it could not be read at all. */
export type DecodeResult =
  | {
      readonly ok: true;
      readonly resourceSpans: OtelResourceSpans[];
      /** Spans of the body that could not be read, each refused on its own (the others are kept), with why. */
      readonly undecoded?: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

/** The parent is known to be in another process (OTLP span flags bits 8 and 9). */
export function parentIsRemote(flags: number): boolean | null {
  return (flags & 0x100) === 0 ? null : (flags & 0x200) !== 0;
}
