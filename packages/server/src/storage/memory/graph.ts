import { buildTraceModel, outcomeOf, type NodeRef, type ServiceGraph, type Span } from '@fluoro/core';
import type { NodeMatch, SelectorPlan } from '../../query/plan.js';
import { TRACE_SPREAD_SECONDS, type GraphScope, type TimeRange, type TimeSeriesPoint } from '../api/index.js';
import { assembleGraph, assembleTimeSeries, type GraphEvents } from '../graph-assembly.js';
import type { SpanTable } from './span-table.js';

/**
 * One event of the service graph (graph.ts `graphEvents` in DuckDB), measured by one span:
 * - `service`: a service's own segment (node statistics);
 * - `inferred`: a call no segment answered, standing for the downstream node's segment;
 * - `edge`: a root segment seen from its `client` node, the caller's span of a call to an
 *   instrumented service, or the call to an inferred node.
 * Core's trace model gives exactly these relations, built from whole traces; a window keeps the
 * events whose span starts in it.
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
    // Whole traces filed near the window (as DuckDB's `filedNear`); only events starting in it count.
    const { start, end } = scope.range;
    for (const [, spans] of table.traces()) {
      const near = spans.filter((s) => s.traceTime >= start - TRACE_SPREAD_SECONDS && s.traceTime < end + TRACE_SPREAD_SECONDS);
      if (near.some((s) => s.startTime >= start && s.startTime < end)) traces.push(near);
    }
  } else {
    for (const traceId of new Set(scope.traceIds)) {
      const spans = table.trace(traceId);
      if (spans) traces.push(spans);
    }
  }
  const events: GraphEvent[] = [];
  const inWindow = (e: GraphEvent): boolean =>
    !('range' in scope) || (e.span.startTime >= scope.range.start && e.span.startTime < scope.range.end);
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
  return events.filter(inWindow);
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

/** One span's event, counted as SQL counts a group of them. */
function counted(e: GraphEvent, period = 0): GraphEvents & { timestamp: number } {
  const s = e.span;
  const end = endOf(s);
  const outcome = outcomeOf(s);
  return {
    kind: e.kind,
    a: e.a,
    b: e.b,
    count: 1,
    faults: outcome === 'fault' ? 1 : 0,
    throttles: outcome === 'throttle' ? 1 : 0,
    errors: outcome === 'error' ? 1 : 0,
    responseTime: end - s.startTime,
    firstStart: s.startTime,
    lastEnd: end,
    accountId: e.accountId,
    bucket: roundMs(end - s.startTime),
    timestamp: period ? Math.floor(s.startTime / period) * period : 0,
  };
}

export function serviceGraph(table: SpanTable, scope: GraphScope): ServiceGraph {
  return assembleGraph(graphEvents(table, scope).map((e) => counted(e)));
}

/**
 * Statistics of the events an entity selector picks, per `period` seconds of their start
 * (`floor(start / period) * period`, as DuckDB); buckets without events are left out.
 */
export function serviceTimeSeries(table: SpanTable, range: TimeRange, period: number, selector: SelectorPlan): TimeSeriesPoint[] {
  const selected = selectorEvents(selector);
  return assembleTimeSeries(
    graphEvents(table, { range })
      .filter((e) => selected.test(e))
      .map((e) => counted(e, period)),
    selected.kind,
  );
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
