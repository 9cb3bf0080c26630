import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type EdgeTypes,
  type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { firstByPosition, moveFocusByArrow, tabFromStop } from '../app/spatial-focus';
import type { MapGraph } from './graph-model';
import { layoutGraph, type Positions } from './layout';
import { ServiceNodeView, type ServiceFlowNode } from './service-node';
import { edgeWidth, TrafficEdgeView, type TrafficFlowEdge } from './traffic-edge';

const nodeTypes: NodeTypes = { service: ServiceNodeView };
const edgeTypes: EdgeTypes = { traffic: TrafficEdgeView };
/** What arrow keys move the focus across: the nodes and edges that can have it. */
const FOCUSABLE = '.react-flow__node[tabindex], .react-flow__edge[tabindex]';

export interface MapViewProps {
  graph: MapGraph;
  /** Id of the selected node or edge. */
  selected: string | null;
  onSelect(id: string | null): void;
  testId?: string;
  /** A trace's own map: no request rates (one trace has none). */
  compact?: boolean;
}

/** Draws a service graph laid out by ELK; click or Enter on a node or edge selects it. */
export function MapView(props: MapViewProps) {
  return (
    <ReactFlowProvider>
      <MapCanvas {...props} />
    </ReactFlowProvider>
  );
}

function MapCanvas({ graph, selected, onSelect, testId = 'service-map', compact = false }: MapViewProps) {
  const [positions, setPositions] = useState<{ graph: MapGraph; at: Positions } | null>(null);
  const [layoutError, setLayoutError] = useState<string | null>(null);
  const flow = useReactFlow();

  useEffect(() => {
    let live = true;
    layoutGraph(graph).then(
      (at) => live && setPositions({ graph, at }),
      (err: unknown) => live && setLayoutError(`Laying out the map failed: ${(err as Error).message}`),
    );
    return () => {
      live = false;
    };
  }, [graph]);

  const laidOut = positions?.graph === graph ? positions.at : null;
  const maxCount = useMemo(() => Math.max(0, ...graph.edges.map((e) => e.health.total)), [graph]);

  // One Tab stop for the whole map (the selected node, else the leftmost); arrows move on from it.
  const ids = graph.nodes.map((n) => n.id);
  const stop = !laidOut ? null : selected && laidOut[selected] ? selected : firstByPosition(ids, laidOut);
  const nodes: ServiceFlowNode[] = useMemo(
    () =>
      laidOut
        ? graph.nodes.map((n) => ({
            id: n.id,
            type: 'service' as const,
            position: laidOut[n.id] ?? { x: 0, y: 0 },
            data: { node: n, selected: selected === n.id, compact },
            selected: selected === n.id,
            ariaLabel: `${n.name}, ${n.type}`,
            domAttributes: { tabIndex: n.id === stop ? 0 : -1 },
          }))
        : [],
    [graph, laidOut, selected, compact, stop],
  );
  const edges: TrafficFlowEdge[] = useMemo(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        type: 'traffic' as const,
        data: { edge: e, width: edgeWidth(e.health.total, maxCount), selected: selected === e.id },
        markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, markerUnits: 'userSpaceOnUse', color: '#8f98a8' },
        ariaLabel: `calls from ${e.sourceName} to ${e.targetName}`,
        domAttributes: { tabIndex: -1 },
      })),
    [graph, maxCount, selected],
  );

  // Fit the graph on first layout and whenever the canvas changes size (a details panel opens).
  const canvas = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!laidOut || !el) return;
    let frame = 0;
    const fit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.2 }));
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [laidOut, flow]);

  if (layoutError) return <div className="state state-error">{layoutError}</div>;
  return (
    <div
      ref={canvas}
      className="map-canvas"
      data-testid={testId}
      data-laid-out={laidOut ? 'true' : 'false'}
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
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
