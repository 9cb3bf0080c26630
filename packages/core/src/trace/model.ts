import type { NodeRef, Span, TraceSpan } from '../model/span.js';
import type { ServiceRef } from '../model/summary.js';

/** A segment of a node, or an inferred node's one "segment" (the unanswered call to it). */
export interface NodeRow<S extends TraceSpan = Span> {
  readonly node: ServiceRef;
  readonly span: S;
  readonly inferred: boolean;
  /** The trace's entry point (a root segment). */
  readonly root: boolean;
}

/** One call on an edge, measured by the caller's span (for the client edge, the root segment). */
export interface EdgeRow<S extends TraceSpan = Span> {
  readonly from: NodeRef;
  readonly to: NodeRef;
  readonly span: S;
}

/**
 * One trace, arranged the way X-Ray's query semantics need it (spec §1.12, §6.7). The store's SQL
 * derives the same relations; the differential test holds the two to the same answers.
 */
export interface TraceModel<S extends TraceSpan = Span> {
  readonly traceId: string;
  readonly spans: readonly S[];
  readonly byId: ReadonlyMap<string, S>;
  /** Segments whose parent is not in the trace, earliest first. */
  readonly roots: readonly S[];
  /** The earliest root segment: the trace's response time, status and HTTP facts are its. */
  readonly root: S | null;
  readonly rootIds: ReadonlySet<string>;
  /** IDs of spans that a segment answers (calls to instrumented services). */
  readonly answered: ReadonlySet<string>;
  /** Calls to downstream nodes that no segment answered, by a known service. */
  readonly inferredCalls: readonly S[];
  readonly nodes: readonly NodeRow<S>[];
  readonly edges: readonly EdgeRow<S>[];
  readonly startTime: number;
  readonly duration: number;
  readonly partial: boolean;
  /** Any segment, or any call to a downstream node, was throttled. */
  readonly throttled: boolean;
  /** Children of a span: its subsegments, and the segments that answer it. */
  children(id: string): readonly S[];
}

export function spanDuration(s: TraceSpan): number | null {
  return s.endTime === null ? null : s.endTime - s.startTime;
}

export function buildTraceModel<S extends TraceSpan>(spans: readonly S[]): TraceModel<S> {
  const byId = new Map<string, S>();
  for (const s of spans) byId.set(s.id, s);
  const children = new Map<string, S[]>();
  const answered = new Set<string>();
  let start = Infinity;
  let end = -Infinity;
  let partial = false;
  let throttled = false;
  for (const s of byId.values()) {
    start = Math.min(start, s.startTime);
    end = Math.max(end, s.endTime ?? s.startTime);
    if (s.inProgress) partial = true;
    if (s.throttle && (s.kind === 'segment' || s.downstream)) throttled = true;
    if (s.parentId === null) continue;
    if (s.kind === 'segment') answered.add(s.parentId);
    const list = children.get(s.parentId);
    if (list) list.push(s);
    else children.set(s.parentId, [s]);
  }
  const all = [...byId.values()];
  const roots = all
    .filter((s) => s.kind === 'segment' && (s.parentId === null || !byId.has(s.parentId)))
    .sort((a, b) => a.startTime - b.startTime);
  const rootIds = new Set(roots.map((s) => s.id));
  const inferredCalls = all.filter((s) => s.downstream !== null && s.owner !== null && !answered.has(s.id));
  const nodes: NodeRow<S>[] = [];
  const edges: EdgeRow<S>[] = [];
  for (const s of all) {
    if (s.kind !== 'segment') continue;
    const node = { name: s.owner!.service, type: s.owner!.serviceType, accountId: s.accountId };
    nodes.push({ node, span: s, inferred: false, root: rootIds.has(s.id) });
    const parent = s.parentId === null ? undefined : byId.get(s.parentId);
    if (!parent) edges.push({ from: { name: node.name, type: 'client' }, to: node, span: s });
    else if (parent.owner) edges.push({ from: { name: parent.owner.service, type: parent.owner.serviceType }, to: node, span: parent });
  }
  for (const c of inferredCalls) {
    const node = { name: c.downstream!.name, type: c.downstream!.type, accountId: null };
    nodes.push({ node, span: c, inferred: true, root: false });
    edges.push({ from: { name: c.owner!.service, type: c.owner!.serviceType }, to: node, span: c });
  }
  return {
    traceId: all[0]?.traceId ?? '',
    spans: all,
    byId,
    roots,
    root: roots[0] ?? null,
    rootIds,
    answered,
    inferredCalls,
    nodes,
    edges,
    startTime: Number.isFinite(start) ? start : 0,
    duration: Number.isFinite(start) ? Math.max(0, end - start) : 0,
    partial,
    throttled,
    children: (id) => children.get(id) ?? [],
  };
}
