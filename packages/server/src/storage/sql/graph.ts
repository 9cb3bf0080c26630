import type { NodeMatch, SelectorPlan } from '../../query/plan.js';
import { TRACE_SPREAD_SECONDS, type GraphScope, type TimeRange } from '../api/index.js';
import type { SqlDialect } from './dialect.js';
import { constant, inList, join, sql, type SqlFragment } from './fragment.js';
import { inferredCalls } from './relations.js';

/**
 * The spans a graph's events are measured from, and which events count: a window's events are
 * those starting in it, each related (caller, answering segment) within its whole trace, as found
 * among the traces filed within `TRACE_SPREAD_SECONDS` of the window; given traces count whole;
 * `filed` takes the traces whose rows the predicate selects (the rollups, filing minute by minute).
 */
export type EventScope = GraphScope | { readonly filed: SqlFragment; readonly window?: TimeRange };

function spansOf(scope: EventScope): SqlFragment {
  if ('filed' in scope) return scope.filed;
  if ('traceIds' in scope) return sql`trace_id IN ${inList([...scope.traceIds])}`;
  return filedNear(scope.range);
}

/** Rows of the traces that may have spans in `range`: filed within the spread of it. */
export function filedNear(range: TimeRange): SqlFragment {
  return sql`trace_time >= ${range.start - TRACE_SPREAD_SECONDS} AND trace_time < ${range.end + TRACE_SPREAD_SECONDS}`;
}

function eventWindow(scope: EventScope): TimeRange | undefined {
  return 'range' in scope ? scope.range : 'filed' in scope ? scope.window : undefined;
}

/**
 * One row per (node or edge, time bucket, millisecond bucket of duration): counts by outcome,
 * summed response time and the time span covered. Every event of the graph is one of:
 * - a service's own segment (node statistics);
 * - a root segment, seen from its `client` node (client edge);
 * - the span through which a service called an instrumented service (edge, caller's timing);
 * - a call to a downstream node that sent no segment: both the edge and the inferred node.
 * An event's time is its span's start (a call's: the caller's span).
 */
export function graphEvents(scope: EventScope, d: SqlDialect, options: { period?: number; where?: SqlFragment } = {}): SqlFragment {
  const bucket = options.period ? sql`floor(start_time / ${options.period}) * ${options.period}` : sql`0`;
  const window = eventWindow(scope);
  const where = [options.where ?? sql`true`];
  if (window) where.push(sql`start_time >= ${window.start} AND start_time < ${window.end}`);
  return sql`
    WITH ${d.materialized(
      sql`s`,
      sql`
      SELECT trace_id, id, parent_id, is_segment, service, service_type, start_time,
             coalesce(end_time, start_time) AS end_time, error, fault, throttle, account_id,
             downstream_name, downstream_type
      FROM spans WHERE ${spansOf(scope)}`,
    )},
    seg AS (SELECT * FROM s WHERE is_segment),
    inferred AS ${inferredCalls(sql`s`, d)},
    -- One join finds each segment's caller span; a segment without one is a root (as rootSegments).
    caller AS (
      SELECT seg.service, seg.service_type, seg.start_time, seg.end_time, seg.error, seg.fault, seg.throttle,
             c.id IS NULL AS is_root, c.service AS c_service, c.service_type AS c_service_type,
             c.start_time AS c_start, c.end_time AS c_end, c.error AS c_error, c.fault AS c_fault, c.throttle AS c_throttle
      FROM seg LEFT JOIN s AS c ON c.trace_id = seg.trace_id AND c.id = seg.parent_id
    ),
    roots AS (SELECT * FROM caller WHERE is_root),
    calls AS (
      SELECT c_service AS src_name, c_service_type AS src_type, service AS dst_name, service_type AS dst_type,
             c_start AS start_time, c_end AS end_time, c_error AS error, c_fault AS fault, c_throttle AS throttle
      FROM caller WHERE NOT is_root AND c_service IS NOT NULL
    ),
    ev AS (
      SELECT 'service' AS kind, service AS a_name, service_type AS a_type, NULL AS b_name, NULL AS b_type,
             start_time, end_time, error, fault, throttle, account_id FROM seg
      UNION ALL SELECT 'inferred', downstream_name, downstream_type, NULL, NULL, start_time, end_time, error, fault, throttle, NULL FROM inferred
      UNION ALL SELECT 'edge', service, 'client', service, service_type, start_time, end_time, error, fault, throttle, NULL FROM roots
      UNION ALL SELECT 'edge', src_name, src_type, dst_name, dst_type, start_time, end_time, error, fault, throttle, NULL FROM calls
      UNION ALL SELECT 'edge', service, service_type, downstream_name, downstream_type, start_time, end_time, error, fault, throttle, NULL FROM inferred
    )
    SELECT kind, a_name, a_type, b_name, b_type, ${bucket} AS ts, round(end_time - start_time, 3) AS bucket,
           ${d.count()} AS n,
           ${d.countWhere(sql`fault`)} AS faults,
           ${d.countWhere(sql`NOT fault AND throttle`)} AS throttles,
           ${d.countWhere(sql`NOT fault AND NOT throttle AND error`)} AS errors,
           sum(end_time - start_time) AS response_time,
           min(start_time) AS first_start, max(end_time) AS last_end,
           max(account_id) AS account_id
    FROM ev WHERE ${join(where, sql` AND `)} GROUP BY ALL${d.nullJoins}`;
}

/**
 * The graph events an entity selector picks (see `SelectorPlan`), as a predicate over the rows of
 * `graphEvents`, and which statistics its buckets carry.
 */
export function selectorEvents(plan: SelectorPlan): { kind: 'service' | 'edge'; where: SqlFragment } {
  switch (plan.kind) {
    case 'client':
      return { kind: 'edge', where: sql`kind = 'edge' AND a_type = ${constant('client')}` };
    case 'service':
      return {
        kind: 'service',
        where: sql`(${join(
          plan.nodes.map((n) => sql`(kind IN ('service', 'inferred') AND ${selects(n, sql`a_name`, sql`a_type`, sql`account_id`)})`),
          sql` OR `,
        )})`,
      };
    case 'edge':
      return {
        kind: 'edge',
        where: sql`(${join(
          plan.edges.map(
            (e) =>
              sql`(kind = 'edge' AND ${selects(e.from, sql`a_name`, sql`a_type`, null)} AND ${selects(e.to, sql`b_name`, sql`b_type`, null)})`,
          ),
          sql` OR `,
        )})`,
      };
  }
}

/** A node against an entity selector's match; `account` is null where events carry none (edges). */
function selects(m: NodeMatch, nameCol: SqlFragment, typeCol: SqlFragment, account: SqlFragment | null): SqlFragment {
  const parts: SqlFragment[] = [sql`true`];
  if (m.name !== undefined) parts.push(sql`${nameCol} = ${m.name}`);
  if (m.type !== undefined) parts.push(sql`${typeCol} = ${m.type}`);
  if (m.accountId !== undefined) parts.push(account ? sql`${account} = ${m.accountId}` : sql`false`);
  return sql`(${join(parts, sql` AND `)})`;
}
