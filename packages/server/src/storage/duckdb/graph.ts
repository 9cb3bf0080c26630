import type { DuckDBConnection } from '@duckdb/node-api';
import type { Expr, GraphNode, GraphStats, HistogramBucket, NodeRef, Selector, ServiceGraph } from '@fluoro/core';
import { nodeKey } from '@fluoro/core';
import type { GraphScope, TimeSeriesPoint } from '../api/index.js';
import { inList, join, sql, type SqlFragment } from '../sql.js';
import { query } from './connection.js';
import { inferredCalls } from './relations.js';

export function scopePredicate(scope: GraphScope): SqlFragment {
  return 'range' in scope
    ? sql`start_time >= ${scope.range.start} AND start_time < ${scope.range.end}`
    : sql`trace_id IN ${inList([...scope.traceIds])}`;
}

/**
 * One row per (node or edge, millisecond bucket of duration): counts by outcome, summed response
 * time and the time span covered. Every event of the graph is one of:
 * - a service's own segment (node statistics);
 * - a root segment, seen from its `client` node (client edge);
 * - the span through which a service called an instrumented service (edge, caller's timing);
 * - a call to a downstream node that sent no segment: both the edge and the inferred node.
 */
function graphEvents(scope: GraphScope, options: { period?: number; where?: SqlFragment } = {}): SqlFragment {
  const bucket = options.period ? sql`floor(start_time / ${options.period}) * ${options.period}` : sql`0`;
  return sql`
    WITH s AS MATERIALIZED (
      SELECT trace_id, id, parent_id, is_segment, service, service_type, start_time,
             coalesce(end_time, start_time) AS end_time, error, fault, throttle, account_id,
             downstream_name, downstream_type
      FROM spans WHERE ${scopePredicate(scope)}
    ),
    seg AS (SELECT * FROM s WHERE is_segment),
    inferred AS ${inferredCalls(sql`s`)},
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
           count(*)::INTEGER AS n,
           (count(*) FILTER (WHERE fault))::INTEGER AS faults,
           (count(*) FILTER (WHERE NOT fault AND throttle))::INTEGER AS throttles,
           (count(*) FILTER (WHERE NOT fault AND NOT throttle AND error))::INTEGER AS errors,
           sum(end_time - start_time) AS response_time,
           min(start_time) AS first_start, max(end_time) AS last_end,
           max(account_id) AS account_id
    FROM ev WHERE ${options.where ?? sql`true`} GROUP BY ALL`;
}

interface Acc {
  node: NodeRef;
  target: NodeRef | null;
  total: number;
  ok: number;
  error: number;
  throttle: number;
  fault: number;
  responseTime: number;
  start: number;
  end: number;
  accountId: string | null;
  /** Sends segments of its own (else it is only known from its callers). */
  active: boolean;
  histogram: HistogramBucket[];
}

export async function serviceGraph(conn: DuckDBConnection, scope: GraphScope): Promise<ServiceGraph> {
  const rows = await query(conn, graphEvents(scope));
  const nodes = new Map<string, Acc>();
  const edges = new Map<string, Acc>();
  const roots = new Set<string>();
  for (const r of rows) {
    const a: NodeRef = { name: r['a_name'] as string, type: r['a_type'] as string };
    const isEdge = r['kind'] === 'edge';
    const b: NodeRef | null = isEdge ? { name: r['b_name'] as string, type: r['b_type'] as string } : null;
    const key = b ? `${nodeKey(a)}\u0001${nodeKey(b)}` : nodeKey(a);
    const map = isEdge ? edges : nodes;
    let acc = map.get(key);
    if (!acc) {
      acc = {
        node: a,
        target: b,
        total: 0,
        ok: 0,
        error: 0,
        throttle: 0,
        fault: 0,
        responseTime: 0,
        start: Infinity,
        end: -Infinity,
        accountId: null,
        active: false,
        histogram: [],
      };
      map.set(key, acc);
    }
    const n = r['n'] as number;
    const faults = r['faults'] as number;
    const throttles = r['throttles'] as number;
    const errors = r['errors'] as number;
    acc.total += n;
    acc.fault += faults;
    acc.throttle += throttles;
    acc.error += errors;
    acc.ok += n - faults - throttles - errors;
    acc.responseTime += r['response_time'] as number;
    acc.start = Math.min(acc.start, r['first_start'] as number);
    acc.end = Math.max(acc.end, r['last_end'] as number);
    acc.accountId ??= (r['account_id'] as string | null) ?? null;
    if (r['kind'] === 'service') acc.active = true;
    acc.histogram.push({ value: r['bucket'] as number, count: n });
    if (b && a.type === 'client') roots.add(nodeKey(b));
  }

  const out = new Map<string, GraphNode>();
  for (const [key, acc] of nodes) {
    const histogram = sortBuckets(acc.histogram);
    out.set(key, {
      ...acc.node,
      root: roots.has(key),
      state: acc.active ? 'active' : 'unknown',
      accountId: acc.accountId,
      startTime: acc.start,
      endTime: acc.end,
      stats: statsOf(acc),
      responseTimeHistogram: histogram,
      durationHistogram: histogram,
    });
  }
  for (const acc of edges.values()) {
    for (const ref of [acc.node, acc.target!]) {
      const key = nodeKey(ref);
      const existing = out.get(key);
      if (!existing) {
        out.set(key, {
          ...ref,
          root: false,
          state: 'unknown',
          accountId: null,
          startTime: acc.start,
          endTime: acc.end,
          stats: null,
          responseTimeHistogram: [],
          durationHistogram: [],
        });
      } else if (existing.stats === null) {
        out.set(key, { ...existing, startTime: Math.min(existing.startTime, acc.start), endTime: Math.max(existing.endTime, acc.end) });
      }
    }
  }
  return {
    nodes: [...out.values()],
    edges: [...edges.values()].map((acc) => ({
      source: acc.node,
      target: acc.target!,
      startTime: acc.start,
      endTime: acc.end,
      stats: statsOf(acc),
      responseTimeHistogram: sortBuckets(acc.histogram),
    })),
  };
}

