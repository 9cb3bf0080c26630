/** A half-open time window `[start, end)` in epoch seconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Spans of a trace are assumed to lie within this many seconds of the query window, so that
 * whole traces can be read without scanning all time. Longer traces are cut at this margin.
 */
export const TRACE_SPREAD_SECONDS = 3600;
