import type { SummaryCursor, SummaryQuery } from '../api/index.js';
import { TRACE_SPREAD_SECONDS } from '../api/index.js';
import { column } from './columns.js';
import type { SqlDialect } from './dialect.js';
import { join, sql, type SqlFragment } from './fragment.js';
import { compilePlan } from './plan-compiler.js';

/** What selects traces: a window (filing, event or service time) and an optional filter. */
export type TraceSelection = Pick<SummaryQuery, 'range' | 'rangeType' | 'filter'>;

/** Which spans put a trace in the window, and the time each trace is matched (and ordered) on. */
export function window(q: TraceSelection): { where: SqlFragment; matched: SqlFragment } {
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
export function spread(q: TraceSelection): { start: number; end: number } {
  return { start: q.range.start - TRACE_SPREAD_SECONDS, end: q.range.end + TRACE_SPREAD_SECONDS };
}

export function near(q: TraceSelection): SqlFragment {
  const { start, end } = spread(q);
  return sql`start_time >= ${start} AND start_time < ${end}`;
}

/**
 * CTEs ending in `matches (trace_id, matched, trace_time)`: the traces of the window the filter
 * selects, each with the time it is matched (and ordered) on. Unfiltered, one grouped scan of the
 * window. Filtered, the traces of the window that can match (candidates) are read whole (only the
 * columns the plan reads), their spans given `is_root` and the segment that answers each
 * (`callee_*`) where the plan needs them, aggregated per trace, and tested.
 */
export function matchingTraces(q: TraceSelection, d: SqlDialect): SqlFragment {
  const w = window(q);
  if (!q.filter) {
    return sql`matches AS (SELECT trace_id, ${w.matched} AS matched, max(trace_time) AS trace_time FROM spans WHERE ${w.where} GROUP BY trace_id)`;
  }
  const { plan } = q.filter;
  const f = compilePlan(plan, spread(q), d);
  const nearby = near(q);
  const { root, callee } = plan.needs;
  const joined =
    root || callee
      ? sql`SELECT s0.*${root ? sql`, (s0.is_segment AND p.id IS NULL) AS is_root` : sql``}${callee ? sql`, c.callee_service, c.callee_type, c.callee_account` : sql``}
            FROM s0 ${root ? sql`LEFT JOIN (SELECT trace_id, id FROM s0) AS p ON p.trace_id = s0.trace_id AND p.id = s0.parent_id` : sql``}
                    ${callee ? sql`LEFT JOIN callee AS c ON c.trace_id = s0.trace_id AND c.parent_id = s0.id` : sql``}`
      : sql`SELECT * FROM s0`;
  return sql`
    ${d.materialized(
      sql`cand`,
      sql`SELECT trace_id, ${w.matched} AS matched, max(trace_time) AS trace_time FROM spans
          WHERE ${w.where} AND ${f.candidates(nearby)} GROUP BY trace_id`,
    )},
    ${d.materialized(sql`s0`, sql`SELECT ${join(plan.needs.fields.map(column))} FROM spans WHERE ${nearby} AND trace_id IN (SELECT trace_id FROM cand)`)},
    ${
      callee
        ? sql`callee AS (SELECT trace_id, parent_id, service AS callee_service, service_type AS callee_type, account_id AS callee_account
                            FROM s0 WHERE is_segment AND parent_id IS NOT NULL),`
        : sql``
    }
    s AS (${joined}),
    facts AS (SELECT trace_id, ${join([...f.aggregates])} FROM s GROUP BY trace_id),
    matches AS (SELECT trace_id, matched, trace_time FROM facts JOIN cand USING (trace_id) WHERE ${f.predicate})`;
}

function after(cursor: SummaryCursor | null): SqlFragment {
  return cursor ? sql`AND (matched < ${cursor.time} OR (matched = ${cursor.time} AND trace_id < ${cursor.traceId}))` : sql``;
}

/** A page of trace IDs, newest first, one more than the page holds (to tell whether another follows). */
export function pageQuery(q: SummaryQuery, d: SqlDialect): SqlFragment {
  return sql`WITH ${matchingTraces(q, d)}
    SELECT trace_id, matched, trace_time FROM matches WHERE true ${after(q.after)}
    ORDER BY matched DESC, trace_id DESC LIMIT ${q.limit + 1}${q.filter && (q.filter.plan.needs.root || q.filter.plan.needs.callee) ? d.nullJoins : sql``}`;
}

/** Traces in the window, matched by the filter or not (`TracesProcessedCount`). */
export function processedQuery(q: TraceSelection, d: SqlDialect): SqlFragment {
  return sql`SELECT ${d.countDistinct(sql`trace_id`)} AS n FROM spans WHERE ${window(q).where}`;
}
