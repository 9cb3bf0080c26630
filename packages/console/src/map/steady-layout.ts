/**
 * Keeping the map still between refreshes. ELK lays a graph out from scratch each time: one node
 * more and every node can move (layers re-centre, orders flip). So the map lays out from scratch
 * only the first time (and when asked to re-arrange); after that the nodes it drew stay where
 * they are and a new node is put where a fresh layout puts it relative to its neighbours, moved
 * off any node it would cover. ELK's interactive mode (`layering.strategy: INTERACTIVE`,
 * `crossingMinimization.semiInteractive`) was not enough: it keeps the layers and the order within
 * them, not the coordinates, which node placement still recomputes. Pure; `use-steady-layout.ts`
 * drives it.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Positions {
  readonly [id: string]: Point;
}

export interface Shape {
  readonly nodes: ReadonlyArray<{ readonly id: string }>;
  readonly edges: ReadonlyArray<{ readonly source: string; readonly target: string }>;
}

/** Same key, same nodes and edges: nothing to lay out. */
export function structureKey(g: Shape): string {
  const nodes = g.nodes.map((n) => n.id).sort();
  const edges = g.edges.map((e) => `${e.source}\u0000${e.target}`).sort();
  return `${nodes.join('\u0001')}\u0002${edges.join('\u0001')}`;
}

/** Size of a node as laid out, and the room kept between nodes. */
export interface Box {
  width: number;
  height: number;
  gap: number;
}

/** How the new positions came about: kept (no node new), carried over, or laid out afresh. */
export type Outcome = 'kept' | 'carried' | 'fresh';

/**
 * True when the positions the map has cannot be kept and the graph wants a fresh layout: there
 * are none yet, or fewer than half of the nodes have one (another time range, mostly other
 * nodes; placing most of them one by one would be worse than laying them out).
 */
export function wantsFresh(g: Shape, previous: Positions): boolean {
  const known = g.nodes.filter((n) => previous[n.id]).length;
  return known === 0 || known * 2 < g.nodes.length;
}

/** The nodes of `g` without a position in `previous`: what a layout is needed for. */
export function newNodes(g: Shape, previous: Positions): string[] {
  return g.nodes.filter((n) => !previous[n.id]).map((n) => n.id);
}

const overlaps = (a: Point, b: Point, box: Box) => Math.abs(a.x - b.x) < box.width + box.gap && Math.abs(a.y - b.y) < box.height + box.gap;

/**
 * The positions of `g`'s nodes: every node with a position in `previous` keeps it; a new node
 * takes its place in `fresh` (a layout of all of `g`) relative to the nodes it is connected to
 * that are placed already (the mean of what each of them says), or, where that would cover a
 * node, the nearest place up or down that covers none; new nodes connected to no placed node (a new group of services) keep
 * their fresh layout among themselves and go below everything placed. Deterministic: graph order.
 */
export function carryOver(g: Shape, previous: Positions, fresh: Positions, box: Box): Record<string, Point> {
  const placed: Record<string, Point> = {};
  for (const n of g.nodes) {
    const p = previous[n.id];
    if (p) placed[n.id] = { x: p.x, y: p.y };
  }
  const neighbours = new Map<string, string[]>();
  for (const e of g.edges) {
    if (e.source === e.target) continue;
    (neighbours.get(e.source) ?? neighbours.set(e.source, []).get(e.source)!).push(e.target);
    (neighbours.get(e.target) ?? neighbours.set(e.target, []).get(e.target)!).push(e.source);
  }
  const at = (id: string): Point => fresh[id] ?? { x: 0, y: 0 };
  const isFree = (p: Point) => Object.values(placed).every((q) => !overlaps(p, q, box));
  // The free place nearest to where the node wants to be: there, or just above or below a node in
  // its column, or whole rows away.
  const settle = (want: Point): Point => {
    const row = box.height + box.gap;
    const ys = [want.y];
    for (const q of Object.values(placed)) if (Math.abs(q.x - want.x) < box.width + box.gap) ys.push(q.y + row, q.y - row);
    for (let i = 1; i <= 60; i++) ys.push(want.y + i * row, want.y - i * row);
    const free = ys
      .map((y) => ({ x: want.x, y }))
      .filter(isFree)
      .sort((p, q) => Math.abs(p.y - want.y) - Math.abs(q.y - want.y) || q.y - p.y);
    return free[0] ?? below([want]);
  };
  const below = (points: Point[]): Point => {
    const ys = Object.values(placed).map((p) => p.y);
    return { x: points[0]!.x, y: (ys.length ? Math.max(...ys) : 0) + box.height + box.gap * 2 };
  };

  let pending = g.nodes.map((n) => n.id).filter((id) => !placed[id]);
  for (;;) {
    const next: string[] = [];
    let progressed = false;
    for (const id of pending) {
      const anchors = (neighbours.get(id) ?? []).filter((a) => placed[a]);
      if (anchors.length === 0) {
        next.push(id);
        continue;
      }
      const want = { x: 0, y: 0 };
      for (const a of anchors) {
        want.x += placed[a]!.x + at(id).x - at(a).x;
        want.y += placed[a]!.y + at(id).y - at(a).y;
      }
      placed[id] = settle({ x: want.x / anchors.length, y: want.y / anchors.length });
      progressed = true;
    }
    pending = next;
    if (!progressed || pending.length === 0) break;
  }
  if (pending.length > 0) {
    // New components: shifted as one, their top-left under the left edge of the drawing.
    const xs = Object.values(placed).map((p) => p.x);
    const left = xs.length ? Math.min(...xs) : 0;
    const minX = Math.min(...pending.map((id) => at(id).x));
    const minY = Math.min(...pending.map((id) => at(id).y));
    const top = below([{ x: 0, y: 0 }]).y;
    for (const id of pending) placed[id] = { x: left + at(id).x - minX, y: top + at(id).y - minY };
  }
  return placed;
}

/**
 * The positions to carry over: those of the nodes drawn now, and for a node that left and came
 * back, its old place again if no drawn node covers it meanwhile (a node that flickers in and out
 * returns where it was instead of somewhere new each time).
 */
export function withRemembered(g: Shape, drawn: Positions, remembered: Positions, box: Box): Record<string, Point> {
  const out: Record<string, Point> = {};
  for (const n of g.nodes) if (drawn[n.id]) out[n.id] = drawn[n.id]!;
  for (const n of g.nodes) {
    const p = remembered[n.id];
    if (out[n.id] || !p) continue;
    if (Object.values(out).every((q) => !overlaps(p, q, box))) out[n.id] = p;
  }
  return out;
}
