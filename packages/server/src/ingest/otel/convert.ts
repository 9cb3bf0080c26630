import {
  MAX_DOCUMENT_BYTES,
  otelToSegmentDocuments,
  parseSegmentObject,
  utf8Length,
  type OtelResourceSpans,
  type Span,
  type XrayMappingOptions,
} from '@fluoro/core';
import type { SpanRefusal } from '../decode-protocol.js';

export interface Converted {
  readonly spans: Span[];
  /** Bytes of the documents the spans were stored in. */
  readonly bytes: number;
  /** Spans in the request. */
  readonly received: number;
  readonly rejectedSpans: number;
  /** At most `maxMessages`, with counts by reason in `rejectedByReason`. */
  readonly refusals: SpanRefusal[];
  readonly rejectedByReason: Record<string, number>;
}

/**
 * Decoded OpenTelemetry spans (OTLP or Zipkin) as Fluoro's spans: converted to X-Ray segment
 * documents (the lossless payload BatchGetTraces returns, and X-Ray's view of every field), parsed
 * by the same parser as X-Ray's, with each span's OpenTelemetry fields kept beside. A span that
 * cannot be converted, or a document that would break X-Ray's rules, is refused and counted.
 */
export function convertOtel(
  resourceSpans: readonly OtelResourceSpans[],
  source: 'otlp' | 'zipkin',
  options: XrayMappingOptions,
  maxMessages = 5,
  /** Spans the decoder could not read, with why: refused here, counted with the rest. */
  undecoded: readonly string[] = [],
): Converted {
  const mapped = otelToSegmentDocuments(resourceSpans, options);
  const otelOf = (traceId: string, spanId: string) => mapped.otel.get(traceId + spanId);
  const refusals: SpanRefusal[] = [];
  const rejectedByReason: Record<string, number> = {};
  let rejectedSpans = 0;
  const refuse = (reason: SpanRefusal['reason'], message: string, spans: number): void => {
    rejectedSpans += spans;
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + spans;
    if (refusals.length < maxMessages) refusals.push({ reason, message });
  };
  for (const message of undecoded) refuse('invalid_span', message, 1);
  for (const r of mapped.rejected) refuse('invalid_span', r.message, 1);
  const spans: Span[] = [];
  let bytes = 0;
  let received = mapped.rejected.length + undecoded.length;
  mapped.documents.forEach((doc, i) => {
    const count = mapped.spanCounts[i]!;
    received += count;
    const text = JSON.stringify(doc);
    const size = utf8Length(text);
    const parsed = size > MAX_DOCUMENT_BYTES ? null : parseSegmentObject(doc, text, source, otelOf);
    if (parsed === null)
      refuse(
        'invalid_document',
        `span ${String(doc['id'])}: its segment document would be ${size} bytes; the limit is ${MAX_DOCUMENT_BYTES} bytes`,
        count,
      );
    else if (!parsed.ok) refuse('invalid_document', parsed.rejection.message, count);
    else {
      for (const s of parsed.spans) spans.push(s);
      bytes += size;
    }
  });
  return { spans, bytes, received, rejectedSpans, refusals, rejectedByReason };
}
