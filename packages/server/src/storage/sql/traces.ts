import { JOIN_OF } from '../../query/fields.js';
import { fieldsRead } from '../../query/filter-planner.js';
import { NODE_OUTCOMES, type FilterPlan, type NodeOutcome, type RootFact, type RowCond } from '../../query/plan.js';
import type { SummaryCursor, SummaryOrder, SummaryQuery } from '../api/index.js';
import { TRACE_SPREAD_SECONDS } from '../api/index.js';
import { column } from './columns.js';
import { answeredCalls } from './relations.js';
import type { SqlDialect } from './dialect.js';
import { ident, join, sql, type SqlFragment } from './fragment.js';
import { compilePlan, ROOT_FACTS, rootFactAggregate } from './plan-compiler.js';

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
 * Trace rows: one per trace, `trace_id`, `trace_time`, `first_start` (its earliest start),
 * `last_end` (its latest end) and its root segment's facts (`root_<fact>`, as `compilePlan`
 * aggregates them), for the traces filed where `filed` holds (a predicate on `trace_time`). A store
 * keeps them per filing minute (DuckDB: `rollups.ts`); `traceRowsOf` computes them from the spans.
 * A query names the columns it reads: rows computed for it may hold only those.
 */
export interface TraceRows {
  (filed: SqlFragment, columns: readonly TraceRowColumn[]): SqlFragment;
  /**
   * Where the store keeps them, the annotations of the spans where `where` holds (a predicate on
   * `start_time`), a row each: `trace_id`, `key`, and the value in `str`, `num` or `bool` by its
   * JSON type. An annotation leaf is then a scan of these typed columns, not a parse of each span's
   * JSON (`CompiledFilter.annotationSet`).
   */
  readonly annotations?: (where: SqlFragment) => SqlFragment;
}

/**
 * The columns of a trace row beyond its times: its root segment's facts (`root_<fact>`), and
 * `nodes`, the service graph's nodes it has (its services' segments, and the inferred nodes it
 * calls without an answering segment) as one text of `(name, type, account)` (`NODES`), the same
 * of the nodes with each outcome (`fault_nodes`…: a segment of the node, or an unanswered call to
 * it, has the flag), and `throttled`: some segment, or some call to a downstream node, was throttled.
 */
export type TraceRowColumn = RootFact | 'nodes' | `${NodeOutcome}_nodes` | 'throttled';

const OUTCOME_NODES = NODE_OUTCOMES.map((o) => `${o}_nodes` as const);

export const TRACE_ROW_COLUMNS: readonly TraceRowColumn[] = [...ROOT_FACTS, 'nodes', ...OUTCOME_NODES, 'throttled'];

const isFact = (c: TraceRowColumn): c is RootFact => (ROOT_FACTS as readonly string[]).includes(c);

/** A trace row's column name. */
export function rowColumn(c: TraceRowColumn): SqlFragment {
  return ident(isFact(c) ? `root_${c}` : c);
}

/** The trace row column of the nodes with an outcome, or of all its nodes. */
export function nodesColumn(outcome?: NodeOutcome): TraceRowColumn {
  return outcome ? `${outcome}_nodes` : 'nodes';
}

