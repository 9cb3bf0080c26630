import { buildTraceModel, evaluate, spanDuration, summarizeTrace, type Span } from '@fluoro/core';
import { TRACE_SPREAD_SECONDS, type SummaryOrder, type SummaryPage, type SummaryQuery, type TimeRange } from '../api/index.js';
import type { MemoryRootCauses } from './root-causes.js';
import { byText } from './text-order.js';
import type { SpanTable } from './span-table.js';

/** What selects traces: a window (filing, event or service time) and an optional filter. */
export type TraceSelection = Pick<SummaryQuery, 'range' | 'rangeType' | 'filter'>;

/** A trace the selection picks, with the time it is matched (and ordered) on. */
export interface Match {
  readonly traceId: string;
  readonly matched: number;
  /** The latest filing time among the spans that put it in the window. */
  readonly traceTime: number;
}

export interface Selection {
  readonly matches: Match[];
  /** Traces in the window, matched by the filter or not. */
  readonly processed: number;
}

/** The window widened by the trace spread: every span of a trace in the window lies within it. */
export function spread(range: TimeRange): TimeRange {
  return { start: range.start - TRACE_SPREAD_SECONDS, end: range.end + TRACE_SPREAD_SECONDS };
}

/** A trace's spans starting within the spread of the window: what filters and summaries look at. */
export function nearSpans(spans: readonly Span[], range: TimeRange): Span[] {
  const { start, end } = spread(range);
  return spans.filter((s) => s.startTime >= start && s.startTime < end);
}

/**
 * Whether a trace is in the window, and its matched time (summaries.ts `window` in DuckDB):
 * TraceId, the earliest start of its spans filed in the window; Event, the latest start (clamped
 * to the window) of its spans active in it; Service, the latest end of its segments ending in it.
 */
function inWindow(spans: readonly Span[], q: TraceSelection): Match | null {
  const { start, end } = q.range;
  let matched = q.rangeType === 'TraceId' ? Infinity : -Infinity;
  let traceTime = -Infinity;
  let any = false;
  for (const s of spans) {
    switch (q.rangeType) {
      case 'TraceId':
        if (s.traceTime < start || s.traceTime >= end) continue;
        matched = Math.min(matched, s.startTime);
        break;
      case 'Event':
        if (s.startTime >= end || (s.endTime ?? s.startTime) < start) continue;
        matched = Math.max(matched, Math.max(s.startTime, start));
        break;
      case 'Service':
        if (s.kind !== 'segment' || s.endTime === null || s.endTime < start || s.endTime >= end) continue;
        matched = Math.max(matched, s.endTime);
        break;
    }
    any = true;
    traceTime = Math.max(traceTime, s.traceTime);
  }
  return any ? { traceId: spans[0]!.traceId, matched, traceTime } : null;
}

/**
 * The traces of the window the filter selects, newest first (matched time, then trace ID,
 * descending). The filter is core's `evaluate` over the trace's spans near the window, with the
 * root causes stored for it; a trace with no span near the window cannot match one.
 */
export function selectTraces(table: SpanTable, rootCauses: MemoryRootCauses, q: TraceSelection): Selection {
  const matches: Match[] = [];
  let processed = 0;
  const bounds = spread(q.range);
  for (const [traceId, spans] of table.traces()) {
    const m = inWindow(spans, q);
    if (!m) continue;
    processed++;
    if (q.filter) {
      const near = nearSpans(spans, q.range);
      if (near.length === 0 || !evaluate(q.filter.expr, buildTraceModel(near), rootCauses.of(traceId, bounds))) continue;
    }
    matches.push(m);
  }
  matches.sort(newestFirst);
  return { matches, processed };
}

export function newestFirst(a: Match, b: Match): number {
  if (a.matched !== b.matched) return b.matched - a.matched;
  return byIdDesc(a, b);
}

/** A ranked order's value for one trace, from all its spans, as a trace row holds it (the model's root segment). */
function orderValue(spans: readonly Span[], by: SummaryOrder['by']): number | string | null {
  const model = buildTraceModel(spans);
  switch (by) {
    case 'id':
      return model.traceId;
    case 'time':
      return model.startTime;
    case 'duration':
      return model.duration;
    case 'responsetime':
      return model.root ? spanDuration(model.root) : null;
    case 'status':
      return model.root?.http?.status ?? null;
    case 'method':
      return model.root?.http?.method ?? null;
    case 'url':
      return model.root?.http?.url ?? null;
  }
}

/** Sorts matches by a ranked order: nulls last, ties by trace ID descending. */
function rank(table: SpanTable, matches: Match[], order: SummaryOrder): Match[] {
  const sign = order.dir === 'asc' ? 1 : -1;
  const keyed = matches.map((m) => ({ m, v: orderValue(table.trace(m.traceId) ?? [], order.by) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? byIdDesc(a.m, b.m) : a.v === null ? 1 : -1;
    if (a.v !== b.v) return (typeof a.v === 'string' && typeof b.v === 'string' ? byText(a.v, b.v) : a.v < b.v ? -1 : 1) * sign;
    return byIdDesc(a.m, b.m);
  });
  return keyed.map((k) => k.m);
}

/** Trace IDs, descending: the tie-break of every order. */
export const byIdDesc = (a: Pick<Match, 'traceId'>, b: Pick<Match, 'traceId'>): number =>
  a.traceId < b.traceId ? 1 : a.traceId > b.traceId ? -1 : 0;

/** One page of summaries: `summarizeTrace` over each trace's spans near the window. */
export function traceSummaries(table: SpanTable, rootCauses: MemoryRootCauses, q: SummaryQuery): SummaryPage {
  const selected = selectTraces(table, rootCauses, q);
  const processed = selected.processed;
  const matches = q.order ? rank(table, selected.matches, q.order) : selected.matches;
  const after = q.order ? null : q.after;
  const rest = after ? matches.filter((m) => m.matched < after.time || (m.matched === after.time && m.traceId < after.traceId)) : matches;
  const page = rest.slice(0, q.limit);
  const summaries = [];
  for (const m of page) {
    const near = nearSpans(table.trace(m.traceId) ?? [], q.range);
    // As DuckDB, a trace whose spans all lie outside the read is left off its page.
    if (near.length > 0) summaries.push(summarizeTrace(buildTraceModel(near), m.matched));
  }
  const last = page[page.length - 1];
  return {
    summaries,
    tracesProcessed: processed,
    next: !q.order && rest.length > q.limit && last ? { time: last.matched, traceId: last.traceId } : null,
  };
}
