import { buildTraceModel, summarizeTrace, type Span, type TraceSummary } from '@fluoro/core';
import { TRACE_SPREAD_SECONDS, type SummaryCursor, type SummaryPage, type SummaryQuery } from '../api/index.js';
import { compile, ident, inList, join, sql, type SqlFragment } from '../sql.js';
import { duckdbDialect, query, type ReadPool } from './connection.js';
import { candidatePredicate, compileFilter } from './filter-sql.js';
import { rowToSpan } from './rows.js';
import { SPAN_COLUMNS } from './schema.js';

/** Span columns every filtered query reads: identity, tree links and times. */
const ALWAYS_READ = new Set(['trace_id', 'id', 'parent_id', 'is_segment', 'start_time', 'end_time']);
/** What the answering segment (callee_*) is read from. */
const CALLEE_READS = new Set(['service', 'service_type', 'account_id']);

/** Which spans put a trace in the window, and the time each trace is matched (and ordered) on. */
function window(q: TraceSelection): { where: SqlFragment; matched: SqlFragment } {
  const { start, end } = q.range;
  switch (q.rangeType) {
    case 'TraceId':
      // Filed by the second in the trace ID, ordered by the trace's real start (sub-second).
      return { where: sql`trace_time >= ${start} AND trace_time < ${end}`, matched: sql`min(start_time)` };
    case 'Event':
      return {
        where: sql`start_time < ${end} AND coalesce(end_time, start_time) >= ${start}`,
        matched: sql`max(greatest(start_time, ${start}))`,
      };
    case 'Service':
      return { where: sql`is_segment AND end_time >= ${start} AND end_time < ${end}`, matched: sql`max(end_time)` };
  }
}

/** The window widened by the trace spread: every span of a trace in the window lies within it. */
function spread(q: TraceSelection): { start: number; end: number } {
  return { start: q.range.start - TRACE_SPREAD_SECONDS, end: q.range.end + TRACE_SPREAD_SECONDS };
}

export function near(q: TraceSelection): SqlFragment {
  const { start, end } = spread(q);
  return sql`start_time >= ${start} AND start_time < ${end}`;
}

function after(cursor: SummaryCursor | null): SqlFragment {
  return cursor ? sql`AND (matched < ${cursor.time} OR (matched = ${cursor.time} AND trace_id < ${cursor.traceId}))` : sql``;
}

/** What selects traces: a window (filing, event or service time) and an optional filter. */
export type TraceSelection = Pick<SummaryQuery, 'range' | 'rangeType' | 'filter'>;

/**
 * CTEs ending in `matches (trace_id, matched, trace_time)`: the traces of the window the filter
 * selects, each with the time it is matched (and ordered) on. Unfiltered, one grouped scan of
 * the window. Filtered, the traces of the window that can match (candidates) are read whole,
 * their spans given `is_root` and the segment that answers each (`callee_*`), aggregated per
 * trace, and tested.
 */