/** The trace rows of the traces whose spans `filed` selects, from the spans (every span of each trace), with `columns`. */
export function traceRowsOf(filed: SqlFragment, d: SqlDialect, columns: readonly TraceRowColumn[] = TRACE_ROW_COLUMNS): SqlFragment {
  const facts = columns.filter(isFact);
  const outcomes = NODE_OUTCOMES.filter((o) => columns.includes(nodesColumn(o)));
  const nodes = columns.includes('nodes') || outcomes.length > 0;
  const throttled = columns.includes('throttled');
  const aggregates = facts.map((f) => sql`, ${rootFactAggregate(f, d)}`);
  if (throttled)
    aggregates.push(sql`, coalesce(${d.anyOf(sql`throttle AND (is_segment OR downstream_name IS NOT NULL)`)}, false) AS throttled`);
  if (nodes) {
    // A segment is its service's node; a call no segment answers, the inferred node it calls (`inferredCalls`).
    const nodeText = (where: SqlFragment) =>
      d.nodeText(
        sql`CASE WHEN is_segment THEN service ELSE downstream_name END`,
        sql`CASE WHEN is_segment THEN service_type ELSE downstream_type END`,
        sql`CASE WHEN is_segment THEN account_id END`,
        where,
      );
    if (columns.includes('nodes')) aggregates.push(sql`, ${nodeText(sql`is_segment OR is_inferred`)} AS nodes`);
    for (const o of outcomes)
      aggregates.push(sql`, ${nodeText(sql`(is_segment OR is_inferred) AND ${ident(o)}`)} AS ${ident(`${o}_nodes`)}`);
  }
  return sql`
    WITH ${d.materialized(
      sql`t0`,
      sql`SELECT trace_id, id, parent_id, is_segment, start_time, end_time, trace_time, error, fault, throttle,
                 http_status, http_url, http_method, http_user_agent, http_client_ip${
                   nodes
                     ? sql`, service, service_type, account_id, downstream_name, downstream_type`
                     : throttled
                       ? sql`, downstream_name`
                       : sql``
                 }
          FROM spans WHERE ${filed}`,
    )},
    t1 AS (${
      facts.length > 0 || nodes
        ? sql`SELECT t0.*, (t0.is_segment AND p.id IS NULL) AS is_root${
            nodes ? sql`, (t0.downstream_name IS NOT NULL AND t0.service IS NOT NULL AND a.id IS NULL) AS is_inferred` : sql``
          }
              FROM t0 LEFT JOIN (SELECT trace_id, id FROM t0) AS p ON p.trace_id = t0.trace_id AND p.id = t0.parent_id${
                nodes ? sql` LEFT JOIN ${answeredCalls(sql`t0`)} AS a ON a.trace_id = t0.trace_id AND a.id = t0.id` : sql``
              }`
        : sql`SELECT * FROM t0`
    })
    SELECT trace_id, max(trace_time) AS trace_time, min(start_time) AS first_start, max(coalesce(end_time, start_time)) AS last_end
           ${join(aggregates, sql``)}
    FROM t1 GROUP BY trace_id`;
}

/** The root fact a ranked order reads, if any. */
const ORDER_FACT: Partial<Record<SummaryOrder['by'], RootFact>> = { responsetime: 'rt', status: 'status', method: 'method', url: 'url' };

/** A ranked order's value over trace rows. */
function orderValue(by: SummaryOrder['by']): SqlFragment {
  const fact = ORDER_FACT[by];
  if (fact) return rowColumn(fact);
  switch (by) {
    case 'time':
      return sql`first_start`;
    case 'duration':
      return sql`(last_end - first_start)`;
    default:
      return sql`trace_id`;
  }
}

/** The columns a query reads from trace rows: its filter's root facts and nodes, and its order's fact. */
function factsOf(q: SummaryQuery | TraceSelection): TraceRowColumn[] {
  const facts = new Set<TraceRowColumn>(q.filter?.plan.rootFacts ?? []);
  for (const n of q.filter?.plan.nodeLeaves ?? []) for (const o of n.outcomes ?? [undefined]) facts.add(nodesColumn(o));
  const order = 'order' in q ? q.order : undefined;
  const fact = order ? ORDER_FACT[order.by] : undefined;
  if (fact) facts.add(fact);
  return [...facts];
}

/** Whether a condition reads a field that needs a join over the trace (`is_root`, `callee_*`). */
function readsJoins(c: RowCond): boolean {
  let joined = false;
  fieldsRead(c, (f) => (joined ||= f in JOIN_OF));
  return joined;
}

/**
 * Whether trace rows answer a selection: windows of filing time, which the rows are kept by (root
 * facts and durations are on the rows; leaves are sets of trace IDs).
 */
export function rowsAnswer(q: TraceSelection): boolean {
  return q.rangeType === 'TraceId';
}

/**
 * `s0`: the spans near the window of the traces in `traces` (only the columns the plan reads);
 * `s`: those spans with `is_root` and the segment that answers each (`callee_*`) where the plan
 * needs them.
 */
