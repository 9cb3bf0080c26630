import { useCallback, useMemo } from 'react';
import { getServiceGraph } from '../api/fluoro';
import { setParams, useLocation } from '../app/router';
import { useApi } from '../app/use-api';
import { useTimeRange } from '../app/use-time-range';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { AutoRefresh, TimeRangePicker } from '../ui/time-controls';
import { DetailsPanel, type Selection } from './details-panel';
import { buildGraph } from './graph-model';
import { STATUS_LABEL, STATUS_ORDER } from './health-ring';
import { MapView } from './map-view';

/** The service map: every node and edge of the time range, health at a glance. */
export function MapPage() {
  const { params } = useLocation();
  const { range, window, refreshSeconds } = useTimeRange();
  const graph = useApi((signal) => getServiceGraph(window, signal), [window.start, window.end]);
  const model = useMemo(() => (graph.data ? buildGraph(graph.data, window.end - window.start) : null), [graph.data, window]);
  const selectedId = params.get('selected');
  const onSelect = useCallback((id: string | null) => setParams({ selected: id }, { replace: false }), []);

  const selection: Selection | null = useMemo(() => {
    if (!model || !selectedId) return null;
    const node = model.nodes.find((n) => n.id === selectedId);
    if (node) return { kind: 'node', node };
    const edge = model.edges.find((e) => e.id === selectedId);
    if (edge)
      return { kind: 'edge', edge, from: model.nodes.find((n) => n.id === edge.source), to: model.nodes.find((n) => n.id === edge.target) };
    return null;
  }, [model, selectedId]);

  return (
    <div className="page map-page">
      <div className="toolbar">
        <h1>Service map</h1>
        <div className="toolbar-spacer" />
        <Legend />
        <TimeRangePicker range={range} window={window} />
        <AutoRefresh seconds={refreshSeconds} loading={graph.loading} />
      </div>
      {graph.error && <ErrorState error={graph.error} retry={graph.reload} />}
      {!model && !graph.error && <Loading what="the service graph" />}
      {model && model.nodes.length === 0 && <EmptyState title="No services in this time range" />}
      {model && model.nodes.length > 0 && (
        <div className="map-layout">
          <MapView graph={model} selected={selectedId} onSelect={onSelect} />
          {selection && <DetailsPanel selection={selection} range={range} onClose={() => onSelect(null)} />}
        </div>
      )}
    </div>
  );
}

function Legend() {
  return (
    <ul className="legend" aria-label="Health colours">
      {STATUS_ORDER.map((s) => (
        <li key={s}>
          <span className={`swatch status-${s}`} aria-hidden="true" /> {STATUS_LABEL[s]}
        </li>
      ))}
    </ul>
  );
}
