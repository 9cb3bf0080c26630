import type { SpanBatch } from '@fluoro/core';

/** Messages between the UDP receiver (main thread) and its worker. */

export interface UdpWorkerConfig {
  readonly host: string;
  readonly port: number;
  readonly receiveBufferBytes: number;
  /** Spans per batch handed to the main thread. */
  readonly batchSpans: number;
  /** Longest a partial batch waits, in milliseconds. */
  readonly flushMs: number;
  /** Int32 flags shared with the main thread; index `FULL` is 1 while the ingest queue is full. */
  readonly shared: SharedArrayBuffer;
}

export const FULL = 0;

/** Counts since the previous message. */
export interface UdpCounts {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: Record<string, number>;
  /** One message per refusal reason seen, for the log. */
  readonly samples: Record<string, string>;
  /** Spans not handed over because the ingest queue was full. */
  readonly dropped: number;
  /** Annotations kept but not indexed (`DocumentResult.unindexed`). */
  readonly unindexed: number;
}

export type FromWorker =
  | { readonly type: 'listening'; readonly host: string; readonly port: number; readonly granted: number }
  | { readonly type: 'failed'; readonly code: string; readonly message: string }
  | { readonly type: 'batch'; readonly batch: SpanBatch | null; readonly bytes: number; readonly counts: UdpCounts }
  | { readonly type: 'closed' };

export type ToWorker = { readonly type: 'close' };
