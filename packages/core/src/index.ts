export { parseTraceId, toXrayTraceId, traceIdEpoch, traceTime, isSpanId } from './ids/trace-id.js';
export type {
  Span,
  TraceSpan,
  SpanKind,
  SpanSource,
  SpanOwner,
  SpanException,
  NodeRef,
  HttpFields,
  AnnotationValue,
  Outcome,
} from './model/span.js';
export { outcomeOf } from './model/span.js';
export { NO_ATTRIBUTES, SPAN_KINDS, STATUS_CODES } from './model/attributes.js';
export type { InstrumentationScope, SpanKindName, StatusCodeName, SpanStatus, SpanEvent, SpanLink } from './model/attributes.js';
export { REJECT_CODES } from './xray/reject.js';
export type { RejectCode, Rejection } from './xray/reject.js';
export { parseSegmentDocument, parseSegmentObject, MAX_DOCUMENT_BYTES, MAX_SUBSEGMENT_DEPTH } from './xray/segment-document.js';
export type { DocumentResult, OtelFields } from './xray/segment-document.js';
export { downstreamOf, awsNode, awsServiceName, serviceNodeType, SQL_NODE_TYPE, REMOTE_NODE_TYPE } from './xray/downstream.js';
export { assembleTrace, inferredSegmentId } from './xray/assemble.js';
export type { StoredSpan, TraceDocument, AssembledTrace } from './xray/assemble.js';
export { utf8Length } from './util/utf8.js';
export type { GraphStats, HistogramBucket, GraphNode, GraphEdge, ServiceGraph } from './model/graph.js';
export { nodeKey } from './model/graph.js';
export { ID_SEGMENT, SCHEME_AND_AUTHORITY, urlRoute, VERSION } from './model/url-route.js';
export type { TraceSummary, ServiceRef } from './model/summary.js';
export {
  SpanBatchBuilder,
  spanBatchOf,
  spanAt,
  withDocumentResources,
  transferables,
  IN_PROGRESS,
  ERROR,
  FAULT,
  THROTTLE,
} from './model/span-batch.js';
export type { SpanColumns } from './model/span-batch.js';
export type { SpanBatch } from './model/span-batch.js';
export { lex, lineColumn } from './filter/lexer.js';
export type { Token, TokenKind } from './filter/lexer.js';
export { parse, FILTER_LIMITS } from './filter/parser.js';
export type { ParseResult } from './filter/parser.js';
export type { Expr, Field, Literal, Op, Selector, Loc, RootCauseCategory, RootCauseLevel } from './filter/ast.js';
export { withoutLocations } from './filter/ast.js';
export { check } from './filter/checker.js';
export type { CheckedFilter, CheckOptions, CheckResult } from './filter/checker.js';
export { describeDiagnostic } from './filter/errors.js';
export type { FilterDiagnostic, FilterErrorCode } from './filter/errors.js';
export { KEYWORDS, KEYWORD_BY_NAME, OPERATORS, keywordsIn, CONTEXT_LABEL } from './filter/keywords.js';
export type { Keyword, KeywordType, Context } from './filter/keywords.js';
export { print } from './filter/printer.js';
export type { PrintOptions } from './filter/printer.js';
export {
  SYNTHETIC,
  and,
  or,
  not,
  keyword,
  annotation,
  attribute,
  compare,
  present,
  service,
  edge,
  byName,
  byId,
  written,
} from './filter/build.js';
export { evaluate, rootCauseJson, matches } from './filter/evaluate.js';
export { parseFilter, analyzeFilter } from './filter/language.js';
export type { FilterResult, FilterAnalysis, HighlightToken, HighlightClass } from './filter/language.js';
export { buildTraceModel, spanDuration } from './trace/model.js';
export type { TraceModel, NodeRow, EdgeRow } from './trace/model.js';
export { rootCauses } from './trace/root-causes.js';
export { summarizeTrace } from './trace/summary.js';
export type { RootCause, RootCauses, RootCauseService, RootCauseEntity, RootCauseException } from './trace/root-causes.js';
export { decodeOtlpProtobuf, encodeExportResponse, encodeRpcStatus } from './otel/otlp-protobuf.js';
export type { ProtobufDecodeOptions } from './otel/otlp-protobuf.js';
export { decodeOtlpJson } from './otel/otlp-json.js';
export { decodeZipkinJson } from './otel/zipkin.js';
export { otelToSegmentDocuments, sanitizeSegmentName } from './otel/to-xray.js';
export { parseStack } from './otel/xray-fields.js';
export type { XrayMappingOptions, SpanRejection, MappedDocuments } from './otel/to-xray.js';
export { OtelKind, StatusCode, parentIsRemote } from './otel/model.js';
export type {
  AttrValue,
  Attributes,
  OtelSpan,
  OtelEvent,
  OtelLink,
  OtelResourceSpans,
  OtelScopeSpans,
  DecodeResult,
} from './otel/model.js';
