import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { MapEdge } from './graph-model';

export type TrafficEdgeData = { edge: MapEdge; width: number; selected: boolean };
export type TrafficFlowEdge = Edge<TrafficEdgeData, 'traffic'>;

/** An edge whose width grows with its traffic (log scale), tinted by its worst status. */
export function TrafficEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  markerEnd,
}: EdgeProps<TrafficFlowEdge>) {
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  const h = data.edge.health;
  // Tinted by a status only when it is a noticeable share of the calls (5 %), so a single 429
  // in thousands does not paint the edge.
  const noticeable = (n: number) => h.total > 0 && n / h.total >= 0.05;
  const status = noticeable(h.fault) ? 'fault' : noticeable(h.throttle) ? 'throttle' : noticeable(h.error) ? 'error' : 'ok';
  return (
    <g
      data-testid="map-edge"
      data-source={data.edge.sourceName}
      data-target={data.edge.targetName}
      data-from-client={data.edge.fromClient}
      data-count={h.total}
      data-width={data.width.toFixed(2)}
      className={`map-edge edge-${status}${data.selected ? ' selected' : ''}`}
    >
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        interactionWidth={Math.max(14, data.width + 8)}
        style={{ strokeWidth: data.width }}
      />
    </g>
  );
}

/** Stroke width for `count` requests when the busiest edge has `max`: 1.5 to 9 px. */
export function edgeWidth(count: number, max: number): number {
  if (max <= 0 || count <= 0) return 1.5;
  return 1.5 + 7.5 * (Math.log1p(count) / Math.log1p(max));
}
