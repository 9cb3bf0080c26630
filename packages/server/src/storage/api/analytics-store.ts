import type { TraceFilter } from '../../query/plan.js';
import type { TimeRange } from './time.js';

/** What the traces of a selection are grouped by (`POST /api/v1/traces/groups`). */
export type GroupBy =
  /** A fact of the root segment: one value per trace. */
  | { readonly kind: RootGroupKind }
  /** What any span holds: a trace can have several values. */
  | { readonly kind: 'user' | 'service' }
  | { readonly kind: 'annotation'; readonly key: string };

export type RootGroupKind = 'http.url' | 'http.route' | 'http.status' | 'http.method';

export interface TraceGroupQuery {
  /** Traces filed in the range (TimeRangeType TraceId) that the filter selects. */
  readonly range: TimeRange;
  readonly filter: TraceFilter | null;
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
  /** Most traces first (ties: by value, nulls last), at most `limit`. */
  readonly groups: readonly TraceGroup[];
  readonly truncated: boolean;
}

export interface TraceStatsQuery {
  readonly range: TimeRange;
  readonly filter: TraceFilter | null;
  /** Seconds per time bucket. */
  readonly period: number;
}

export interface TraceStats {
  readonly traces: number;
  /** Root-segment response times: equal-width buckets from 0 to the largest (empty ones included). */
  readonly responseTime: {
    readonly buckets: ReadonlyArray<{ readonly start: number; readonly end: number; readonly traces: number }>;
    /** Percentiles by linear interpolation between the closest ranks; null when no trace has a response time. */
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

/** An operation: the spans of one service (the owning segment's name) with one span name. */
export interface OperationKey {
  readonly service: string;
  readonly name: string;
}

export interface OperationStatsQuery {
  /** Spans of the traces filed in the range (TimeRangeType TraceId). */
  readonly range: TimeRange;
  /** Distinct operations, at most 500 (the API bounds and deduplicates them). */
  readonly operations: readonly OperationKey[];
}

export interface OperationStats extends OperationKey {
  /** Completed spans of the operation in the range. */
  readonly count: number;
  /**
   * Quantiles of their durations (end − start, seconds) as DuckDB's `quantile_cont` computes
   * them: exact, by linear interpolation between the closest ranks of the sorted durations, at
   * rank (count − 1) × q. Null when `count` is 0.
   */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface Suggestions {
  readonly services: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly annotationKeys: ReadonlyArray<{ readonly key: string; readonly type: 'string' | 'number' | 'boolean' }>;
  readonly users: readonly string[];
}

/** `tracePoints`: the selection's slowest traces, at most `limit` (1–10,000). */
export interface TracePointsQuery {
  readonly range: TimeRange;
  readonly filter: TraceFilter | null;
  readonly limit: number;
}

/** A trace as the console's latency scatter draws it. */
export interface TracePoint {
  /** 32 hex digits. */
  readonly traceId: string;
  /** Its earliest span start, epoch seconds. */
  readonly start: number;
  /** Its root segment's duration, seconds. */
  readonly responseTime: number;
  /** Its root segment's flags (a throttle sets `error`). */
  readonly fault: boolean;
  readonly error: boolean;
}

export interface TracePoints {
  /** Traces selected, drawn or not. */
  readonly traces: number;
  /** Slowest first, ties by trace ID descending; traces without a response time are left out. */
  readonly points: readonly TracePoint[];
}

/**
 * Aggregates over the traces a selection picks, for the console. Every query selects exactly the
 * traces `findTraceSummaries` would (TimeRangeType TraceId, the same filter). Empty selections
 * give zero counts and empty lists, never an error.
 */
export interface TraceAnalyticsReader {
  /** The selected traces counted by one attribute (the console's group-by table). */
  groupTraces(query: TraceGroupQuery): Promise<TraceGroups>;

  /** The slowest selected traces with their start and outcome (the console's latency scatter). */
  tracePoints(query: TracePointsQuery): Promise<TracePoints>;

  /** Response-time distribution and activity over time of the selected traces. */
  traceStats(query: TraceStatsQuery): Promise<TraceStats>;

  /**
   * Services (with inferred nodes), annotation keys (with their value type) and users seen in
   * spans filed in the range, most frequent first, ties by name; at most 500, 500 and 100.
   */
  suggestions(range: TimeRange): Promise<Suggestions>;

  /**
   * How long each operation's spans take in the range: for the console's "compare with typical".
   * Every operation asked is answered, in the order asked (one without spans with count 0 and
   * null quantiles). A span counts when it is completed (not in progress, with an end time) and
   * linked to its segment (a subsegment sent on its own whose parent never came has no service);
   * service and name match exactly. Filters do not apply: this is the population, not a selection.
   */
  operationStats(query: OperationStatsQuery): Promise<OperationStats[]>;
}
