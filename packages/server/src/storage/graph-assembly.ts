import { nodeKey, type GraphNode, type GraphStats, type HistogramBucket, type NodeRef, type ServiceGraph } from '@fluoro/core';
import type { TimeSeriesPoint } from './api/index.js';

/**
 * Events of the service graph, counted: one row of SQL's graph-event aggregation (`sql/graph.ts`)
 * or one span (the memory backend). Every event is one of:
 * - `service`: a service's own segment (node statistics);
 * - `inferred`: a call no segment answered, standing for the downstream node's segment;
 * - `edge`: a root segment seen from its `client` node, the caller's span of a call to an
 *   instrumented service, or the call to an inferred node.
 */
export interface GraphEvents {
  readonly kind: 'service' | 'inferred' | 'edge';
  readonly a: NodeRef;
  /** The callee, for edges. */
  readonly b: NodeRef | null;
  readonly count: number;
  readonly faults: number;
  /** Throttled and not faulted. */
  readonly throttles: number;
  /** Errors that are neither faults nor throttles. */
  readonly errors: number;
  /** Summed durations, seconds. */
  readonly responseTime: number;
  readonly firstStart: number;
  readonly lastEnd: number;
  /** The node's account (segments only). */
  readonly accountId: string | null;
  /** The events' duration, rounded to the millisecond: their histogram bucket. */
  readonly bucket: number;
}

class Acc {
  total = 0;
  fault = 0;
  throttle = 0;
  error = 0;
  responseTime = 0;
  start = Infinity;
  end = -Infinity;
  accountId: string | null = null;
  /** Sends segments of its own (else it is only known from its callers). */
  active = false;
  readonly histogram = new Map<number, number>();

  constructor(
    readonly node: NodeRef,
    readonly target: NodeRef | null,
  ) {}

  add(e: GraphEvents): void {
    this.total += e.count;
    this.fault += e.faults;
    this.throttle += e.throttles;
    this.error += e.errors;
    this.responseTime += e.responseTime;
    this.start = Math.min(this.start, e.firstStart);
    this.end = Math.max(this.end, e.lastEnd);
    // One node is seen under several accounts only by misconfiguration; the greatest is kept, so
    // that the answer does not depend on the order events come in.
    if (e.accountId !== null && (this.accountId === null || e.accountId > this.accountId)) this.accountId = e.accountId;
    if (e.kind === 'service') this.active = true;
    this.histogram.set(e.bucket, (this.histogram.get(e.bucket) ?? 0) + e.count);
  }

  stats(): GraphStats {
    const { total, error, throttle, fault, responseTime } = this;
    return { total, ok: total - fault - throttle - error, error, throttle, fault, totalResponseTime: responseTime };
  }

  buckets(): HistogramBucket[] {
    return [...this.histogram].sort((x, y) => x[0] - y[0]).map(([value, count]) => ({ value, count }));
  }
}

/**
 * The service graph of counted events, as X-Ray draws it: a node per service or inferred node
 * with its own events' statistics, an edge per caller → callee with the callers' statistics, and
 * the nodes known only as an edge's end (clients; callers with no segment in scope) without
 * statistics. Nodes and edges in no particular order.
 */
export function assembleGraph(events: Iterable<GraphEvents>): ServiceGraph {
  const nodes = new Map<string, Acc>();
  const edges = new Map<string, Acc>();
  const roots = new Set<string>();
  for (const e of events) {
    const [map, key] = e.b ? [edges, `${nodeKey(e.a)}\u0001${nodeKey(e.b)}`] : [nodes, nodeKey(e.a)];
    let acc = map.get(key);
    if (!acc) map.set(key, (acc = new Acc(e.a, e.b)));
    acc.add(e);
    if (e.b && e.a.type === 'client') roots.add(nodeKey(e.b));
  }
  const out = new Map<string, GraphNode>();
  for (const [key, acc] of nodes) {
    const histogram = acc.buckets();
    out.set(key, {
      ...acc.node,
      root: roots.has(key),
      state: acc.active ? 'active' : 'unknown',
      accountId: acc.accountId,
      startTime: acc.start,
      endTime: acc.end,
      stats: acc.stats(),
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
      stats: acc.stats(),
      responseTimeHistogram: acc.buckets(),
    })),
  };
}

/** Statistics per time bucket of the events a selector picked, oldest first; empty buckets left out. */
export function assembleTimeSeries(
  events: Iterable<GraphEvents & { readonly timestamp: number }>,
  kind: 'service' | 'edge',
): TimeSeriesPoint[] {
  const points = new Map<number, Acc>();
  for (const e of events) {
    let acc = points.get(e.timestamp);
    if (!acc) points.set(e.timestamp, (acc = new Acc(e.a, null)));
    acc.add(e);
  }
  return [...points]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, acc]) => ({ timestamp, kind, stats: acc.stats(), responseTimeHistogram: acc.buckets() }));
}
