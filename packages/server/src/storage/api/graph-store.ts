import type { GraphStats, HistogramBucket, ServiceGraph } from '@fluoro/core';
import type { SelectorPlan } from '../../query/plan.js';
import type { TimeRange } from './time.js';

/** The events a graph is drawn from: those whose span starts in a window, or those of whole traces. */
export type GraphScope = { readonly range: TimeRange } | { readonly traceIds: readonly string[] };

export interface TimeSeriesPoint {
  /** Start of the bucket, epoch seconds. */
  readonly timestamp: number;
  /** Node (`service`) or edge statistics. */
  readonly kind: 'service' | 'edge';
  readonly stats: GraphStats;
  readonly responseTimeHistogram: readonly HistogramBucket[];
}

/**
 * The service graph and its statistics over time, computed per X-Ray's rules (spec §1.12): node
 * statistics from each service's own segments, edge statistics from the caller's spans, an
 * inferred node for each downstream call no segment answered, a `client` node for each root
 * service; fault (5xx) > throttle (429) > error (4xx) > ok. A window counts the events whose
 * span starts in it (a call's: the caller's span), each related within its whole trace (as far as
 * `TRACE_SPREAD_SECONDS` from the window): a caller just before the window still makes its callee
 * a callee, not a root, so the events of adjacent windows add up to those of both together.
 * Reads see every resolved write.
 */
export interface ServiceGraphReader {
  /** Nodes and edges in no particular order; both empty for a scope without spans. */
  getServiceGraph(scope: GraphScope): Promise<ServiceGraph>;

  /**
   * Statistics per `period` seconds of the graph events an entity selector picks (`SelectorPlan`:
   * a node's own events, an edge's calls, or — `client` — every request entering the system).
   * Buckets without events are left out; ordered by time.
   */
  getServiceTimeSeries(range: TimeRange, period: number, selector: SelectorPlan): Promise<TimeSeriesPoint[]>;
}
