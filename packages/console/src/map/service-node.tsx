import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { formatDuration } from '../time/range';
import type { MapNode } from './graph-model';
import { HealthRing } from './health-ring';
import { iconOf, NodeIcon } from './node-icon';

export type ServiceNodeData = { node: MapNode; selected: boolean; compact: boolean };
export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;

const rate = (perMinute: number) =>
  perMinute >= 10 ? Math.round(perMinute).toString() : perMinute >= 0.1 ? perMinute.toFixed(1) : perMinute > 0 ? perMinute.toFixed(2) : '0';

/** One node of the map: health ring around the type icon, name, avg response time and rate. */
export function ServiceNodeView({ data }: NodeProps<ServiceFlowNode>) {
  const n = data.node;
  const { icon, label } = iconOf(n.kind, n.type);
  const h = n.health;
  return (
    <div
      className={`map-node kind-${n.kind}${data.selected ? ' selected' : ''}`}
      data-testid="map-node"
      data-name={n.name}
      data-type={n.type}
      data-ok={h.ok}
      data-error={h.error}
      data-fault={h.fault}
      data-throttle={h.throttle}
      title={`${n.name} (${label})`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="map-node-ring">
        <HealthRing health={h} />
        <span className="map-node-icon">
          <NodeIcon name={icon} />
        </span>
      </div>
      <div className="map-node-name">{n.name}</div>
      <div className="map-node-type">{label}</div>
      <div className="map-node-stats">
        {h.total > 0 ? (
          <>
            <span data-testid="node-avg">{formatDuration(h.avgResponseTime)}</span>
            {!data.compact && (
              <>
                {' · '}
                <span data-testid="node-rate">{rate(h.perMinute)}/min</span>
              </>
            )}
          </>
        ) : (
          'no requests'
        )}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