export function matchingTraces(q: TraceSelection): SqlFragment {
  const w = window(q);
  if (!q.filter) {
    return sql`matches AS (SELECT trace_id, ${w.matched} AS matched, max(trace_time) AS trace_time FROM spans WHERE ${w.where} GROUP BY trace_id)`;
  }
  const f = compileFilter(q.filter, spread(q));
  const nearby = near(q);
  const aggregates = join([...f.aggregates]);
  // Read only the columns the filter looks at, and join only what it needs: is_root for
  // root-segment facts, the answering segment (callee_*) for edges and inferred nodes.
  const text = compile(aggregates, duckdbDialect).text;
  const uses = (name: string): boolean => new RegExp(`\\b${name}\\b`).test(text);
  const needsRoot = uses('is_root');
  const needsCallee = /\bcallee_/.test(text);
  const columns = SPAN_COLUMNS.map(([n]) => n).filter((n) => ALWAYS_READ.has(n) || uses(n) || (needsCallee && CALLEE_READS.has(n)));
  const joined =
    needsRoot || needsCallee
      ? sql`SELECT s0.*, ${needsRoot ? sql`(s0.is_segment AND p.id IS NULL)` : sql`NULL`} AS is_root,
                   c.callee_service, c.callee_type, c.callee_account
            FROM s0 ${needsRoot ? sql`LEFT JOIN (SELECT trace_id, id FROM s0) AS p ON p.trace_id = s0.trace_id AND p.id = s0.parent_id` : sql``}
                    ${needsCallee ? sql`LEFT JOIN callee AS c ON c.trace_id = s0.trace_id AND c.parent_id = s0.id` : sql`LEFT JOIN (SELECT NULL AS callee_service, NULL AS callee_type, NULL AS callee_account) AS c ON false`}`
      : sql`SELECT * FROM s0`;
  return sql`
    cand AS MATERIALIZED (SELECT trace_id, ${w.matched} AS matched, max(trace_time) AS trace_time FROM spans
                          WHERE ${w.where} AND ${candidatePredicate(f.candidates, nearby)} GROUP BY trace_id),
    s0 AS MATERIALIZED (SELECT ${join(columns.map(ident))} FROM spans WHERE ${nearby} AND trace_id IN (SELECT trace_id FROM cand)),
    ${
      needsCallee
        ? sql`callee AS (SELECT trace_id, parent_id, service AS callee_service, service_type AS callee_type, account_id AS callee_account
                            FROM s0 WHERE is_segment AND parent_id IS NOT NULL),`
        : sql``
    }
    s AS (${joined}),
    facts AS (SELECT trace_id, ${aggregates} FROM s GROUP BY trace_id),
    matches AS (SELECT trace_id, matched, trace_time FROM facts JOIN cand USING (trace_id) WHERE ${f.predicate})`;
}

/** The page: trace IDs newest first. */
function pageQuery(q: SummaryQuery): SqlFragment {
  return sql`WITH ${matchingTraces(q)}
    SELECT trace_id, matched, trace_time FROM matches WHERE true ${after(q.after)}
    ORDER BY matched DESC, trace_id DESC LIMIT ${q.limit + 1}`;
}

/**
 * Two steps: find the page (see `pageQuery`), then compute the summaries of just those traces.
 * Aggregating every trace in the window in full would cost ten times as much for a page of 100.
 */
export async function traceSummaries(pool: ReadPool, q: SummaryQuery): Promise<SummaryPage> {
  const w = window(q);
  const [page, processed] = await Promise.all([
    pool.with((c) => query(c, pageQuery(q))),
    pool.with((c) => query(c, sql`SELECT count(DISTINCT trace_id)::INTEGER AS n FROM spans WHERE ${w.where}`)),
  ]);
  const more = page.length > q.limit;
  const rows = more ? page.slice(0, q.limit) : page;
  const matched = new Map(rows.map((r) => [r['trace_id'] as string, r['matched'] as number]));
  // Every span of a trace carries its trace ID's time: that bounds the read of the page's spans.
  const times = rows.map((r) => r['trace_time'] as number);
  const filed = sql`trace_time >= ${Math.min(...times)} AND trace_time <= ${Math.max(...times)}`;
  const summaries = await summarize(pool, [...matched.keys()], matched, filed);
  const last = rows[rows.length - 1];
  return {
    summaries,
    tracesProcessed: processed[0]!['n'] as number,
    next: more && last ? { time: last['matched'] as number, traceId: last['trace_id'] as string } : null,
  };
}

/**
 * The page's traces, read whole in one query (every column but the documents) and summarized by
 * `summarizeTrace`, the same code any store uses; root causes are a tree walk, not an aggregate.
 */
async function summarize(pool: ReadPool, ids: string[], matched: Map<string, number>, filed: SqlFragment): Promise<TraceSummary[]> {
  if (ids.length === 0) return [];
  const columns = SPAN_COLUMNS.map(([n]) => n).filter((n) => n !== 'doc');
  const rows = await pool.with((c) =>
    query(c, sql`SELECT ${join(columns.map(ident))} FROM spans WHERE ${filed} AND trace_id IN ${inList(ids)}`),
  );
  const byTrace = new Map<string, Span[]>();
  for (const r of rows) {
    const span = rowToSpan(r);
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return ids.filter((id) => byTrace.has(id)).map((id) => summarizeTrace(buildTraceModel(byTrace.get(id)!), matched.get(id)!));
}
