import type { Rejection, SpanBatch } from '@fluoro/core';

/**
 * Messages between the HTTP receivers (main thread) and their decoding thread: OTLP and Zipkin
 * bodies, and the documents of X-Ray's PutTraceSegments.
 */

/** What a request body holds. */
export type SpanFormat = 'otlp-protobuf' | 'otlp-json' | 'zipkin-json';

export interface DecodeWorkerConfig {
  readonly annotationKeys: readonly string[];
  readonly indexAllAttributes: boolean;
  /** Largest body after gzip decompression. */
  readonly maxBodyBytes: number;
}

export interface DecodeRequest {
  readonly type: 'decode';
  readonly id: number;
  readonly format: SpanFormat;
  readonly gzip: boolean;
  readonly body: Uint8Array;
}

/** X-Ray segment documents (PutTraceSegments' `TraceSegmentDocuments`), parsed as the UDP receiver parses them. */
export interface DocumentsRequest {
  readonly type: 'documents';
  readonly id: number;
  readonly documents: readonly string[];
}

export type ToDecoder = DecodeRequest | DocumentsRequest;

/** A document refused, at its place in the request. */
export interface DocumentRejection extends Rejection {
  readonly index: number;
}

export type DocumentsReply =
  | {
      readonly type: 'documents';
      readonly id: number;
      readonly ok: true;
      readonly batch: SpanBatch | null;
      /** Bytes of the accepted documents. */
      readonly bytes: number;
      readonly accepted: number;
      readonly rejections: readonly DocumentRejection[];
      /** Annotations of the accepted documents kept but not indexed. */
      readonly unindexed: number;
    }
  | { readonly type: 'documents'; readonly id: number; readonly ok: false; readonly reason: 'unavailable'; readonly message: string };

export type FromDecoder = DecodeReply | DocumentsReply;

/** A span refused, and why (the first few messages are kept for the answer and the log). */
export interface SpanRefusal {
  readonly reason: 'invalid_span' | 'invalid_document';
  readonly message: string;
}

export type DecodeReply =
  | {
      readonly type: 'decoded';
      readonly id: number;
      readonly ok: true;
      readonly batch: SpanBatch | null;
      /** Bytes of the documents the spans were stored in. */
      readonly bytes: number;
      /** Spans in the request. */
      readonly received: number;
      readonly rejectedSpans: number;
      /** At most a few, with counts by reason in `rejectedByReason`. */
      readonly refusals: readonly SpanRefusal[];
      readonly rejectedByReason: Readonly<Record<string, number>>;
    }
  | {
      readonly type: 'decoded';
      readonly id: number;
      readonly ok: false;
      readonly reason: 'undecodable' | 'too_large' | 'unavailable';
      readonly message: string;
    };
