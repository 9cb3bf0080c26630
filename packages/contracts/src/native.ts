import type { TraceSummary } from './xray.generated.js';
/**
 * Fluoro's native API (docs/native-api.md): the JSON endpoints under /api/v1 that the X-Ray API
 * has no operation for. Times are epoch seconds. Requests are what clients send, before the
 * server validates them; responses are what the server answers.
 */

/** Where a Fluoro listens, `host:port`, or null for a disabled listener. */
export interface Listeners {
  readonly udp: string | null;
  readonly http: string | null;
  readonly otlpHttp: string | null;
  readonly otlpGrpc: string | null;
  readonly zipkin: string | null;
}

/** `GET /api/v1/about`: what a client needs to tell a user how to send data here. */
export interface AboutResponse {
  readonly version: string;
  readonly listeners: Listeners;
}

/**
 * `GET /api/v1/session`: whether calls need a signed-in user (access keys or users are
 * configured), and who is signed in. `POST` with `SessionRequest` signs in; `DELETE` signs out.
 */
export interface SessionResponse {
  readonly required: boolean;
  /** The signed-in user's name, or null. */
  readonly user: string | null;
  readonly roles: readonly ('ingest' | 'read' | 'admin')[];
  /** The single sign-on provider's name when one is configured (`GET /api/v1/session/oidc` starts it), else null. */
  readonly oidc: string | null;
}

export interface SessionRequest {
  readonly user: string;
  readonly password: string;
}

/** `POST /api/v1/filter/analyze`. */
export interface AnalyzeRequest {
  /** At most 10000 characters; may be unfinished. */
  readonly expression: string;
  /** Analyze as an entity selector (`GetTimeSeriesServiceStatistics`) rather than a trace filter. */
  readonly entitySelector?: boolean;
}

/** A highlighted span of the expression, `[start, end)` in UTF-16 code units. */
export interface FilterToken {
  readonly start: number;
  readonly end: number;
  /** `keyword`, `function`, `operator`, `string`, …, `invalid`; a client shows unknown classes plainly. */
  readonly class: string;
}

/** Where an expression stops making sense; `line` and `column` count from 1. */
export interface FilterDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly end: number;
}

export interface AnalyzeResponse {
  readonly valid: boolean;
  /** The expression printed back; present when `valid`. */
  readonly canonical?: string;
  /** Cover the whole input, in order. */
  readonly tokens: readonly FilterToken[];
  /** Empty when the expression is valid (or empty). */
  readonly diagnostics: readonly FilterDiagnostic[];
}

/** `GET /api/v1/filter/keywords`: one filter keyword. */
export interface FilterKeyword {
  readonly name: string;
  readonly type: 'boolean' | 'number' | 'string';
  readonly operators: readonly string[];
  /** What it means in each context (`trace`, `service`, `edge`, `rc.*`) where it is allowed. */
  readonly meaning: Readonly<Partial<Record<string, string>>>;
}

export interface KeywordsResponse {
  readonly keywords: readonly FilterKeyword[];
  /** Each context in words ("inside service(...) { }"), for messages. */
  readonly contexts: Readonly<Record<string, string>>;
}

/** What traces are grouped by: a root-segment attribute (`http.route`: the URL's path, IDs written `{id}`), users, services, or an annotation. */
export type GroupBy =
  'http.url' | 'http.route' | 'http.status' | 'http.method' | 'user' | 'service' | `annotation.${string}` | `annotation[${string}]`;

/** A selection of traces: those filed in `[start, end)` that `filter` matches (all without one). */
export interface TraceSelection {
  readonly start: number;
  readonly end: number;
  /** An X-Ray filter expression. */
  readonly filter?: string;
}

/** What `POST /api/v1/traces/ranked` orders by: a fact of each trace (docs/native-api.md). */
export type RankBy = 'time' | 'responsetime' | 'duration' | 'status' | 'method' | 'url' | 'id';

/** `POST /api/v1/traces/ranked`: the first traces of the window in an order, over all of them. */
export interface RankedRequest extends TraceSelection {
  readonly by: RankBy;
  /** `desc` by default. */
  readonly dir?: 'asc' | 'desc';
  /** Traces at most, 1–1000; 100 by default. */
  readonly limit?: number;
}

export interface RankedResponse {
  /** In X-Ray's shape (`GetTraceSummaries`), in the order asked; traces without the value last. */
  readonly traces: readonly TraceSummary[];
  /** Traces in the window, matched by the filter or not. */
  readonly processed: number;
}

