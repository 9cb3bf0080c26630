import type { AttrValue, Attributes, DecodeResult, OtelEvent, OtelLink, OtelResourceSpans, OtelScopeSpans, OtelSpan } from './model.js';
import { I32, I64, LEN, Reader, textDecoderUtf8, VARINT, WireError, Writer } from './protobuf-wire.js';

/**
 * Decodes an OTLP `ExportTraceServiceRequest` (opentelemetry/proto/collector/trace/v1) from its
 * protobuf bytes, straight into Fluoro's OTel model: no generated code, no intermediate message
 * objects. Unknown fields are skipped, as protobuf requires; anything that breaks the wire format
 * (a length past the end, a bad wire type, nesting too deep) fails the whole request with the
 * byte offset where it went wrong.
 */
export function decodeOtlpProtobuf(bytes: Uint8Array, options: ProtobufDecodeOptions = {}): DecodeResult {
  const r = new Reader(bytes, options.utf8 ?? textDecoderUtf8);
  try {
    const resourceSpans: OtelResourceSpans[] = [];
    while (r.pos < r.end) {
      const tag = r.varint32();
      if (tag === ((1 << 3) | LEN)) resourceSpans.push(r.nested(readResourceSpans));
      else r.skip(tag);
    }
    return { ok: true, resourceSpans };
  } catch (err) {
    if (err instanceof WireError)
      return { ok: false, message: `the body is not an OTLP ExportTraceServiceRequest in protobuf: ${err.message}` };
    throw err;
  }
}

export interface ProtobufDecodeOptions {
  /**
   * Decodes UTF-8 bytes `[start, end)` of `bytes` (the array given to the decoder). Defaults to
   * `TextDecoder`; on Node.js, `Buffer#utf8Slice` is about twice as fast for short strings.
   */
  readonly utf8?: (bytes: Uint8Array, start: number, end: number) => string;
}

function readResourceSpans(r: Reader): OtelResourceSpans {
  let resource: Attributes = {};
  const scopeSpans: OtelScopeSpans[] = [];
  while (r.pos < r.end) {
    const tag = r.varint32();
    switch (tag) {
      case (1 << 3) | LEN:
        resource = r.nested(readResource);
        break;
      case (2 << 3) | LEN:
        scopeSpans.push(r.nested(readScopeSpans));
        break;
      default:
        r.skip(tag);
    }
  }
  return { resource, scopeSpans };
}

function readResource(r: Reader): Attributes {
  const attributes: Attributes = {};
  while (r.pos < r.end) {
    const tag = r.varint32();
    if (tag === ((1 << 3) | LEN)) readKeyValue(r, attributes);
    else r.skip(tag);
  }
  return attributes;
}

function readScopeSpans(r: Reader): OtelScopeSpans {
  let scope = { name: '', version: '' };
  const spans: OtelSpan[] = [];
  while (r.pos < r.end) {
    const tag = r.varint32();
    switch (tag) {
      case (1 << 3) | LEN:
        scope = r.nested(readScope);
        break;
      case (2 << 3) | LEN:
        spans.push(r.nested(readSpan));
        break;
      default:
        r.skip(tag);
    }
  }
  return { scope, spans };
}

function readScope(r: Reader): { name: string; version: string } {
  let name = '';
  let version = '';
  while (r.pos < r.end) {
    const tag = r.varint32();
    if (tag === ((1 << 3) | LEN)) name = r.string();
    else if (tag === ((2 << 3) | LEN)) version = r.string();
    else r.skip(tag);
  }
  return { name, version };
}

function readSpan(r: Reader): OtelSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let startTime = 0;
  let endTime = 0;
  let flags = 0;
  const attributes: Attributes = {};
  const events: OtelEvent[] = [];
  const links: OtelLink[] = [];
  let status = { code: 0, message: '' };
  while (r.pos < r.end) {
    const tag = r.varint32();
    switch (tag) {
      case (1 << 3) | LEN:
        traceId = r.hex();
        break;
      case (2 << 3) | LEN:
        spanId = r.hex();
        break;
      case (3 << 3) | LEN:
        traceState = r.string();
        break;
      case (4 << 3) | LEN:
        parentSpanId = r.hex();
        break;
      case (5 << 3) | LEN:
        name = r.string();
        break;
      case (6 << 3) | VARINT:
        kind = r.varint32();
        break;
      case (7 << 3) | I64:
        startTime = r.nanosAsSeconds();
        break;
      case (8 << 3) | I64:
        endTime = r.nanosAsSeconds();
        break;
      case (9 << 3) | LEN:
        readKeyValue(r, attributes);
        break;
      case (11 << 3) | LEN:
        events.push(r.nested(readEvent));
        break;
      case (13 << 3) | LEN:
        links.push(r.nested(readLink));
        break;
      case (15 << 3) | LEN:
        status = r.nested(readStatus);
        break;
      case (16 << 3) | I32:
        flags = r.fixed32();
        break;
      default:
        if ([1, 2, 3, 4, 5, 9, 11, 13, 15].includes(tag >>> 3)) r.expect(tag, LEN);
        if ([7, 8].includes(tag >>> 3)) r.expect(tag, I64);
        if (tag >>> 3 === 16) r.expect(tag, I32);
        r.skip(tag);
    }
  }
  return { traceId, spanId, parentSpanId, traceState, name, kind, startTime, endTime, attributes, events, links, status, flags };
}

