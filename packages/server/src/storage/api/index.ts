/** The storage contracts, one file per concern; see each interface for its contract. */
export type {
  TraceAnalyticsReader,
  GroupBy,
  RootGroupKind,
  TraceGroupQuery,
  TraceGroup,
  TraceGroups,
  TraceStatsQuery,
  TraceStats,
  TracePointsQuery,
  TracePoint,
  TracePoints,
  Suggestions,
  OperationKey,
  OperationStatsQuery,
  OperationStats,
} from './analytics-store.js';
export type { StorageBackend, StoreSize } from './backend.js';
export { NO_CAPABILITIES, CAPABILITY_LABEL } from './capabilities.js';
export type { Capabilities } from './capabilities.js';
export type { RootCauseStore, TraceAnalysis } from './derived-store.js';
export { UnsupportedByStore } from './errors.js';
export type { ServiceGraphReader, GraphScope, TimeSeriesPoint } from './graph-store.js';
export type { IngestStateReader } from './ingest-state.js';
export type { RecordStore } from './record-store.js';
export type { RetentionStore } from './retention-store.js';
export { TRACE_SPREAD_SECONDS } from './time.js';
export type { TimeRange } from './time.js';
export type {
  TraceWriter,
  TraceReader,
  SpanRows,
  SpanKey,
  SpanWrite,
  SummaryQuery,
  SummaryPage,
  SummaryCursor,
  SummaryOrder,
  TimeRangeType,
} from './trace-store.js';
