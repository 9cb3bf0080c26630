import type { Span, SpanBatch, TraceSummary } from '@fluoro/core';
import type { TraceFilter } from '../../query/plan.js';
import type { TimeRange } from './time.js';

/** Rows of a batch to write: all of them, or those whose `keep` entry is 1. */
export interface SpanRows {
  readonly batch: SpanBatch;
  readonly keep?: Uint8Array;
}

/** A span's identity: trace ID (32 hex) and span ID (16 hex). */
export interface SpanKey {
  readonly traceId: string;
  readonly id: string;
}

export interface SpanWrite {
  readonly rows: readonly SpanRows[];
  /**
   * Keys of rows that may be stored already. Every other row is new to the store: the caller
   * (the trace pipeline, which remembers what it wrote recently) guarantees it, so a backend need
   * not look keys up on every write.
   */
  readonly supersedes: readonly SpanKey[];
}

/**
 * Stores spans. The trace pipeline is its only caller.
 *
 * - **Written means durable.** `write` resolves once a crash of the process right after it
 *   (`kill -9`) cannot lose the rows. It rejects when it cannot promise that.
 * - **Superseding, not updating.** A row whose key is in `supersedes` replaces the stored span
 *   with that key *and every span that arrived inside the document rooted at it* (an in-progress
 *   segment completed, a document sent again, a subsegment re-written once its owner is known).
 *   Once `write` resolves, readers see only the new version. How is the backend's business:
 *   delete-then-append in one transaction (DuckDB), or versioned rows of which reads take the
 *   latest (ClickHouse's ReplacingMergeTree). No `UPDATE` is ever needed.
 * - **Idempotent, not atomic.** A write that failed may have stored some of its rows; writing the
 *   same rows again with all their keys in `supersedes` leaves the store as one successful write
 *   would (`storage/retrying-writer.ts` does so). Backends are not required to support
 *   multi-statement transactions.
 * - **Order.** Writes commit in call order. A `write` may be called while the previous one is still
 *   in flight (never more than one), as long as its `supersedes` is empty; a write that supersedes
 *   waits for the one in flight, since it must see what that one stores.
 * - Within one write, rows hold each key at most once. Empty writes resolve at once.
 */
export interface TraceWriter {
  write(w: SpanWrite): Promise<void>;
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

/**
 * A ranked page's order: a fact of each trace as its trace row holds it (`time`: its first start;
 * `responsetime`: its root segment's duration; `duration`: first start to last end; `status`,
 * `method`, `url`: its root segment's HTTP fields; `id`), and which way. Traces without the value
 * come last either way; ties go by trace ID, descending.
 */
export interface SummaryOrder {
  readonly by: 'time' | 'responsetime' | 'duration' | 'status' | 'method' | 'url' | 'id';
  readonly dir: 'asc' | 'desc';
}

export interface SummaryQuery {
  readonly range: TimeRange;
  readonly rangeType: TimeRangeType;
  /** Only traces this filter selects (backends with the `filters` capability). */
  readonly filter: TraceFilter | null;
  /** Page size, at least 1. */
  readonly limit: number;
  readonly after: SummaryCursor | null;
  /**
   * A ranked page instead (`TraceId` windows only): the first `limit` traces of the selection in
   * this order, `after` null and `next` null. Without it, newest first, page after page.
   */
  readonly order?: SummaryOrder;
}

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

/**
 * Reads traces. Reads see every write that has resolved, never a superseded version, and never a
 * span twice. What they return belongs to the caller (a caching backend must copy).
 */
export interface TraceReader {
  /**
   * All stored spans of each requested trace, keyed by trace ID (32 hex). Unknown IDs are absent
   * from the map; an empty list is never returned. Spans come in no particular order.
   */
  getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>>;

  /**
   * One page of trace summaries (`summarizeTrace` in @fluoro/core over each trace's spans within
   * `TRACE_SPREAD_SECONDS` of the window); an empty page with `next: null` when nothing matches.
   * Paging with `after` never repeats or skips a trace of an unchanged store.
   */
  findTraceSummaries(query: SummaryQuery): Promise<SummaryPage>;
}
