import { useEffect, useMemo, useState } from 'react';
import { Link } from '../app/link';
import { href } from '../app/router';
import { Histogram } from '../charts/histogram';
import { seconds, STATUSES, type Status } from '../filter/expressions';
import { formatDuration, rangeParams, type TimeRange } from '../time/range';
import { binHistogram, edgeFilter, nodeFilter, type Health, type MapEdge, type MapNode } from './graph-model';
import { STATUS_LABEL } from './health-ring';
import { iconOf } from './node-icon';
import { rateTitle } from './service-node';
import { formatRate, formatShare, shareLevel } from './signals';

export type Selection =
  { kind: 'node'; node: MapNode } | { kind: 'edge'; edge: MapEdge; from: MapNode | undefined; to: MapNode | undefined };

/**
 * What a node or edge saw: response-time histogram (drag to pick a latency range), requests by
 * status (tick to narrow), and View traces with the filter expression that selects them.
 */
export function DetailsPanel({ selection, range, onClose }: { selection: Selection; range: TimeRange; onClose(): void }) {
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [latency, setLatency] = useState<[number, number] | null>(null);
  const key = selection.kind === 'node' ? selection.node.id : selection.edge.id;
  useEffect(() => {
    setStatuses([]);
    setLatency(null);
  }, [key]);

  const health: Health = selection.kind === 'node' ? selection.node.health : selection.edge.health;
  const histogram = selection.kind === 'node' ? selection.node.histogram : selection.edge.histogram;
  const bins = useMemo(() => binHistogram(histogram), [histogram]);
  const filter = selection.kind === 'node' ? nodeFilter(selection.node, statuses, latency) : edgeFilter(selection.edge, statuses, latency);
  const tracesHref = href('/traces', { filter, ...rangeParams(range) });

  const title =
    selection.kind === 'node'
      ? selection.node.name
      : `${selection.from?.kind === 'client' ? 'client' : selection.edge.sourceName} → ${selection.edge.targetName}`;
  const subtitle =
    selection.kind === 'node'
      ? `${iconOf(selection.node.kind, selection.node.type).label}${selection.node.inferred ? ' · inferred from calls to it' : ''}`
      : 'Calls on this edge, as the caller measured them (network included)';

  return (
    <aside className="details-panel" data-testid="details-panel" aria-label={`Details of ${title}`}>
      <header>
        <div>
          <h2>{title}</h2>
          <p className="muted">{subtitle}</p>
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <dl className="kv-inline">
        <div>
          <dt>Requests</dt>
          <dd data-testid="details-total">{health.total}</dd>
        </div>
        <div>
          <dt>Avg response</dt>
          <dd>{formatDuration(health.avgResponseTime)}</dd>
        </div>
        <div>
          <dt>p95</dt>
          <dd data-testid="details-p95">{formatDuration(health.p95)}</dd>
        </div>
        <div>
          <dt title={rateTitle(health)}>Per active minute</dt>
          <dd data-testid="details-rate" title={rateTitle(health)}>
            {formatRate(health.perMinute)}
          </dd>
        </div>
      </dl>
      <h3>Response time distribution</h3>
      <Histogram bins={bins} range={latency} onRange={setLatency} testId="details-histogram" />
      <p className="muted small">
        {latency ? (
          <>
            Selected {formatDuration(latency[0])} – {formatDuration(latency[1])}.{' '}
            <button type="button" className="link-button" onClick={() => setLatency(null)}>
              Clear
            </button>
          </>
        ) : (
          'Drag across the chart to select a latency range.'
        )}
      </p>
      <h3>Requests by status</h3>
      <table className="status-table" data-testid="status-breakdown">
        <tbody>
          {STATUSES.map((s) => (
            <tr key={s} data-status={s}>
              <td>
                <label>
                  <input
                    type="checkbox"
                    checked={statuses.includes(s)}
                    onChange={(e) =>
                      setStatuses(
                        e.target.checked ? STATUSES.filter((x) => x === s || statuses.includes(x)) : statuses.filter((x) => x !== s),
                      )
                    }
                    data-testid={`status-${s}`}
                  />
                  <span className={`swatch status-${s}`} aria-hidden="true" /> {STATUS_LABEL[s]}
                </label>
              </td>
              <td className="num">{health[s]}</td>
              <td className={`num share share-${s} level-${s === 'ok' ? 0 : shareLevel(health[s], health.total)}`}>
                {health.total ? formatShare(health[s], health.total) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="view-traces">
        <code className="filter-preview" data-testid="details-filter">
          {filter}
        </code>
        <Link className="button primary" href={tracesHref} data-testid="view-traces">
          View traces
        </Link>
      </div>
      {latency && (
        <p className="muted small">
          Latency range in the filter: {seconds(latency[0])} s to {seconds(latency[1])} s.
        </p>
      )}
    </aside>
  );
}
