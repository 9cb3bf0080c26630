import type { NodeRef } from './span.js';

/** Request counts by outcome plus summed response time (seconds), as X-Ray reports them. */
export interface GraphStats {
  readonly total: number;
  readonly ok: number;
  /** 4xx other than 429. */
  readonly error: number;
  /** 429; X-Ray counts throttles inside its error statistics. */
  readonly throttle: number;
  /** 5xx. */
  readonly fault: number;
  readonly totalResponseTime: number;
}

/** One histogram bucket: `count` observations of `value` seconds (rounded to the millisecond). */
export interface HistogramBucket {
  readonly value: number;
  readonly count: number;
}

export interface GraphNode extends NodeRef {
  /** Serves requests that came from outside (has an edge from a `client` node). */
  readonly root: boolean;
  /** `active` when the node sends segments of its own; `unknown` for clients and inferred nodes. */
  readonly state: 'active' | 'unknown';
  readonly accountId: string | null;
  readonly startTime: number;
  readonly endTime: number;
  /** Null for `client` nodes, which have only edge statistics. */
  readonly stats: GraphStats | null;
  readonly responseTimeHistogram: readonly HistogramBucket[];
  readonly durationHistogram: readonly HistogramBucket[];
}

export interface GraphEdge {
  readonly source: NodeRef;
  readonly target: NodeRef;
  readonly startTime: number;
  readonly endTime: number;
  readonly stats: GraphStats;
  readonly responseTimeHistogram: readonly HistogramBucket[];
}

export interface ServiceGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Identity of a node in maps and joins: type and name. */
export function nodeKey(node: NodeRef): string {
  return `${node.type}\u0000${node.name}`;
}
