import type { SpanBatch } from '@fluoro/core';

/** Messages between OTLP and Zipkin ingest (main thread) and its decoding worker. */

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