function readEvent(r: Reader): OtelEvent {
  let time = 0;
  let name = '';
  const attributes: Attributes = {};
  while (r.pos < r.end) {
    const tag = r.varint32();
    switch (tag) {
      case (1 << 3) | I64:
        time = r.nanosAsSeconds();
        break;
      case (2 << 3) | LEN:
        name = r.string();
        break;
      case (3 << 3) | LEN:
        readKeyValue(r, attributes);
        break;
      default:
        r.skip(tag);
    }
  }
  return { time, name, attributes };
}

function readLink(r: Reader): OtelLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: Attributes = {};
  while (r.pos < r.end) {
    const tag = r.varint32();
    switch (tag) {
      case (1 << 3) | LEN:
        traceId = r.hex();
        break;
      case (2 << 3) | LEN:
        spanId = r.hex();
        break;
      case (3 << 3) | LEN:
        traceState = r.string();
        break;
      case (4 << 3) | LEN:
        readKeyValue(r, attributes);
        break;
      default:
        r.skip(tag);
    }
  }
  return { traceId, spanId, traceState, attributes };
}

function readStatus(r: Reader): { code: number; message: string } {
  let code = 0;
  let message = '';
  while (r.pos < r.end) {
    const tag = r.varint32();
    if (tag === ((2 << 3) | LEN)) message = r.string();
    else if (tag === ((3 << 3) | VARINT)) code = r.varint32();
    else r.skip(tag);
  }
  return { code, message };
}

/** A `KeyValue` message (the reader is at its length), added to `into`. */
function readKeyValue(r: Reader, into: Record<string, AttrValue>): void {
  const outer = r.enter();
  let key = '';
  let value: AttrValue = null;
  while (r.pos < r.end) {
    const tag = r.varint32();
    if (tag === ((1 << 3) | LEN)) key = r.key();
    else if (tag === ((2 << 3) | LEN)) {
      const inner = r.enter();
      value = readAnyValue(r);
      r.leave(inner);
    } else r.skip(tag);
  }
  r.leave(outer);
  into[key] = value;
}

function readAnyValue(r: Reader): AttrValue {
  let value: AttrValue = null;
  while (r.pos < r.end) {
    const tag = r.varint32();
    switch (tag) {
      case (1 << 3) | LEN:
        value = r.string();
        break;
      case (2 << 3) | VARINT:
        value = r.varint32() !== 0;
        break;
      case (3 << 3) | VARINT:
        value = r.int64();
        break;
      case (4 << 3) | I64:
        value = r.double();
        break;
      case (5 << 3) | LEN:
        value = r.nested(readArray);
        break;
      case (6 << 3) | LEN:
        value = r.nested(readKvList);
        break;
      case (7 << 3) | LEN:
        value = r.base64();
        break;
      default:
        r.skip(tag);
    }
  }
  return value;
}

function readArray(r: Reader): AttrValue[] {
  const values: AttrValue[] = [];
  while (r.pos < r.end) {
    const tag = r.varint32();
    if (tag === ((1 << 3) | LEN)) values.push(r.nested(readAnyValue));
    else r.skip(tag);
  }
  return values;
}

function readKvList(r: Reader): Record<string, AttrValue> {
  const values: Record<string, AttrValue> = {};
  while (r.pos < r.end) {
    const tag = r.varint32();
    if (tag === ((1 << 3) | LEN)) readKeyValue(r, values);
    else r.skip(tag);
  }
  return values;
}

/**
 * `ExportTraceServiceResponse`: empty when everything was accepted, else `partial_success` with
 * the number of rejected spans and a message.
 */
export function encodeExportResponse(rejectedSpans: number, errorMessage: string): Uint8Array {
  const w = new Writer();
  if (rejectedSpans > 0 || errorMessage) {
    const partial = new Writer();
    if (rejectedSpans > 0) partial.tag(1, VARINT).varint(rejectedSpans);
    if (errorMessage) partial.string(2, errorMessage);
    w.message(1, partial);
  }
  return w.done();
}

/** `google.rpc.Status`: what OTLP/HTTP answers with on an error, in the request's encoding. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  const w = new Writer();
  if (code) w.tag(1, VARINT).varint(code);
  if (message) w.string(2, message);
  return w.done();
}
