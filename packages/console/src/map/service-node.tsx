import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { formatDuration } from '../time/range';
import type { Health, MapNode } from './graph-model';
import { HealthRing } from './health-ring';
import { iconOf, NodeIcon } from './node-icon';
import { formatRate, formatShare, shareLevel, type Problem } from './signals';

export type ServiceNodeData = { node: MapNode; selected: boolean; compact: boolean; leaving?: boolean };
export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;

const SHARE_WORD: Record<Problem, string> = { fault: 'fault', error: 'error', throttle: 'throttle' };

/** `1.5/min`, and in its title over how many minutes. */
export function rateTitle(h: Health): string {
  return `${h.total} requests over the ${h.minutes === 1 ? 'minute' : `${+h.minutes.toFixed(1)} minutes`} that had traffic (from the first request to the last in the time range, leaving out minutes in which no request came in at all)`;
}

/**
 * The shares of faults (always), throttles and client errors (when there are any), coloured from
 * the notable share and bold from the severe one (`signals.ts`).
 */
export function Shares({ health: h, testId }: { health: Health; testId: string }) {
  return (
    <div className="map-shares" data-testid={testId}>
      {(['fault', 'throttle', 'error'] as const).map((s) =>
        s === 'fault' || h[s] > 0 ? (
          <span
            key={s}
            className={`share share-${s} level-${shareLevel(h[s], h.total)}`}
            data-status={s}
            title={`${h[s]} of ${h.total} requests: ${s === 'fault' ? '5xx' : s === 'throttle' ? '429' : '4xx'}`}
          >
            {formatShare(h[s], h.total)} {SHARE_WORD[s]}
          </span>
        ) : null,
      )}
    </div>
  );
}

/** One node of the map: health ring around the type icon, name, p95 and rate, and the status shares. */
export function ServiceNodeView({ data }: NodeProps<ServiceFlowNode>) {
  const n = data.node;
  const { icon, label } = iconOf(n.kind, n.type);
  const h = n.health;
  return (
    <div
      className={`map-node kind-${n.kind}${data.selected ? ' selected' : ''}${data.leaving ? ' leaving' : ''}`}
      data-testid={data.leaving ? 'map-node-leaving' : 'map-node'}
      data-name={n.name}
      data-type={n.type}
      data-ok={h.ok}
      data-error={h.error}
      data-fault={h.fault}
      data-throttle={h.throttle}
      data-p95={h.p95 ?? ''}
      title={`${n.name} (${label})${h.total > 0 ? `, average response ${formatDuration(h.avgResponseTime)}` : ''}`}
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
        {h.total === 0 ? (
          'no requests'
        ) : data.compact ? (
          <span data-testid="node-avg">{formatDuration(h.avgResponseTime)}</span>
        ) : (
          <>
            <span data-testid="node-p95" title="95th percentile response time: 95 % of requests took at most this long">
              p95 {formatDuration(h.p95)}
            </span>
            {' · '}
            <span data-testid="node-rate" title={rateTitle(h)}>
              {formatRate(h.perMinute)}/min
            </span>
          </>
        )}
      </div>
      {h.total > 0 && !data.compact && <Shares health={h} testId="node-shares" />}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
