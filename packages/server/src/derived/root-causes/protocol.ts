import type { SpanColumns } from '@fluoro/core';
import type { SpanRows, TraceAnalysis } from '../../storage/api/index.js';

/** The columns root-cause analysis reads: a batch without its documents, HTTP fields and annotations. */
export type LightBatch = SpanColumns & { readonly keep: Uint8Array | null };

export function lighten({ batch: b, keep }: SpanRows): LightBatch {
  return {
    length: b.length,
    traceId: b.traceId,
    id: b.id,
    parentId: b.parentId,
    isSegment: b.isSegment,
    segmentId: b.segmentId,
    service: b.service,
    serviceType: b.serviceType,
    name: b.name,
    startTime: b.startTime,
    endTime: b.endTime,
    flags: b.flags,
    accountId: b.accountId,
    exceptions: b.exceptions,
    downstreamName: b.downstreamName,
    downstreamType: b.downstreamType,
    traceTime: b.traceTime,
    source: b.source,
    docId: b.docId,
    statusCode: b.statusCode,
    spanKind: b.spanKind,
    keep: keep ?? null,
  };
}

/** Buffers a light batch hands over without copying (the sender must not use them afterwards). */
export function lightTransferables(b: LightBatch): ArrayBuffer[] {
  const arrays = [b.isSegment, b.startTime, b.endTime, b.flags, b.traceTime, b.statusCode, b.spanKind, ...(b.keep ? [b.keep] : [])];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

export interface AnalyzerWorkerConfig {
  readonly quietMs: number;
  readonly maxPending: number;
  /** Int32 flags shared with the main thread; index `PRESSURE` is 1 while ingest is busy. */
  readonly shared: SharedArrayBuffer;
}

export const PRESSURE = 0;

export type ToAnalyzer =
  | { readonly type: 'spans'; readonly batch: LightBatch }
  /** Traces to analyse from the store (after a restart). */
  | { readonly type: 'reanalyse'; readonly traceIds: readonly string[] }
  /** Spans the worker asked for with `load`. */
  | { readonly type: 'loaded'; readonly request: number; readonly batch: LightBatch | null }
  /** Some committed spans were not handed over: every pending trace must be read back whole. */
  | { readonly type: 'gap' }
  | { readonly type: 'flush' };

export type FromAnalyzer =
  | { readonly type: 'results'; readonly analyses: readonly TraceAnalysis[]; readonly skipped: number }
  /** Whole traces to read back from the store: they grew after being analysed, or were linked. */
  | { readonly type: 'load'; readonly request: number; readonly traceIds: readonly string[] }
  | { readonly type: 'flushed' };
