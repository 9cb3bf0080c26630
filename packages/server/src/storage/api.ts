import type { CheckedFilter, GraphStats, HistogramBucket, ServiceGraph, Span, SpanBatch, TraceSummary } from '@fluoro/core';

/**
 * What a backend can do. The zero value is the least capable backend; the query layer is the
 * only place that reads these, and it refuses a request a backend cannot serve rather than
 * approximating it.
 */
export interface Capabilities {
  /** Evaluates X-Ray filter expressions itself (GetTraceSummaries.FilterExpression). */
  readonly filterExpressions: boolean;
}

export const NO_CAPABILITIES: Capabilities = Object.freeze({ filterExpressions: false });

/** A half-open time window `[start, end)` in epoch seconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Which spans a trace-summary query looks at, as X-Ray's `TimeRangeType`:
 * - `TraceId`: traces filed in the window (the epoch in an X-Ray trace ID, else the first span's start);
 * - `Event`: traces with any span active in the window;
 * - `Service`: traces with a segment that ended in the window.
 */
export type TimeRangeType = 'TraceId' | 'Event' | 'Service';

/** Position after the last summary of a page: pages run newest first. */
export interface SummaryCursor {
  readonly time: number;
  readonly traceId: string;
}

export interface SummaryQuery {
  readonly range: TimeRange;
  readonly rangeType: TimeRangeType;
  /** Only traces this expression selects (backends with the `filterExpressions` capability). */
  readonly filter: CheckedFilter | null;
  /** Page size, at least 1. */
  readonly limit: number;
  readonly after: SummaryCursor | null;
}

/**
 * Spans of a trace are assumed to lie within this many seconds of the query window, so that
 * whole traces can be read without scanning all time. Longer traces are cut at this margin.
 */
export const TRACE_SPREAD_SECONDS = 3600;

export interface SummaryPage {
  /**
   * Newest first, by `matchedTime` then trace ID, descending. `matchedTime` is the trace's first
   * span start for `TraceId`, its latest span start within the window for `Event`, and its latest
   * segment end for `Service`.
   */
  readonly summaries: TraceSummary[];
  /** Number of traces in the window, matched by the filter or not. */
  readonly tracesProcessed: number;
  /** Where the next page starts; null on the last page. */
  readonly next: SummaryCursor | null;
}

export type GraphScope = { readonly range: TimeRange } | { readonly traceIds: readonly string[] };

export interface TimeSeriesPoint {
  /** Start of the bucket, epoch seconds. */
  readonly timestamp: number;
  /** Node (`service`) or edge statistics. */
  readonly kind: 'service' | 'edge';
  readonly stats: GraphStats;
  readonly responseTimeHistogram: readonly HistogramBucket[];
}

export interface StoreSize {
  readonly bytes: number;
  readonly spans: number;
}

/** Rows of a batch to write: all of them, or those whose `keep` entry is 1. */
export interface SpanRows {
  readonly batch: SpanBatch;
  readonly keep?: Uint8Array;
}

export interface SpanKey {
  readonly traceId: string;
  readonly id: string;
}

/**
 * The root causes of one trace, as last worked out (see `rootCauses` in @fluoro/core): per
 * category, each root cause as JSON text in the API's shape (`rootCauseJson`).
 */
export interface TraceAnalysis {
  readonly traceId: string;
  readonly traceTime: number;
  readonly causes: Readonly<Record<'fault' | 'error' | 'responsetime', readonly string[]>>;
  /** The trace was analysed before: its stored root causes are replaced. */
  readonly replaces: boolean;
}

/**
 * Writes spans. Exactly one writer exists per store (the ingest pipeline). To keep the store busy,
 * a `write` may be called while the previous one is still in flight (never more than one), as long
 * as its `replacing` is empty; writes commit in call order. `linkOwners` sees committed spans only.
 */
export interface SpanWriter {
  /**
   * Stores the rows atomically: all of them or none. Resolves only once they are durable, meaning
   * a crash of the process (`kill -9`) right after cannot lose them; rejects when nothing was
   * stored.
   *
   * Keys listed in `replacing` may already be stored: the stored span, and every span that arrived
   * inside a document rooted at it, are removed in the same transaction, so the new version
   * replaces them (an in-progress segment replaced by the completed one, a document sent twice).
   * Other rows are assumed to be new; the caller knows which keys it wrote recently. Order does
   * not matter and the rows hold each key at most once.
   *
   * `analyses` are stored in the same transaction: the root causes that `rootcause.*` filters
   * match against.
   */
  write(rows: readonly SpanRows[], replacing: readonly SpanKey[], analyses?: readonly TraceAnalysis[]): Promise<void>;

  /**
   * Gives every span of these traces whose owner (segment, service) is unknown the owner of its
   * parent, following parent links as deep as they go. Idempotent. Resolves with the trace IDs
   * that still hold spans without an owner (their parent has not arrived yet).
   */
  linkOwners(traceIds: readonly string[]): Promise<string[]>;
}

/** What the traces of a selection are grouped by (`POST /api/v1/traces/groups`). */
export type GroupBy =
  | { readonly kind: 'http.url' | 'http.status' | 'http.method' | 'user' | 'service' }
  | { readonly kind: 'annotation'; readonly key: string };