/** `POST /api/v1/traces/points`: the selection's slowest traces, for the latency scatter. */
export interface PointsRequest extends TraceSelection {
  /** Traces at most, 1–10000; 10000 by default. */
  readonly limit?: number;
}

export interface PointsResponse {
  /** Traces the filter selects in the window, drawn or not. */
  readonly traces: number;
  /** Slowest first, ties by trace ID descending; traces without a response time are left out. */
  readonly points: ReadonlyArray<{
    /** The trace ID, X-Ray form. */
    readonly id: string;
    /** Its earliest span start, epoch seconds. */
    readonly start: number;
    /** Its root segment's response time, seconds. */
    readonly rt: number;
    /** Its root segment's outcome (a throttle is an error). */
    readonly outcome: 'ok' | 'error' | 'fault';
  }>;
}

/** `POST /api/v1/traces/groups`. */
export interface GroupsRequest extends TraceSelection {
  readonly by: GroupBy;
  /** Groups at most, 1–1000; 50 by default. */
  readonly limit?: number;
}

export interface TraceGroup {
  /** Null for the traces without a value. Annotations keep their type. */
  readonly value: string | number | boolean | null;
  /** For `service` groups: the node's type. */
  readonly type?: string;
  readonly traces: number;
  /** `traces` over all selected traces, to 4 places; shares can add up to more than 1. */
  readonly share: number;
  /** Average root-segment response time, seconds; null when no trace of the group has one. */
  readonly responseTimeAvg: number | null;
  readonly faults: number;
  readonly errors: number;
  readonly throttles: number;
  /** A filter expression that selects the group (to AND with the current filter). */
  readonly filter: string;
}

export interface GroupsResponse {
  /** Traces selected. */
  readonly traces: number;
  /** Most traces first. */
  readonly groups: readonly TraceGroup[];
  /** Whether `limit` cut groups off. */
  readonly truncated: boolean;
}

/** `POST /api/v1/traces/stats`. */
export interface StatsRequest extends TraceSelection {
  /** Seconds per time bucket, 1–86400; by default the smallest usual period giving at most 120 buckets. */
  readonly period?: number;
}

export interface ResponseTimeBucket {
  /** Seconds. */
  readonly start: number;
  readonly end: number;
  readonly traces: number;
}

export interface ActivityBucket {
  /** Start of the bucket, epoch seconds. */
  readonly timestamp: number;
  readonly traces: number;
  readonly ok: number;
  readonly errors: number;
  readonly faults: number;
  /** Within `errors`. */
  readonly throttles: number;
  readonly responseTimeAvg: number | null;
}

export interface StatsResponse {
  readonly traces: number;
  /** Seconds per `timeSeries` bucket. */
  readonly period: number;
  /** Root-segment response times; percentiles are null when no trace has one. */
  readonly responseTime: {
    /** Equal widths from 0 to the largest response time, empty ones included. */
    readonly buckets: readonly ResponseTimeBucket[];
    readonly p50: number | null;
    readonly p90: number | null;
    readonly p99: number | null;
    readonly max: number | null;
  };
  /** Every bucket of the range, oldest first, by filing time. */
  readonly timeSeries: readonly ActivityBucket[];
}

/** `POST /api/v1/suggestions`. */
export interface SuggestionsRequest {
  readonly start: number;
  readonly end: number;
}

/** What autocomplete offers, most frequent first. */
export interface SuggestionsResponse {
  /** At most 500. */
  readonly services: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  /** At most 500. */
  readonly annotationKeys: ReadonlyArray<{ readonly key: string; readonly type: 'string' | 'number' | 'boolean' }>;
  /** At most 100. */
  readonly users: readonly string[];
}

/** An operation: spans of one service (the owning segment's name) with one span name. */
export interface Operation {
  readonly service: string;
  readonly name: string;
}

/** `POST /api/v1/traces/operations`: how long operations' spans take in a window. */
export interface OperationsRequest {
  /** Spans of the traces filed in `[start, end)`. */
  readonly start: number;
  readonly end: number;
  /** At most 500; duplicates are answered once. */
  readonly operations: readonly Operation[];
}

export interface OperationStats extends Operation {
  /** Completed spans of the operation in the window. */
  readonly count: number;
  /** Duration quantiles in seconds (DuckDB's `quantile_cont`: linear interpolation between the closest ranks); null when `count` is 0. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface OperationsResponse {
  /** One per distinct operation asked, in the order asked. */
  readonly operations: readonly OperationStats[];
}
