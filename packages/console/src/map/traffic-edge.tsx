import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type Edge, type EdgeProps } from '@xyflow/react';
import { formatDuration } from '../time/range';
import type { MapEdge } from './graph-model';
import { rateTitle, Shares } from './service-node';
import { formatRate, tintOf } from './signals';

export type TrafficEdgeData = { edge: MapEdge; width: number; selected: boolean; labels: boolean; leaving?: boolean };
export type TrafficFlowEdge = Edge<TrafficEdgeData, 'traffic'>;

/** Below this zoom the labels would be unreadable specks: the edges go without. */
const LABEL_ZOOM = 0.45;

/**
 * An edge whose width grows with its traffic (log scale), tinted by its worst status once that is
 * a notable share of its calls (`tintOf`), with its p95 and shares written at its middle.
 */
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
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const readable = useStore((s) => s.transform[2] >= LABEL_ZOOM);
  if (!data) return null;
  const h = data.edge.health;
  const tint = tintOf(h);
  const showLabel = data.labels && readable && h.total > 0 && !data.leaving;
  return (
    <>
      <g
        data-testid={data.leaving ? 'map-edge-leaving' : 'map-edge'}
        data-source={data.edge.sourceName}
        data-target={data.edge.targetName}
        data-from-client={data.edge.fromClient}
        data-count={h.total}
        data-width={data.width.toFixed(2)}
        data-tint={tint.status}
        data-level={tint.level}
        className={`map-edge edge-${tint.status} level-${tint.level}${data.selected ? ' selected' : ''}${data.leaving ? ' leaving' : ''}`}
      >
        <BaseEdge
          id={id}
          path={path}
          markerEnd={markerEnd}
          interactionWidth={Math.max(14, data.width + 8)}
          style={{ strokeWidth: data.width }}
        />
      </g>
      {showLabel && (
        <EdgeLabelRenderer>
          <div
            className={`map-edge-label nodrag nopan${data.selected ? ' selected' : ''}`}
            data-testid="edge-label"
            data-edge={id}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            <span data-testid="edge-p95">p95 {formatDuration(h.p95)}</span>
            <span className="muted" title={rateTitle(h)}>
              {' · '}
              {formatRate(h.perMinute)}/min
            </span>
            <Shares health={h} testId="edge-shares" />
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** Stroke width for `count` requests when the busiest edge has `max`: 1.5 to 9 px. */
export function edgeWidth(count: number, max: number): number {
  if (max <= 0 || count <= 0) return 1.5;
  return 1.5 + 7.5 * (Math.log1p(count) / Math.log1p(max));
}
