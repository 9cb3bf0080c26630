import type { DuckDBConnection } from '@duckdb/node-api';
import type { GraphNode, GraphStats, HistogramBucket, NodeRef, ServiceGraph } from '@fluoro/core';
import { nodeKey } from '@fluoro/core';
import type { GraphScope, TimeSeriesPoint } from '../api/index.js';
import type { SqlFragment } from '../sql/fragment.js';
import { graphEvents } from '../sql/graph.js';
import { query } from './connection.js';
import { duckdbDialect } from './dialect.js';

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
  const rows = await query(conn, graphEvents(scope, duckdbDialect));
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
 * selector is a predicate over graph events (`selectorEvents`); its kind says which statistics
 * the buckets carry.
 */
export async function serviceTimeSeries(
  conn: DuckDBConnection,
  range: { start: number; end: number },
  period: number,
  selector: { kind: 'service' | 'edge'; where: SqlFragment },
): Promise<TimeSeriesPoint[]> {
  const rows = await query(conn, graphEvents({ range }, duckdbDialect, { period, where: selector.where }));
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
