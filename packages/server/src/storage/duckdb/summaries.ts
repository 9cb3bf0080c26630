import { buildTraceModel, summarizeTrace, type TraceSpan, type TraceSummary } from '@fluoro/core';
import type { SummaryPage, SummaryQuery } from '../api/index.js';
import { ident, inList, join, sql, type SqlFragment } from '../sql/fragment.js';
import { pageCutQuery, pageQuery, pagesByCut, processedQuery } from '../sql/traces.js';
import { query, type ReadPool } from './connection.js';
import { duckdbDialect } from './dialect.js';
import { markedMinutes, rolledTraceRows } from './rollups.js';
import { rowToTraceSpan } from './rows.js';
import { TRACE_SPAN_COLUMNS } from './schema.js';

/**
 * Two steps: find the page (see `pageQuery`), then compute the summaries of just those traces.
 * Aggregating every trace in the window in full would cost ten times as much for a page of 100.
 */
export async function traceSummaries(pool: ReadPool, q: SummaryQuery): Promise<SummaryPage> {
  const rows = rolledTraceRows(await pool.with(markedMinutes));
  const pageRows = async () => {
    const cut = pagesByCut(q, rows) ? (await pool.with((c) => query(c, pageCutQuery(q, duckdbDialect, rows))))[0] : undefined;
    return pool.with((c) => query(c, pageQuery(q, duckdbDialect, rows, cut ? (cut['matched'] as number) : null)));
  };
  const [page, processed] = await Promise.all([pageRows(), pool.with((c) => query(c, processedQuery(q, duckdbDialect, rows)))]);
  const more = page.length > q.limit && !q.order;
  const listed = page.slice(0, q.limit);
  const matched = new Map(listed.map((r) => [r['trace_id'] as string, r['matched'] as number]));
  // Every span of a trace carries its trace ID's time: that bounds the read of the page's spans.
  const times = listed.map((r) => r['trace_time'] as number);
  const filed = sql`trace_time >= ${Math.min(...times)} AND trace_time <= ${Math.max(...times)}`;
  const summaries = await summarize(pool, [...matched.keys()], matched, filed);
  const last = listed[listed.length - 1];
  return {
    summaries,
    tracesProcessed: processed[0]!['n'] as number,
    next: more && last ? { time: last['matched'] as number, traceId: last['trace_id'] as string } : null,
  };
}

/**
 * The page's traces, read in one query and summarized by `summarizeTrace`, the same code any store
 * uses; root causes are a tree walk, not an aggregate. The query reads only the columns a summary
 * needs: the page's traces are scattered over the window when it is sorted, and an IN list is a
 * join above the scan, so every column read is read for every span of the window (29 of 40
 * columns: 94 instead of 132 ms at 1.6M spans, docs/benchmarks.md).
 */
async function summarize(pool: ReadPool, ids: string[], matched: Map<string, number>, filed: SqlFragment): Promise<TraceSummary[]> {
  if (ids.length === 0) return [];
  const rows = await pool.with((c) =>
    query(c, sql`SELECT ${join(TRACE_SPAN_COLUMNS.map(ident))} FROM spans WHERE ${filed} AND trace_id IN ${inList(ids)}`),
  );
  const byTrace = new Map<string, TraceSpan[]>();
  for (const r of rows) {
    const span = rowToTraceSpan(r);
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return ids.filter((id) => byTrace.has(id)).map((id) => summarizeTrace(buildTraceModel(byTrace.get(id)!), matched.get(id)!));
}
