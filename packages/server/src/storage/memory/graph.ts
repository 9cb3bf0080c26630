import {
  buildTraceModel,
  nodeKey,
  outcomeOf,
  type GraphNode,
  type GraphStats,
  type HistogramBucket,
  type NodeRef,
  type ServiceGraph,
  type Span,
} from '@fluoro/core';
import type { NodeMatch, SelectorPlan } from '../../query/plan.js';
import type { GraphScope, TimeRange, TimeSeriesPoint } from '../api/index.js';
import type { SpanTable } from './span-table.js';

/**
 * One event of the service graph (graph.ts `graphEvents` in DuckDB), measured by one span:
 * - `service`: a service's own segment (node statistics);
 * - `inferred`: a call no segment answered, standing for the downstream node's segment;
 * - `edge`: a root segment seen from its `client` node, the caller's span of a call to an
 *   instrumented service, or the call to an inferred node.
 * Core's trace model already gives exactly these relations, built from the spans in scope only:
 * a caller outside the scope makes its callee a root, a segment outside it answers nothing.
 */
interface GraphEvent {
  readonly kind: 'service' | 'inferred' | 'edge';
  readonly a: NodeRef;
  readonly b: NodeRef | null;
  /** The node's account (segments only): what `id(account.id: …)` selects. */
  readonly accountId: string | null;
  readonly span: Span;
}

function graphEvents(table: SpanTable, scope: GraphScope): GraphEvent[] {
  const traces: Array<readonly Span[]> = [];
  if ('range' in scope) {
    const { start, end } = scope.range;
    for (const [, spans] of table.traces()) {
      const inScope = spans.filter((s) => s.startTime >= start && s.startTime < end);
      if (inScope.length > 0) traces.push(inScope);
    }
  } else {
    for (const traceId of new Set(scope.traceIds)) {
      const spans = table.trace(traceId);
      if (spans) traces.push(spans);
    }
  }
  const events: GraphEvent[] = [];
  for (const spans of traces) {
    const model = buildTraceModel(spans);
    for (const n of model.nodes) {
      events.push({
        kind: n.inferred ? 'inferred' : 'service',
        a: { name: n.node.name, type: n.node.type },
        b: null,
        accountId: n.inferred ? null : n.span.accountId,
        span: n.span,
      });
    }
    for (const e of model.edges) {
      events.push({ kind: 'edge', a: e.from, b: { name: e.to.name, type: e.to.type }, accountId: null, span: e.span });
    }
  }
  return events;
}

/** A span in progress has lasted nothing yet (DuckDB: `coalesce(end_time, start_time)`). */
function endOf(s: Span): number {
  return s.endTime ?? s.startTime;
}

/** DuckDB's `round(x, 3)` on a double: `std::round(x * 1000) / 1000`, halves away from zero. */
export function roundMs(x: number): number {
  const scaled = x * 1000;
  return (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) / 1000;
}

class Acc {
  total = 0;
  ok = 0;
  error = 0;
  throttle = 0;
  fault = 0;
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

  add(e: GraphEvent): void {
    const s = e.span;
    const end = endOf(s);
    const duration = end - s.startTime;
    this.total++;
    this[outcomeOf(s)]++;
    this.responseTime += duration;
    this.start = Math.min(this.start, s.startTime);
    this.end = Math.max(this.end, end);
    // One node can be seen under several accounts only by misconfiguration; the greatest is kept
    // (DuckDB's max()) so the answer does not depend on scan order.
    if (e.accountId !== null && (this.accountId === null || e.accountId > this.accountId)) this.accountId = e.accountId;
    if (e.kind === 'service') this.active = true;
    const bucket = roundMs(duration);
    this.histogram.set(bucket, (this.histogram.get(bucket) ?? 0) + 1);
  }

  stats(): GraphStats {
    const { total, ok, error, throttle, fault, responseTime } = this;
    return { total, ok, error, throttle, fault, totalResponseTime: responseTime };
  }

  buckets(): HistogramBucket[] {
    return [...this.histogram].sort((x, y) => x[0] - y[0]).map(([value, count]) => ({ value, count }));
  }
}

const edgeKey = (a: NodeRef, b: NodeRef): string => `${nodeKey(a)}\u0001${nodeKey(b)}`;

export function serviceGraph(table: SpanTable, scope: GraphScope): ServiceGraph {
  const nodes = new Map<string, Acc>();
  const edges = new Map<string, Acc>();
  const roots = new Set<string>();
  for (const e of graphEvents(table, scope)) {
    const [map, key] = e.b ? [edges, edgeKey(e.a, e.b)] : [nodes, nodeKey(e.a)];
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
  // Clients, and callers with no segment in scope, exist only as ends of edges: no statistics.
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

/**
 * Statistics of the events an entity selector picks, per `period` seconds of their start
 * (`floor(start / period) * period`, as DuckDB); buckets without events are left out.
 */
export function serviceTimeSeries(table: SpanTable, range: TimeRange, period: number, selector: SelectorPlan): TimeSeriesPoint[] {
  const selected = selectorEvents(selector);
  const points = new Map<number, Acc>();
  for (const e of graphEvents(table, { range })) {
    if (!selected.test(e)) continue;
    const ts = Math.floor(e.span.startTime / period) * period;
    let acc = points.get(ts);
    if (!acc) points.set(ts, (acc = new Acc({ name: '', type: '' }, null)));
    acc.add(e);
  }
  return [...points]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, acc]) => ({ timestamp, kind: selected.kind, stats: acc.stats(), responseTimeHistogram: acc.buckets() }));
}

interface EventSelection {
  readonly kind: 'service' | 'edge';
  test(e: GraphEvent): boolean;
}

/** The graph events a selector plan picks (see `SelectorPlan`; the SQL twin is `storage/sql/graph.ts`). */
function selectorEvents(plan: SelectorPlan): EventSelection {
  switch (plan.kind) {
    case 'client':
      return { kind: 'edge', test: (x) => x.kind === 'edge' && x.a.type === 'client' };
    case 'service':
      return { kind: 'service', test: (x) => x.kind !== 'edge' && plan.nodes.some((n) => selects(n, x.a, x.accountId)) };
    case 'edge':
      // Edges carry no account: a selector asking for one picks no edge.
      return {
        kind: 'edge',
        test: (x) => x.kind === 'edge' && plan.edges.some((m) => selects(m.from, x.a, null) && selects(m.to, x.b!, null)),
      };
  }
}

/** Node identity against a selector's match: each part given must match. */
function selects(m: NodeMatch, node: NodeRef, accountId: string | null): boolean {
  return (
    (m.name === undefined || node.name === m.name) &&
    (m.type === undefined || node.type === m.type) &&
    (m.accountId === undefined || (accountId !== null && accountId === m.accountId))
  );
}