export interface TraceGroupQuery {
  /** Traces filed in the range (TimeRangeType TraceId) that the filter selects. */
  readonly range: TimeRange;
  readonly filter: CheckedFilter | null;
  readonly by: GroupBy;
  readonly limit: number;
}

export interface TraceGroup {
  /** The value; null for traces without one. Annotations keep their type. */
  readonly value: string | number | boolean | null;
  /** For `service` groups: the node's type. */
  readonly type?: string;
  readonly traces: number;
  /** Average root-segment response time, seconds; null when no trace of the group has one. */
  readonly responseTimeAvg: number | null;
  /** Traces whose root segment faulted / has an error; traces throttled anywhere. */
  readonly faults: number;
  readonly errors: number;
  readonly throttles: number;
}

export interface TraceGroups {
  /** Traces selected. */
  readonly traces: number;
  /** Most traces first, at most `limit`. */
  readonly groups: readonly TraceGroup[];
  readonly truncated: boolean;
}

export interface TraceStatsQuery {
  readonly range: TimeRange;
  readonly filter: CheckedFilter | null;
  /** Seconds per time bucket. */
  readonly period: number;
}

export interface TraceStats {
  readonly traces: number;
  /** Root-segment response times: equal-width buckets from 0 to the largest (empty ones included). */
  readonly responseTime: {
    readonly buckets: ReadonlyArray<{ readonly start: number; readonly end: number; readonly traces: number }>;
    readonly p50: number | null;
    readonly p90: number | null;
    readonly p99: number | null;
    readonly max: number | null;
  };
  /** Every bucket of the range, oldest first, by filing time; outcome of the root segment. */
  readonly timeSeries: ReadonlyArray<{
    readonly timestamp: number;
    readonly traces: number;
    readonly ok: number;
    readonly errors: number;
    readonly faults: number;
    readonly throttles: number;
    readonly responseTimeAvg: number | null;
  }>;
}

export interface Suggestions {
  readonly services: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly annotationKeys: ReadonlyArray<{ readonly key: string; readonly type: 'string' | 'number' | 'boolean' }>;
  readonly users: readonly string[];
}

/**
 * Reads traces. Reads see every write that has resolved. Results never include a span twice.
 */
export interface TraceReader {
  /**
   * All stored spans of each requested trace, keyed by trace ID (32 hex). Unknown IDs are absent
   * from the map; an empty list is never returned. Spans come in no particular order.
   */
  getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>>;

  /** One page of trace summaries; an empty page with `next: null` when nothing matches. */
  findTraceSummaries(query: SummaryQuery): Promise<SummaryPage>;

  /**
   * The service graph of the spans in scope, computed per X-Ray's rules (spec §1.12): node
   * statistics from each service's own segments, edge statistics from the caller's spans, an
   * inferred node for each downstream call that no segment answered, a `client` node for each
   * root service. Nodes and edges come in no particular order.
   */
  getServiceGraph(scope: GraphScope): Promise<ServiceGraph>;

  /**
   * Statistics per `period` seconds of the nodes or edges an entity selector picks (its
   * service / edge / id subset; null: every request entering the system, as client edges).
   * Buckets without events are left out; ordered by time. Throws on a selector outside the subset.
   */
  getServiceTimeSeries(range: TimeRange, period: number, selector: CheckedFilter | null): Promise<TimeSeriesPoint[]>;

  /** The selected traces counted by one attribute (the console's group-by table). */
  groupTraces(query: TraceGroupQuery): Promise<TraceGroups>;

  /** Response-time distribution and activity over time of the selected traces (analytics). */
  traceStats(query: TraceStatsQuery): Promise<TraceStats>;

  /** Services, annotation keys and users seen in traces filed in the range, most frequent first. */
  suggestions(range: TimeRange): Promise<Suggestions>;

  /** Trace IDs holding spans without a known owner, among traces filed since `since`. */
  unlinkedTraces(since: number): Promise<string[]>;

  /** Trace IDs filed since `since` (for re-analysing what a crash may have left unanalysed). */
  recentTraces(since: number): Promise<string[]>;

  /** Keys (`traceId` + `id`) of spans stored while in progress, filed since `since`. */
  inProgressKeys(since: number): Promise<Array<{ traceId: string; id: string }>>;
}

/**
 * Small named documents Fluoro keeps besides spans (sampling rules; later groups), by kind and
 * name. `put` and `delete` resolve once durable. Few and small: every read lists a whole kind.
 */
export interface RecordStore {
  list(kind: string): Promise<Array<{ name: string; doc: string }>>;
  /** Creates or replaces. */
  put(kind: string, name: string, doc: string): Promise<void>;
  /** Resolves whether there was such a record. */
  delete(kind: string, name: string): Promise<boolean>;
}

export interface StorageBackend {
  readonly kind: string;
  readonly capabilities: Capabilities;
  readonly writer: SpanWriter;
  readonly reader: TraceReader;
  readonly records: RecordStore;
  /** Current size on disk and number of stored spans. */
  size(): Promise<StoreSize>;
  /** Flushes and releases the store. Idempotent; no other call may follow it. */
  close(): Promise<void>;
}