function joinedSpans(needs: FilterPlan['needs'], nearby: SqlFragment, traces: SqlFragment, d: SqlDialect): SqlFragment {
  const { root, callee } = needs;
  const joined =
    root || callee
      ? sql`SELECT s0.*${root ? sql`, (s0.is_segment AND p.id IS NULL) AS is_root` : sql``}${callee ? sql`, c.callee_service, c.callee_type, c.callee_account` : sql``}
            FROM s0 ${root ? sql`LEFT JOIN (SELECT trace_id, id FROM s0) AS p ON p.trace_id = s0.trace_id AND p.id = s0.parent_id` : sql``}
                    ${callee ? sql`LEFT JOIN callee AS c ON c.trace_id = s0.trace_id AND c.parent_id = s0.id` : sql``}`
      : sql`SELECT * FROM s0`;
  return sql`
    ${d.materialized(sql`s0`, sql`SELECT ${join(needs.fields.map(column))} FROM spans WHERE ${nearby} AND trace_id IN (SELECT trace_id FROM ${traces})`)},
    ${
      callee
        ? sql`callee AS (SELECT trace_id, parent_id, service AS callee_service, service_type AS callee_type, account_id AS callee_account
                            FROM s0 WHERE is_segment AND parent_id IS NOT NULL),`
        : sql``
    }
    s AS (${joined})`;
}

/** A condition's disjuncts, AND distributed over OR while there are at most this many. */
const MAX_DISJUNCTS = 8;

/** `c` as an OR of conditions (the same spans satisfy it), distributing AND over OR within `MAX_DISJUNCTS`. */
function disjuncts(c: RowCond): RowCond[] {
  switch (c.kind) {
    case 'or':
      return [...disjuncts(c.left), ...disjuncts(c.right)];
    case 'and': {
      const a = disjuncts(c.left);
      const b = disjuncts(c.right);
      if (a.length * b.length > MAX_DISJUNCTS) return [c];
      return a.flatMap((x) => b.map((y): RowCond => ({ kind: 'and', left: x, right: y })));
    }
    case 'orFalse':
      // coalesce(A OR B, false) is coalesce(A, false) OR coalesce(B, false).
      return disjuncts(c.cond).map((x): RowCond => ({ kind: 'orFalse', cond: x }));
    default:
      return [c];
  }
}

/**
 * A condition without the joined fields, true wherever `c` is (and maybe elsewhere): a test of
 * a joined field becomes true where it counts positively, false under a NOT.
 */
function weakened(c: RowCond, positive = true): RowCond {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { kind: c.kind, left: weakened(c.left, positive), right: weakened(c.right, positive) };
    case 'not':
      return { kind: 'not', operand: weakened(c.operand, !positive) };
    case 'orFalse':
      return { kind: 'orFalse', cond: weakened(c.cond, positive) };
    default:
      return readsJoins(c) ? { kind: 'const', value: positive } : c;
  }
}

const anyOf = (conds: readonly RowCond[]): RowCond => conds.reduce((a, b) => ({ kind: 'or', left: a, right: b }));

/**
 * `matches` from trace rows: the window's rows, each leaf a semi-join with the trace IDs of the
 * spans that satisfy it, the predicate over those, the root facts and the duration. A leaf that
 * reads a joined field (`is_root`, `callee_*`: service and edge blocks) is split into its
 * disjuncts: those that read no join are a set of trace IDs as any leaf; the others are evaluated
 * over the joined spans of the traces that can satisfy them (a span satisfies them with the joins
 * left out) and do not satisfy the first ones already. `service("cart")` is then the traces with a
 * cart segment, plus the few that call cart without a segment answering.
 */
