import { encodeExportResponse, encodeRpcStatus } from '@fluoro/core';
import { FluoroError } from '../../platform/errors/catalog.js';
import type { HttpRequest, HttpResponse, Router } from '../../platform/http/router.js';
import { OtelRequestRejected, type OtelIngest, type OtelOutcome } from './otel-ingest.js';
import type { SpanFormat } from '../decode-protocol.js';

/** gRPC status codes OTLP answers with (as `google.rpc.Status.code`). */
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;

const PROTOBUF = new Set(['application/x-protobuf', 'application/protobuf']);

/** The media type of a request, without parameters. */
function mediaType(req: HttpRequest): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

/** gzip, or none; anything else cannot be read. */
function encoding(req: HttpRequest): 'gzip' | 'identity' | string {
  const e = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  return e === '' ? 'identity' : e;
}

/**
 * OTLP/HTTP: `POST /v1/traces`, protobuf (`application/x-protobuf`) or JSON (`application/json`),
 * optionally gzip. Answers as the OTLP specification says: 200 with an `ExportTraceServiceResponse`
 * (with `partial_success` when spans were refused), errors as a `google.rpc.Status`, both in the
 * request's encoding: 400 undecodable, 413 too large, 415 unsupported media type or encoding,
 * 429 / 503 with `Retry-After` when Fluoro cannot take the spans now.
 */
export function mountOtlpHttp(router: Router, otel: OtelIngest): void {
  router.add('POST', '/v1/traces', ['ingest'], async (req) => {
    const type = mediaType(req);
    const format: SpanFormat | null = PROTOBUF.has(type) ? 'otlp-protobuf' : type === 'application/json' ? 'otlp-json' : null;
    const reply = (status: number, code: number, message: string, headers: Record<string, string> = {}): HttpResponse =>
      format === 'otlp-protobuf'
        ? { status, body: Buffer.from(encodeRpcStatus(code, message)), contentType: 'application/x-protobuf', headers }
        : { status, body: JSON.stringify({ code, message }), contentType: 'application/json', headers };
    if (!format) {
      const message = `Content-Type ${JSON.stringify(type || '(none)')} is not supported; send application/x-protobuf or application/json`;
      otel.refuse('otlp_http', 'unsupported_media_type', message);
      return reply(415, INVALID_ARGUMENT, message);
    }
    const enc = encoding(req);
    if (enc !== 'gzip' && enc !== 'identity') {
      const message = `Content-Encoding ${JSON.stringify(enc)} is not supported; send gzip or no encoding`;
      otel.refuse('otlp_http', 'unsupported_encoding', message);
      return reply(415, INVALID_ARGUMENT, message);
    }
    let outcome: OtelOutcome;
    const refused = otel.admit('otlp_http');
    if (refused) return reply(429, RESOURCE_EXHAUSTED, refused.message, { 'retry-after': '1' });
    try {
      outcome = await otel.ingest('otlp_http', format, enc === 'gzip', await readBody(req, otel, 'otlp_http'));
    } catch (err) {
      const e = asRejection(err);
      if (!e) throw err;
      const [status, code] = STATUS[e.reason];
      return reply(status, code, e.message, status === 429 || status === 503 ? { 'retry-after': '1' } : {});
    } finally {
      otel.release();
    }
    const message = summary(outcome);
    if (format === 'otlp-protobuf') {
      return { status: 200, body: Buffer.from(encodeExportResponse(outcome.rejected, message)), contentType: 'application/x-protobuf' };
    }
    const partial =
      outcome.rejected || message ? { partialSuccess: { rejectedSpans: String(outcome.rejected), errorMessage: message } } : {};
    return { status: 200, body: JSON.stringify(partial), contentType: 'application/json' };
  });
}

/**
 * Zipkin v2: `POST /api/v2/spans` with a JSON list of spans, optionally gzip. 202 when spans were
 * stored (a text body says which were refused, if any); 400 when none could be, with the reason;
 * 413 too large, 415 for Zipkin's protobuf or other media types, 429 / 503 with `Retry-After`.
 */
export function mountZipkin(router: Router, otel: OtelIngest): void {
  router.add('POST', '/api/v2/spans', ['ingest'], async (req) => {
    const text = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
      status,
      body,
      contentType: 'text/plain; charset=utf-8',
      headers,
    });
    const type = mediaType(req);
    if (type !== '' && type !== 'application/json') {
      const message = `Content-Type ${JSON.stringify(type)} is not supported; send Zipkin v2 spans as application/json`;
      otel.refuse('zipkin', 'unsupported_media_type', message);
      return text(415, message);
    }
    const enc = encoding(req);
    if (enc !== 'gzip' && enc !== 'identity') {
      const message = `Content-Encoding ${JSON.stringify(enc)} is not supported; send gzip or no encoding`;
      otel.refuse('zipkin', 'unsupported_encoding', message);
      return text(415, message);
    }
    let outcome: OtelOutcome;
    const refused = otel.admit('zipkin');
    if (refused) return text(429, refused.message, { 'retry-after': '1' });
    try {
      outcome = await otel.ingest('zipkin', 'zipkin-json', enc === 'gzip', await readBody(req, otel, 'zipkin'));
    } catch (err) {
      const e = asRejection(err);
      if (!e) throw err;
      const [status] = STATUS[e.reason];
      return text(status, e.message, status === 429 || status === 503 ? { 'retry-after': '1' } : {});
    } finally {
      otel.release();
    }
    if (outcome.received > 0 && outcome.accepted === 0) return text(400, summary(outcome));
    return text(202, summary(outcome));
  });
}

const STATUS: Record<OtelRequestRejected['reason'], [number, number]> = {
  undecodable: [400, INVALID_ARGUMENT],
  too_large: [413, INVALID_ARGUMENT],
  overloaded: [429, RESOURCE_EXHAUSTED],
  unavailable: [503, UNAVAILABLE],
};

async function readBody(req: HttpRequest, otel: OtelIngest, receiver: 'otlp_http' | 'zipkin'): Promise<Uint8Array> {
  try {
    return await req.body();
  } catch (err) {
    if (err instanceof FluoroError && err.code === 'PayloadTooLarge') {
      otel.refuse(receiver, 'too_large', err.message);
      throw new OtelRequestRejected('too_large', err.message);
    }
    throw err;
  }
}

function asRejection(err: unknown): OtelRequestRejected | null {
  return err instanceof OtelRequestRejected ? err : null;
}

/** What was refused, for `partial_success.error_message` (empty when everything was taken). */
export function summary(o: OtelOutcome): string {
  if (o.rejected === 0) return '';
  const shown = o.refusals.map((r) => r.message).join('; ');
  return `${o.rejected} of ${o.received} spans refused: ${shown}`;
}