function statsOf(acc: Acc): GraphStats {
  return { total: acc.total, ok: acc.ok, error: acc.error, throttle: acc.throttle, fault: acc.fault, totalResponseTime: acc.responseTime };
}

function sortBuckets(buckets: HistogramBucket[]): HistogramBucket[] {
  const merged = new Map<number, number>();
  for (const b of buckets) merged.set(b.value, (merged.get(b.value) ?? 0) + b.count);
  return [...merged].sort((x, y) => x[0] - y[0]).map(([value, count]) => ({ value, count }));
}

/**
 * Statistics of selected nodes or edges per time bucket (GetTimeSeriesServiceStatistics). The
 * selector is a predicate over graph events (`entitySelector`); its kind says which statistics
 * the buckets carry.
 */
export async function serviceTimeSeries(
  conn: DuckDBConnection,
  range: { start: number; end: number },
  period: number,
  selector: { kind: 'service' | 'edge'; where: SqlFragment },
): Promise<TimeSeriesPoint[]> {
  const rows = await query(conn, graphEvents({ range }, { period, where: selector.where }));
  const points = new Map<number, Acc>();
  for (const r of rows) {
    const ts = r['ts'] as number;
    let acc = points.get(ts);
    if (!acc) {
      acc = {
        node: { name: '', type: '' },
        target: null,
        total: 0,
        ok: 0,
        error: 0,
        throttle: 0,
        fault: 0,
        responseTime: 0,
        start: Infinity,
        end: -Infinity,
        accountId: null,
        active: false,
        histogram: [],
      };
      points.set(ts, acc);
    }
    const n = r['n'] as number;
    acc.total += n;
    acc.fault += r['faults'] as number;
    acc.throttle += r['throttles'] as number;
    acc.error += r['errors'] as number;
    acc.ok += n - (r['faults'] as number) - (r['throttles'] as number) - (r['errors'] as number);
    acc.responseTime += r['response_time'] as number;
    acc.histogram.push({ value: r['bucket'] as number, count: n });
  }
  return [...points]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, acc]) => ({
      timestamp,
      kind: selector.kind,
      stats: statsOf(acc),
      responseTimeHistogram: sortBuckets(acc.histogram),
    }));
}

/**
 * An entity selector (the service / edge / id subset, spec §4.4) as a predicate on graph events.
 * No selector means the client edges: every request that entered the system.
 */
export function entitySelector(e: Expr | null): { kind: 'service' | 'edge'; where: SqlFragment } {
  if (!e) return { kind: 'edge', where: sql`kind = 'edge' AND a_type = 'client'` };
  switch (e.kind) {
    case 'service':
      if (e.filter) throw new Error('an entity selector takes no { filter }');
      return {
        kind: 'service',
        where: sql`(kind IN ('service', 'inferred') AND ${selects(e.selector, sql`a_name`, sql`a_type`, sql`account_id`)})`,
      };
    case 'edge':
      if (e.filter) throw new Error('an entity selector takes no { filter }');
      return {
        kind: 'edge',
        where: sql`(kind = 'edge' AND ${selects(e.from, sql`a_name`, sql`a_type`, null)} AND ${selects(e.to, sql`b_name`, sql`b_type`, null)})`,
      };
    case 'or': {
      const a = entitySelector(e.left);
      const b = entitySelector(e.right);
      if (a.kind !== b.kind) throw new Error('an entity selector cannot mix service(...) and edge(...)');
      return { kind: a.kind, where: sql`(${a.where} OR ${b.where})` };
    }
    default:
      throw new Error('an entity selector is service(...), edge(...), or several of one kind joined with OR');
  }
}

function selects(sel: Selector | null, nameCol: SqlFragment, typeCol: SqlFragment, account: SqlFragment | null): SqlFragment {
  if (!sel) return sql`true`;
  if (sel.kind === 'name') return sql`${nameCol} = ${sel.name}`;
  const parts: SqlFragment[] = [sql`true`];
  if (sel.name !== undefined) parts.push(sql`${nameCol} = ${sel.name}`);
  if (sel.type !== undefined) parts.push(sql`${typeCol} = ${sel.type}`);
  if (sel.accountId !== undefined) parts.push(account ? sql`${account} = ${sel.accountId}` : sql`false`);
  return sql`(${join(parts, sql` AND `)})`;
}
