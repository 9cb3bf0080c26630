import {
  Background,
  ControlButton,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  getViewportForBounds,
  useReactFlow,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { firstByPosition, moveFocusByArrow, tabFromStop } from '../app/spatial-focus';
import type { MapGraph } from './graph-model';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';
import { ServiceNodeView, type ServiceFlowNode } from './service-node';
import { edgeWidth, TrafficEdgeView, type TrafficFlowEdge } from './traffic-edge';
import { MOTION_MS, useSteadyLayout, type FitRequest } from './use-steady-layout';

const nodeTypes: NodeTypes = { service: ServiceNodeView };
const edgeTypes: EdgeTypes = { traffic: TrafficEdgeView };
const FIT = { padding: 0.12, minZoom: 0.05, maxZoom: 1.2 } as const;
/** What arrow keys move the focus across: the nodes and edges that can have it. */
const FOCUSABLE = '.react-flow__node[tabindex], .react-flow__edge[tabindex]';

export interface MapViewProps {
  graph: MapGraph;
  /** Id of the selected node or edge. */
  selected: string | null;
  onSelect(id: string | null): void;
  testId?: string;
  /** A trace's own map: no request rates, shares or edge labels (one trace has none). */
  compact?: boolean;
}

/**
 * Draws a service graph laid out by ELK, kept still across refreshes (`useSteadyLayout`); click or
 * Enter on a node or edge selects it.
 */
export function MapView(props: MapViewProps) {
  return (
    <ReactFlowProvider>
      <MapCanvas {...props} />
    </ReactFlowProvider>
  );
}

function MapCanvas({ graph, selected, onSelect, testId = 'service-map', compact = false }: MapViewProps) {
  const layout = useSteadyLayout(graph);
  const { positions, leaving, move } = layout;
  const flow = useReactFlow();
  const maxCount = useMemo(() => Math.max(0, ...graph.edges.map((e) => e.health.total)), [graph]);
  // Sizes React Flow measured, handed back with each node: a node object without them is measured
  // again, and until then its edges are not drawn (every refresh redrew every edge).
  const [sizes, setSizes] = useState<Readonly<Record<string, { width: number; height: number }>>>({});

  const nodes: ServiceFlowNode[] = useMemo(() => {
    if (!positions) return [];
    // One Tab stop for the whole map (the selected node, else the leftmost); arrows move on from it.
    const ids = graph.nodes.map((n) => n.id);
    const stop = selected && positions[selected] ? selected : firstByPosition(ids, positions);
    const drawn: ServiceFlowNode[] = graph.nodes
      .filter((n) => positions[n.id])
      .map((n) => ({
        id: n.id,
        type: 'service' as const,
        position: positions[n.id]!,
        ...(sizes[n.id] ? { measured: sizes[n.id] } : {}),
        data: { node: n, selected: selected === n.id, compact },
        selected: selected === n.id,
        ariaLabel: `${n.name}, ${n.type}`,
        domAttributes: { tabIndex: n.id === stop ? 0 : -1 },
      }));
    for (const n of leaving.nodes)
      drawn.push({
        id: n.id,
        type: 'service' as const,
        position: leaving.at[n.id]!,
        ...(sizes[n.id] ? { measured: sizes[n.id] } : {}),
        data: { node: n, selected: false, compact, leaving: true },
        selectable: false,
        focusable: false,
        draggable: false,
        className: 'leaving',
        ariaLabel: `${n.name}, ${n.type}, gone`,
      });
    return drawn;
  }, [graph, positions, leaving, sizes, selected, compact]);

  const edges: TrafficFlowEdge[] = useMemo(() => {
    const ids = new Set(nodes.map((n) => n.id));
    const edge = (e: MapGraph['edges'][number], gone: boolean): TrafficFlowEdge => ({
      id: e.id,
      source: e.source,
      target: e.target,
      type: 'traffic' as const,
      data: { edge: e, width: edgeWidth(e.health.total, maxCount), selected: !gone && selected === e.id, labels: !compact, leaving: gone },
      markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, markerUnits: 'userSpaceOnUse', color: '#8f98a8' },
      ariaLabel: `calls from ${e.sourceName} to ${e.targetName}`,
      ...(gone ? { selectable: false, focusable: false } : { domAttributes: { tabIndex: -1 } }),
    });
    return [
      ...graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => edge(e, false)),
      ...leaving.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => edge(e, true)),
    ];
  }, [graph, nodes, leaving, maxCount, selected, compact]);

  const onNodesChange = useCallback(
    (changes: NodeChange<ServiceFlowNode>[]) => {
      const measured: Record<string, { width: number; height: number }> = {};
      for (const c of changes) {
        if (c.type === 'position' && c.position) move(c.id, c.position);
        if (c.type === 'dimensions' && c.dimensions) measured[c.id] = c.dimensions;
      }
      if (Object.keys(measured).length > 0)
        setSizes((was) =>
          Object.entries(measured).every(([id, d]) => was[id]?.width === d.width && was[id]?.height === d.height)
            ? was
            : { ...was, ...measured },
        );
    },
    [move],
  );

  // Fit the graph on first layout and whenever the canvas changes size (a details panel opens).
  const canvas = useRef<HTMLDivElement>(null);
  const laidOut = positions !== null;
  useEffect(() => {
    const el = canvas.current;
    if (!laidOut || !el) return;
    let frame = 0;
    const fit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void flow.fitView({ padding: FIT.padding, maxZoom: FIT.maxZoom }));
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [laidOut, flow]);

  // A fresh layout is fitted; new nodes carried into the drawing are brought into view if they
  // landed outside it, else the view stays put.
  const lastFit = useRef(0);
  useEffect(() => {
    const req: FitRequest = layout.fit;
    if (req.nonce === lastFit.current || !canvas.current) return;
    lastFit.current = req.nonce;
    const el = canvas.current;
    const frame = requestAnimationFrame(() => {
      if (req.ifOutOfView && allInView(req.ifOutOfView, req.at, flow.getViewport(), el)) return;
      const view = getViewportForBounds(boundsOf(req.at), el.clientWidth, el.clientHeight, FIT.minZoom, FIT.maxZoom, FIT.padding);
      void flow.setViewport(view, { duration: req.animate ? MOTION_MS : 0 });
    });
    return () => cancelAnimationFrame(frame);
  }, [layout.fit, flow]);

  if (layout.error) return <div className="state state-error">{layout.error}</div>;
  return (
    <div
      ref={canvas}
      className="map-canvas"
      data-testid={testId}
      data-laid-out={laidOut ? 'true' : 'false'}
      data-layout={layout.outcome ?? ''}
      data-nodes={graph.nodes.length}
      // The map is one Tab stop; arrow keys move the focus across its nodes and edges (instead of
      // moving the selected node, as React Flow would); Enter or Space opens the focused one.
      onKeyDownCapture={(e) => {
        if (!canvas.current) return;
        tabFromStop(e.key, canvas.current, FOCUSABLE);
        if (!moveFocusByArrow(e.key, e.target, canvas.current, FOCUSABLE)) return;
        e.preventDefault();
        e.stopPropagation();
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        const id = (e.target as HTMLElement).closest('.react-flow__node, .react-flow__edge')?.getAttribute('data-id');
        if (!id) return;
        e.preventDefault();
        onSelect(id);
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_, n) => onSelect(n.id)}
        onEdgeClick={(_, e) => onSelect(e.id)}
        onPaneClick={() => onSelect(null)}
        nodesConnectable={false}
        nodesDraggable
        elementsSelectable
        minZoom={0.05}
        maxZoom={2}
        fitView
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false}>
          <ControlButton onClick={layout.rearrange} title="Re-arrange the map" aria-label="Re-arrange the map" data-testid="map-rearrange">
            <svg viewBox="0 0 24 24" width="12" height="12" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
              <path d="M4 4h6v6H4z M14 14h6v6h-6z M10 7h4a3 3 0 013 3v4 M7 10v4a3 3 0 003 3h4" />
            </svg>
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}

/** The rectangle the nodes at `at` cover. */
function boundsOf(at: Readonly<Record<string, { x: number; y: number }>>) {
  const ps = Object.values(at);
  if (ps.length === 0) return { x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT };
  const x = Math.min(...ps.map((p) => p.x));
  const y = Math.min(...ps.map((p) => p.y));
  return { x, y, width: Math.max(...ps.map((p) => p.x)) + NODE_WIDTH - x, height: Math.max(...ps.map((p) => p.y)) + NODE_HEIGHT - y };
}

/** Whether the nodes `ids` lie wholly inside the visible part of the canvas. */
function allInView(
  ids: readonly string[],
  positions: Readonly<Record<string, { x: number; y: number }>> | null,
  view: { x: number; y: number; zoom: number },
  el: HTMLElement | null,
): boolean {
  if (!positions || !el) return true;
  const w = el.clientWidth;
  const h = el.clientHeight;
  return ids.every((id) => {
    const p = positions[id];
    if (!p) return true;
    const left = p.x * view.zoom + view.x;
    const top = p.y * view.zoom + view.y;
    return left >= 0 && top >= 0 && left + NODE_WIDTH * view.zoom <= w && top + NODE_HEIGHT * view.zoom <= h;
  });
}
