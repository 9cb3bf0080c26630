import type { TimelineModel, TimelineSpan } from '../trace/timeline-model';
import { serviceOf } from './operations';

/**
 * Two traces compared structurally, as Jaeger's TraceDiff does: each trace's spans form a tree
 * (a span's children are its subsegments, the segments answering its calls and the inferred
 * segments of unanswered ones); the two trees are merged by the path of (service, operation)
 * from the root, siblings with the same service and name becoming one node with a count. Each
 * node is in A only, in B only, or in both, with counts, durations and the difference. Pure, so
 * it is tested without a browser.
 */

export type DiffState = 'only-a' | 'only-b' | 'both';

/** One trace's spans at a node. */
export interface DiffSide {
  readonly count: number;
  /** Sum of the spans' durations, seconds (a span in progress: until the trace's end). */
  readonly total: number;
  /** Sum of their own time: duration less the time covered by their children. */
  readonly self: number;
  readonly spanIds: readonly string[];
}

export interface DiffNode {
  /** The path from the root, unique in the diff: `service\u0000name` per level, `\u0001` between. */
  readonly key: string;
  readonly service: string;
  readonly name: string;
  readonly kind: TimelineSpan['kind'];
  readonly depth: number;
  readonly a: DiffSide | null;
  readonly b: DiffSide | null;
  readonly state: DiffState;
  /** A's total minus B's (a side without spans counts 0): positive where A is slower. */
  readonly delta: number;
  /** A's own time minus B's: where the difference is spent, not inherited from a child. */
  readonly selfDelta: number;
  readonly children: readonly DiffNode[];
}

export interface TraceDiff {
  readonly roots: readonly DiffNode[];
  /** Every node, depth first, children in order of first start. */
  readonly rows: readonly DiffNode[];
  readonly counts: Readonly<Record<DiffState, number>>;
  /** The nodes where A spends more of its own time than B, most first (at most `SLOWDOWNS`). */
  readonly slowdowns: readonly DiffNode[];
}

export const SLOWDOWNS = 10;
/** Nesting deeper than this is cut (a cycle of parent IDs would otherwise never end). */
const MAX_DEPTH = 500;

interface Tree {
  readonly model: TimelineModel;
  readonly children: ReadonlyMap<string, TimelineSpan[]>;
  readonly roots: TimelineSpan[];
}

function treeOf(model: TimelineModel): Tree {
  const children = new Map<string, TimelineSpan[]>();
  const roots: TimelineSpan[] = [];
  for (const s of model.spans.values()) {
    if (s.parentId && s.parentId !== s.id && model.spans.has(s.parentId)) {
      const list = children.get(s.parentId) ?? [];
      list.push(s);
      children.set(s.parentId, list);
    } else roots.push(s);
  }
  return { model, children, roots };
}

const endOf = (s: TimelineSpan, t: Tree) => s.end ?? t.model.end;

/** Duration less the union of the children's intervals, clipped to the span. */
function selfTime(s: TimelineSpan, t: Tree): number {
  const start = s.start;
  const end = endOf(s, t);
  const kids = (t.children.get(s.id) ?? [])
    .map((c) => [Math.max(start, c.start), Math.min(end, endOf(c, t))] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let cursor = start;
  for (const [a, b] of kids) {
    if (b <= cursor) continue;
    covered += b - Math.max(a, cursor);
    cursor = b;
  }
  return Math.max(0, end - start - covered);
}

interface Group {
  service: string;
  name: string;
  kind: TimelineSpan['kind'];
  a: TimelineSpan[];
  b: TimelineSpan[];
  /** Earliest start since its trace's start, either side. */
  offset: number;
}

function side(spans: readonly TimelineSpan[], t: Tree): DiffSide | null {
  if (spans.length === 0) return null;
  let total = 0;
  let self = 0;
  for (const s of spans) {
    total += endOf(s, t) - s.start;
    self += selfTime(s, t);
  }
  return { count: spans.length, total, self, spanIds: spans.map((s) => s.id) };
}

function merge(a: readonly TimelineSpan[], b: readonly TimelineSpan[], ta: Tree, tb: Tree, depth: number, path: string): DiffNode[] {
  const groups = new Map<string, Group>();
  const add = (spans: readonly TimelineSpan[], t: Tree, which: 'a' | 'b') => {
    for (const s of spans) {
      const service = serviceOf(s, t.model.spans) ?? '(no segment)';
      const key = `${service}\u0000${s.name}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { service, name: s.name, kind: s.kind, a: [], b: [], offset: Infinity }));
      g[which].push(s);
      g.offset = Math.min(g.offset, s.start - t.model.start);
    }
  };
  add(a, ta, 'a');
  add(b, tb, 'b');
  // By first start; at the same moment A's before B's, then by name, so the order is total.
  const ordered = [...groups.entries()].sort(
    ([ka, x], [kb, y]) => x.offset - y.offset || Number(y.a.length > 0) - Number(x.a.length > 0) || (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  return ordered.map(([k, g]) => {
    const key = path ? `${path}\u0001${k}` : k;
    const sa = side(g.a, ta);
    const sb = side(g.b, tb);
    const kids =
      depth >= MAX_DEPTH
        ? []
        : merge(
            g.a.flatMap((s) => ta.children.get(s.id) ?? []),
            g.b.flatMap((s) => tb.children.get(s.id) ?? []),
            ta,
            tb,
            depth + 1,
            key,
          );
    return {
      key,
      service: g.service,
      name: g.name,
      kind: g.kind,
      depth,
      a: sa,
      b: sb,
      state: sa && sb ? 'both' : sa ? 'only-a' : 'only-b',
      delta: (sa?.total ?? 0) - (sb?.total ?? 0),
      selfDelta: (sa?.self ?? 0) - (sb?.self ?? 0),
      children: kids,
    };
  });
}

export function diffTraces(a: TimelineModel, b: TimelineModel): TraceDiff {
  const ta = treeOf(a);
  const tb = treeOf(b);
  const roots = merge(ta.roots, tb.roots, ta, tb, 0, '');
  const rows: DiffNode[] = [];
  const walk = (n: DiffNode) => {
    rows.push(n);
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  const counts = { 'only-a': 0, 'only-b': 0, both: 0 };
  for (const n of rows) counts[n.state]++;
  const slowdowns = rows
    .filter((n) => n.selfDelta > 1e-6)
    .sort((x, y) => y.selfDelta - x.selfDelta)
    .slice(0, SLOWDOWNS);
  return { roots, rows, counts, slowdowns };
}