function matchingRows(
  q: SummaryQuery | TraceSelection,
  d: SqlDialect,
  rows: TraceRows,
  extra: readonly TraceRowColumn[] = [],
): SqlFragment {
  const filed = window(q).where;
  const order = 'order' in q && q.order ? sql`, ${orderValue(q.order.by)} AS sort_value` : sql``;
  const facts = [...new Set([...factsOf(q), ...extra])];
  const kept = join(
    extra.map((c) => sql`, ${rowColumn(c)}`),
    sql``,
  );
  if (!q.filter)
    return sql`matches AS (SELECT trace_id, first_start AS matched, trace_time${order}${kept} FROM ${rows(filed, facts)} AS t)`;
  const { plan } = q.filter;
  const f = compilePlan(plan, spread(q), d);
  const nearby = near(q);
  const ctes: SqlFragment[] = [];
  const candidates: SqlFragment[] = [];
  const leaves = plan.leaves.map((leaf, i) => {
    // A trace has the node: read from its row.
    const node = plan.nodeLeaves.find((n) => n.leaf === i);
    if (node) {
      const has = (node.outcomes ?? [undefined]).map((o) => d.hasNode(rowColumn(nodesColumn(o)), node.match ?? {}));
      return sql`, coalesce(${join(has, sql` OR `)}, false) AS ${ident(`c${i}`)}`;
    }
    const annotated = rows.annotations && f.annotationSet(leaf, rows.annotations(nearby));
    if (annotated) return sql`, trace_id IN (${annotated}) AS ${ident(`c${i}`)}`;
    if (!readsJoins(leaf)) return sql`, trace_id IN (${f.rowSet(leaf, sql`spans`, nearby)}) AS ${ident(`c${i}`)}`;
    const parts = disjuncts(leaf);
    const free = parts.filter((p) => !readsJoins(p));
    const joined = parts.filter(readsJoins);
    const freeSet = ident(`f${i}`);
    if (free.length > 0) ctes.push(d.materialized(freeSet, f.rowSet(anyOf(free), sql`spans`, nearby)));
    const notYet = free.length > 0 ? sql` AND trace_id NOT IN (SELECT trace_id FROM ${freeSet})` : sql``;
    candidates.push(sql`${f.rowSet(weakened(anyOf(joined)), sql`spans`, nearby)}${notYet}`);
    const joinedSet = sql`trace_id IN (${f.rowSet(anyOf(joined), sql`s`, sql`true`)})`;
    return sql`, (${free.length > 0 ? sql`trace_id IN (SELECT trace_id FROM ${freeSet}) OR ` : sql``}${joinedSet}) AS ${ident(`c${i}`)}`;
  });
  if (candidates.length > 0) {
    ctes.push(d.materialized(sql`k`, join(candidates, sql` UNION `)));
    ctes.push(joinedSpans(plan.needs, nearby, sql`k`, d));
  }
  return sql`
    ${join(
      ctes.map((c) => sql`${c},`),
      sql``,
    )}
    t AS (SELECT trace_id, first_start AS matched, trace_time, ${join(
      facts.map((c) => sql`${rowColumn(c)}, `),
      sql``,
    )}
                 last_end - first_start AS trace_duration${order}${join(leaves, sql``)}
          FROM ${rows(filed, facts)} AS r),
    matches AS (SELECT * FROM t WHERE ${f.predicate})`;
}

/**
 * CTEs ending in `matches (trace_id, matched, trace_time)`: the traces of the window the filter
 * selects, each with the time it is matched (and ordered) on. From trace rows where the store
 * keeps them and they answer the selection (`matchingRows`). Else, unfiltered, one grouped scan of
 * the window; filtered, the traces of the window that can match (candidates) are read whole (only
 * the columns the plan reads), joined (`joinedSpans`), aggregated per trace, and tested.
 */
export function matchingTraces(q: SummaryQuery | TraceSelection, d: SqlDialect, rows?: TraceRows): SqlFragment {
  if (rows && rowsAnswer(q)) return matchingRows(q, d, rows);
  return matchingSpans(q, d);
}

/**
 * `matches` from trace rows, with `columns` of each trace's row kept (`trace_id`, `matched`,
 * `trace_time` and those): for aggregates over the selected traces that rows hold.
 */
export function matchingTraceRows(q: TraceSelection, d: SqlDialect, rows: TraceRows, columns: readonly TraceRowColumn[]): SqlFragment {
  if (!rowsAnswer(q)) throw new Error('trace rows answer TraceId windows only');
  return matchingRows(q, d, rows, columns);
}

function matchingSpans(q: SummaryQuery | TraceSelection, d: SqlDialect): SqlFragment {
  if ('order' in q && q.order) throw new Error('a ranked page is answered from trace rows, in TraceId windows only');
  const w = window(q);
  if (!q.filter) {
    return sql`matches AS (SELECT trace_id, ${w.matched} AS matched, max(trace_time) AS trace_time FROM spans WHERE ${w.where} GROUP BY trace_id)`;
  }
  const { plan } = q.filter;
  const f = compilePlan(plan, spread(q), d);
  const nearby = near(q);
  return sql`
    ${d.materialized(
      sql`cand`,
      sql`SELECT trace_id, ${w.matched} AS matched, max(trace_time) AS trace_time FROM spans
          WHERE ${w.where} AND ${f.candidates(nearby)} GROUP BY trace_id`,
    )},
    ${joinedSpans(plan.needs, nearby, sql`cand`, d)},
    facts AS (SELECT trace_id, ${join([...f.aggregates])} FROM s GROUP BY trace_id),
    matches AS (SELECT trace_id, matched, trace_time FROM facts JOIN cand USING (trace_id) WHERE ${f.predicate})`;
}

