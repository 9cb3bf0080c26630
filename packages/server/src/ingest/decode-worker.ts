import { gunzipSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import {
  decodeOtlpJson,
  decodeOtlpProtobuf,
  decodeZipkinJson,
  parseSegmentDocument,
  SpanBatchBuilder,
  transferables,
  type DecodeResult,
} from '@fluoro/core';
import { convertOtel } from './otel/convert.js';
import type {
  DecodeReply,
  DecodeRequest,
  DecodeWorkerConfig,
  DocumentRejection,
  DocumentsReply,
  DocumentsRequest,
  FromDecoder,
  ToDecoder,
} from './decode-protocol.js';

/**
 * The HTTP receivers' thread: decompresses, decodes and converts OTLP and Zipkin bodies into spans
 * in columns (OTel spans → X-Ray segment documents → the same parser as X-Ray's, with the spans'
 * OpenTelemetry fields kept beside), and parses PutTraceSegments' documents, so the main thread
 * only queues the result and answers.
 */
const config = workerData as DecodeWorkerConfig;
const port = parentPort!;
const options = { annotationKeys: new Set(config.annotationKeys), indexAllAttributes: config.indexAllAttributes };
const MAX_MESSAGES = 5;
/** Node's own UTF-8 decoding of a Buffer range: about twice as fast as TextDecoder for short strings. */
const nodeUtf8 = (b: Uint8Array, start: number, end: number): string =>
  (b as unknown as { utf8Slice(start: number, end: number): string }).utf8Slice(start, end);

function decode(m: DecodeRequest): DecodeReply {
  let body = m.body;
  if (m.gzip) {
    try {
      body = gunzipSync(body, { maxOutputLength: config.maxBodyBytes });
    } catch (err) {
      const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
      return tooLarge
        ? {
            type: 'decoded',
            id: m.id,
            ok: false,
            reason: 'too_large',
            message: `the body is over ${config.maxBodyBytes} bytes once decompressed (api.maxBodyBytes)`,
          }
        : { type: 'decoded', id: m.id, ok: false, reason: 'undecodable', message: `the body is not valid gzip: ${(err as Error).message}` };
    }
  }
  let decoded: DecodeResult;
  if (m.format === 'otlp-protobuf')
    decoded = decodeOtlpProtobuf(Buffer.from(body.buffer, body.byteOffset, body.byteLength), { utf8: nodeUtf8 });
  else {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    decoded = m.format === 'otlp-json' ? decodeOtlpJson(text) : decodeZipkinJson(text);
  }
  if (!decoded.ok) return { type: 'decoded', id: m.id, ok: false, reason: 'undecodable', message: decoded.message };
  const c = convertOtel(decoded.resourceSpans, m.format === 'zipkin-json' ? 'zipkin' : 'otlp', options, MAX_MESSAGES, decoded.undecoded);
  let batch = null;
  if (c.spans.length) {
    const builder = new SpanBatchBuilder(c.spans.length);
    for (const s of c.spans) builder.push(s);
    batch = builder.build();
  }
  const { bytes, received, rejectedSpans, refusals, rejectedByReason } = c;
  return { type: 'decoded', id: m.id, ok: true, batch, bytes, received, rejectedSpans, refusals, rejectedByReason };
}

function parseDocuments(m: DocumentsRequest): DocumentsReply {
  const builder = new SpanBatchBuilder(m.documents.length);
  const rejections: DocumentRejection[] = [];
  let bytes = 0;
  let unindexed = 0;
  m.documents.forEach((doc, index) => {
    const size = Buffer.byteLength(doc);
    const result = parseSegmentDocument(doc, size);
    if (result.ok) {
      for (const s of result.spans) builder.push(s);
      bytes += size;
      unindexed += result.unindexed;
    } else rejections.push({ ...result.rejection, index });
  });
  const batch = builder.length > 0 ? builder.build() : null;
  return { type: 'documents', id: m.id, ok: true, batch, bytes, accepted: m.documents.length - rejections.length, rejections, unindexed };
}

port.on('message', (m: ToDecoder) => {
  const reply: FromDecoder = m.type === 'documents' ? parseDocuments(m) : decode(m);
  port.postMessage(reply, reply.ok && reply.batch ? transferables(reply.batch) : []);
});
