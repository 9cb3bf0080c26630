export { parseTraceId, toXrayTraceId, traceIdEpoch, traceTime, isSpanId } from './ids/trace-id.js';
export type { Span, SpanKind, SpanSource, SpanOwner, NodeRef, HttpFields, AnnotationValue, Outcome } from './model/span.js';
export { outcomeOf } from './model/span.js';
export { REJECT_CODES } from './xray/reject.js';
export type { RejectCode, Rejection } from './xray/reject.js';
export {
  parseSegmentDocument,
  parseSegmentObject,
  MAX_DOCUMENT_BYTES,
  MAX_SUBSEGMENT_DEPTH,
} from './xray/segment-document.js';
export type { DocumentResult } from './xray/segment-document.js';
export { downstreamOf, awsNodeType, serviceNodeType, SQL_NODE_TYPE, REMOTE_NODE_TYPE } from './xray/downstream.js';
export { assembleTrace, inferredSegmentId } from './xray/assemble.js';
export type { StoredSpan, TraceDocument, AssembledTrace } from './xray/assemble.js';
export { utf8Length } from './util/utf8.js';
export type { GraphStats, HistogramBucket, GraphNode, GraphEdge, ServiceGraph } from './model/graph.js';
export { nodeKey } from './model/graph.js';
export type { TraceSummary, ServiceRef } from './model/summary.js';
export { SpanBatchBuilder, spanBatchOf, spanAt, transferables, IN_PROGRESS, ERROR, FAULT, THROTTLE } from './model/span-batch.js';
export type { SpanBatch } from './model/span-batch.js';