function after(cursor: SummaryCursor | null): SqlFragment {
  return cursor ? sql`AND (matched < ${cursor.time} OR (matched = ${cursor.time} AND trace_id < ${cursor.traceId}))` : sql``;
}

/**
 * A page of trace IDs, newest first, one more than the page holds (to tell whether another
 * follows); from trace rows where the store keeps them and they answer the selection.
 */
export function pageQuery(q: SummaryQuery, d: SqlDialect, rows?: TraceRows, cut?: number | null): SqlFragment {
  const joins = (rows && rowsAnswer(q)) || (q.filter && (q.filter.plan.needs.root || q.filter.plan.needs.callee));
  const order = q.order
    ? sql`sort_value ${q.order.dir === 'asc' ? sql`ASC` : sql`DESC`} NULLS LAST, trace_id DESC`
    : sql`matched DESC, trace_id DESC`;
  const above = cut === undefined || cut === null ? sql`` : sql`AND matched >= ${cut}`;
  return sql`WITH ${matchingTraces(q, d, rows)}
    SELECT trace_id, matched, trace_time FROM matches WHERE true ${q.order ? sql`` : after(q.after)} ${above}
    ORDER BY ${order} LIMIT ${q.limit + 1}${joins ? d.nullJoins : sql``}`;
}

/**
 * Whether a page is found faster in two steps (`pageCutQuery`, then `pageQuery` with its cut):
 * newest first over the unfiltered trace rows, where the top-N would otherwise carry the trace ID
 * text of every row of the window; a bound on the first start lets the scan skip all but the
 * newest row groups.
 */
export function pagesByCut(q: SummaryQuery, rows?: TraceRows): boolean {
  return !q.order && !q.filter && rows !== undefined && rowsAnswer(q);
}

/** The first start of the last trace a page holds (its `limit + 1`-th, ties included by `>=`); no row when fewer match. */
export function pageCutQuery(q: SummaryQuery, d: SqlDialect, rows: TraceRows): SqlFragment {
  return sql`WITH ${matchingTraces(q, d, rows)}
    SELECT matched FROM matches WHERE true ${after(q.after)} ORDER BY matched DESC LIMIT 1 OFFSET ${q.limit}${d.nullJoins}`;
}

/**
 * The `limit` selected traces of largest root response time, ties by trace ID descending, with
 * `matched` (first start), `rt`, `fault`, `error` and `total` (the traces selected); a trace
 * without a response time sorts last. From trace rows (`TraceId` windows).
 */
export function pointsQuery(q: TraceSelection, limit: number, d: SqlDialect, rows: TraceRows): SqlFragment {
  const ranked: SummaryQuery = { ...q, rangeType: 'TraceId', limit, after: null, order: { by: 'responsetime', dir: 'desc' } };
  return sql`WITH ${matchingRows(ranked, d, rows, ['fault', 'error'])}
    SELECT trace_id, matched, sort_value AS rt, root_fault AS fault, root_error AS error, count(*) OVER () AS total
    FROM matches ORDER BY sort_value DESC NULLS LAST, trace_id DESC LIMIT ${limit}${d.nullJoins}`;
}

/** Traces in the window, matched by the filter or not (`TracesProcessedCount`). */
export function processedQuery(q: TraceSelection, d: SqlDialect, rows?: TraceRows): SqlFragment {
  if (rows && rowsAnswer(q)) return sql`SELECT ${d.count()} AS n FROM ${rows(window(q).where, [])} AS t${d.nullJoins}`;
  return sql`SELECT ${d.countDistinct(sql`trace_id`)} AS n FROM spans WHERE ${window(q).where}`;
}

/** Trace rows computed from the spans, for a store that keeps none (and the golden files). */
export function spanTraceRows(d: SqlDialect): TraceRows {
  return (filed, facts) => sql`(${traceRowsOf(filed, d, facts)})`;
}
