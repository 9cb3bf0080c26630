import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MapEdge, MapGraph, MapNode } from './graph-model';
import { layoutGraph, NODE_BOX } from './layout';
import { carryOver, newNodes, structureKey, wantsFresh, withRemembered, type Outcome, type Point, type Positions } from './steady-layout';

/** How long nodes glide to a new place and leaving nodes fade (the CSS fades take as long). */
export const MOTION_MS = 320;

export interface FitRequest {
  nonce: number;
  animate: boolean;
  /** Fit only if one of these nodes is out of view; null: fit anyway. */
  ifOutOfView: string[] | null;
  /** Where the nodes are going (a fit during a glide frames its end, not its start). */
  at: Positions;
}

export interface SteadyLayout {
  /** Where to draw each node now (between two layouts, on its way); null before the first layout. */
  positions: Positions | null;
  /** Nodes and edges that just left the graph, drawn fading out for MOTION_MS where they were. */
  leaving: Leaving;
  /** How the last layout came about (`data-layout` on the canvas). */
  outcome: Outcome | null;
  error: string | null;
  fit: FitRequest;
  /** Lays the graph out afresh (the Re-arrange button). */
  rearrange(): void;
  /** A node dragged by hand: it stays there across refreshes. */
  move(id: string, to: Point): void;
}

export interface Leaving {
  nodes: MapNode[];
  edges: MapEdge[];
  at: Positions;
}

const NONE_LEAVING: Leaving = { nodes: [], edges: [], at: {} };

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
const ease = (t: number) => (t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2);

/**
 * Positions for a map whose graph is refreshed under it. The same nodes and edges (new counts):
 * nothing moves and ELK does not run. Nodes gone: the others stay. Nodes new: ELK lays out the
 * whole graph and only the new nodes take their place from it (`carryOver`). A fresh layout
 * (first, re-arrange, or mostly other nodes) glides the nodes there.
 */
export function useSteadyLayout(graph: MapGraph): SteadyLayout {
  const key = useMemo(() => structureKey(graph), [graph]);
  const graphRef = useRef(graph);
  graphRef.current = graph;

  const [positions, setPositions] = useState<Positions | null>(null);
  const shown = useRef<Positions>({});
  /** Where each node goes (the end of a glide). */
  const target = useRef<Record<string, Point>>({});
  /** Every node's last place this session, for nodes that come back. */
  const memory = useRef<Record<string, Point>>({});
  const drawnGraph = useRef<MapGraph | null>(null);
  const laidKey = useRef<string | null>(null);
  const run = useRef(0);
  const frame = useRef(0);

  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fit, setFit] = useState<FitRequest>({ nonce: 0, animate: false, ifOutOfView: null, at: {} });
  const [leaving, setLeaving] = useState<Leaving>(NONE_LEAVING);
  const [rearranged, setRearranged] = useState(0);
  const handledRearrange = useRef(0);

  const show = useCallback((next: Positions) => {
    shown.current = next;
    setPositions(next);
  }, []);

  const glide = useCallback(
    (next: Record<string, Point>) => {
      cancelAnimationFrame(frame.current);
      const from = shown.current;
      const moving = Object.keys(next).filter((id) => from[id] && (from[id]!.x !== next[id]!.x || from[id]!.y !== next[id]!.y));
      if (moving.length === 0 || reducedMotion()) return show(next);
      const t0 = performance.now();
      const step = (now: number) => {
        const t = Math.min(1, (now - t0) / MOTION_MS);
        const k = ease(t);
        const at: Record<string, Point> = { ...next };
        for (const id of moving)
          at[id] = { x: from[id]!.x + (next[id]!.x - from[id]!.x) * k, y: from[id]!.y + (next[id]!.y - from[id]!.y) * k };
        show(at);
        if (t < 1) frame.current = requestAnimationFrame(step);
      };
      frame.current = requestAnimationFrame(step);
    },
    [show],
  );

  const settleOn = useCallback(
    (g: MapGraph, k: string, next: Record<string, Point>, how: Outcome, animate: boolean) => {
      target.current = next;
      Object.assign(memory.current, next);
      laidKey.current = k;
      drawnGraph.current = g;
      setOutcome(how);
      if (animate) glide(next);
      else {
        cancelAnimationFrame(frame.current);
        show(next);
      }
    },
    [glide, show],
  );

  // A layout effect: nodes that left are kept drawn (fading) in the same paint they leave the graph.
  useLayoutEffect(() => {
    const g = graphRef.current;
    const forced = rearranged !== handledRearrange.current;
    if (!forced && laidKey.current === key) return;
    handledRearrange.current = rearranged;
    const id = ++run.current;

    const before = drawnGraph.current;
    if (before) {
      const ids = new Set(g.nodes.map((n) => n.id));
      const edgeIds = new Set(g.edges.map((e) => e.id));
      const gone = before.nodes.filter((n) => !ids.has(n.id) && target.current[n.id]);
      const goneEdges = before.edges.filter((e) => !edgeIds.has(e.id));
      if (gone.length > 0 || goneEdges.length > 0) {
        const at: Record<string, Point> = {};
        for (const n of gone) at[n.id] = target.current[n.id]!;
        setLeaving({ nodes: gone, edges: goneEdges, at });
        setTimeout(() => run.current === id && setLeaving(NONE_LEAVING), MOTION_MS);
      } else setLeaving(NONE_LEAVING);
    }

    const previous = withRemembered(g, target.current, memory.current, NODE_BOX);
    const fresh = forced || wantsFresh(g, previous);
    const missing = newNodes(g, previous);
    if (!fresh && missing.length === 0) {
      settleOn(g, key, previous, 'kept', false);
      return;
    }
    layoutGraph(g).then(
      (laid) => {
        if (run.current !== id) return;
        const hadLayout = Object.keys(shown.current).length > 0;
        const next = fresh ? { ...laid } : carryOver(g, previous, laid, NODE_BOX);
        settleOn(g, key, next, fresh ? 'fresh' : 'carried', fresh && hadLayout);
        // The first layout is fitted by the view once it is drawn (and on every resize).
        if (hadLayout) setFit((f) => ({ nonce: f.nonce + 1, animate: true, ifOutOfView: fresh ? null : missing, at: next }));
        setError(null);
      },
      (err: unknown) => run.current === id && setError(`Laying out the map failed: ${(err as Error).message}`),
    );
  }, [key, rearranged, settleOn]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const rearrange = useCallback(() => {
    memory.current = {};
    setRearranged((n) => n + 1);
  }, []);

  const move = useCallback(
    (id: string, to: Point) => {
      cancelAnimationFrame(frame.current);
      target.current = { ...target.current, [id]: to };
      memory.current[id] = to;
      show({ ...target.current });
    },
    [show],
  );

  return { positions, leaving, outcome, error, fit, rearrange, move };
}
