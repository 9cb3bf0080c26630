import { ERROR, FAULT, IN_PROGRESS, THROTTLE, type Span, type SpanBatch, type SpanException } from '@fluoro/core';
import type { SpanRows, TraceAnalysis } from '../storage/api.js';

/** The columns root-cause analysis reads: a batch without its documents, HTTP fields and annotations. */
export type LightBatch = Pick<
  SpanBatch,
  | 'length'
  | 'traceId'
  | 'id'
  | 'parentId'
  | 'isSegment'
  | 'segmentId'
  | 'service'
  | 'serviceType'
  | 'name'
  | 'startTime'
  | 'endTime'
  | 'flags'
  | 'accountId'
  | 'exceptions'
  | 'downstreamName'
  | 'downstreamType'
  | 'traceTime'
  | 'source'
  | 'docId'
> & { readonly keep: Uint8Array | null };

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
    keep: keep ?? null,
  };
}

/** Buffers a light batch hands over without copying (the sender must not use them afterwards). */
export function lightTransferables(b: LightBatch): ArrayBuffer[] {
  const arrays = [b.isSegment, b.startTime, b.endTime, b.flags, b.traceTime, ...(b.keep ? [b.keep] : [])];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Row `i` as the span analysis needs; the fields it does not read are left empty. */
export function lightSpan(b: LightBatch, i: number): Span {
  const flags = b.flags[i]!;
  const end = b.endTime[i]!;
  const segmentId = b.segmentId[i] ?? null;
  const exceptions = b.exceptions[i];
  return {
    traceId: b.traceId[i]!,
    id: b.id[i]!,
    parentId: b.parentId[i]!,
    kind: b.isSegment[i] ? 'segment' : 'subsegment',
    name: b.name[i]!,
    startTime: b.startTime[i]!,
    endTime: Number.isNaN(end) ? null : end,
    inProgress: (flags & IN_PROGRESS) !== 0,
    owner: segmentId === null ? null : { segmentId, service: b.service[i]!, serviceType: b.serviceType[i]! },
    error: (flags & ERROR) !== 0,
    fault: (flags & FAULT) !== 0,
    throttle: (flags & THROTTLE) !== 0,
    http: null,
    user: null,
    resourceArn: null,
    accountId: b.accountId[i]!,
    instanceId: null,
    availabilityZone: null,
    annotations: {},
    exceptions: exceptions ? (JSON.parse(exceptions) as SpanException[]) : [],
    downstream: b.downstreamName[i] ? { name: b.downstreamName[i]!, type: b.downstreamType[i]! } : null,
    traceTime: b.traceTime[i]!,
    source: b.source[i]!,
    docId: b.docId[i]!,
    doc: null,
  };
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
