import { useCallback, useMemo } from 'react';
import { isAbort } from '../api/client';
import { getServiceGraph, type Window } from '../api/fluoro';
import type { XrayService } from '../api/xray-types';
import { setParams, useLocation } from '../app/router';
import { useApi } from '../app/use-api';
import { useTimeRange } from '../app/use-time-range';
import { formatTime } from '../time/format';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { AutoRefresh, TimeRangePicker } from '../ui/time-controls';
import { DetailsPanel, type Selection } from './details-panel';
import { buildGraph } from './graph-model';
import { STATUS_LABEL, STATUS_ORDER } from './health-ring';
import { MapView } from './map-view';
import { SETTLE_SECONDS, settledWindow } from './settle';
import { NOTABLE_SHARE, SEVERE_SHARE } from './signals';
import { trafficMinutes } from './traffic';

interface MapData {
  window: Window;
  services: XrayService[];
  /** Null when the time series could not be read: rates then count every minute of each node's span. */
  minutes: Set<number> | null;
}

async function loadMap(w: Window, signal: AbortSignal): Promise<MapData> {
  const [services, minutes] = await Promise.all([
    getServiceGraph(w, signal),
    trafficMinutes(w, signal).catch((err: unknown) => {
      if (isAbort(err)) throw err;
      return null;
    }),
  ]);
  return { window: w, services, minutes };
}

/**
 * The service map: every node and edge of the time range, health at a glance. It shows settled
 * traces only (`settledWindow`), so a refresh changes counts, not the drawing, unless a node or
 * an edge really came or went.
 */
export function MapPage() {
  const { params } = useLocation();
  const { range, window, refreshSeconds, tick } = useTimeRange();
  // Resolved with the window (on navigation and on each refresh tick), not on every render.
  const settled = useMemo(() => settledWindow(window, range.kind === 'relative', Date.now() / 1000), [window, range.kind]);
  const empty = settled.end <= settled.start;
  const graph = useApi((signal) => (empty ? null : loadMap(settled, signal)), [settled.start, settled.end, tick]);
  const model = useMemo(() => {
    const d = graph.data;
    return d ? buildGraph(d.services, d.window.end - d.window.start, { window: d.window, minutes: d.minutes }) : null;
  }, [graph.data]);
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

  const settling = (
    <p className="muted small">
      The map leaves out the last minute or so: it shows a trace once its minute ended {SETTLE_SECONDS} s ago, when every service has sent
      its segments. The traces page lists traces as they arrive.
    </p>
  );

  return (
    <div className="page map-page">
      <div className="toolbar">
        <h1>Service map</h1>
        {settled.heldBack > 0 && !empty && (
          <span
            className="muted small map-settled"
            data-testid="map-settled"
            data-end={settled.end}
            title={`Traces still in flight are left out: the map ends at the last whole minute that ended ${SETTLE_SECONDS} s ago or more, when every service of its traces has sent its segments.`}
          >
            until {formatTime(settled.end)} (settled)
          </span>
        )}
        <div className="toolbar-spacer" />
        <Legend />
        <TimeRangePicker range={range} window={window} />
        <AutoRefresh seconds={refreshSeconds} loading={graph.loading} />
      </div>
      {graph.error && <ErrorState error={graph.error} retry={graph.reload} />}
      {empty && <EmptyState title="Nothing of this time range has settled yet">{settling}</EmptyState>}
      {!empty && !model && !graph.error && <Loading what="the service graph" />}
      {model && model.nodes.length === 0 && (
        <EmptyState title="No services in this time range">{settled.heldBack > 0 && settling}</EmptyState>
      )}
      {model && model.nodes.length > 0 && (
        <div className="map-layout">
          <MapView graph={model} selected={selectedId} onSelect={onSelect} />
          {selection && <DetailsPanel selection={selection} range={range} onClose={() => onSelect(null)} />}
        </div>
      )}
    </div>
  );
}

const pct = (share: number) => `${share * 100}%`;

function Legend() {
  return (
    <ul className="legend" aria-label="Health colours and thresholds">
      {STATUS_ORDER.map((s) => (
        <li key={s}>
          <span className={`swatch status-${s}`} aria-hidden="true" /> {STATUS_LABEL[s]}
        </li>
      ))}
      <li
        className="legend-thresholds"
        data-testid="map-thresholds"
        title={`An edge is tinted by a status that is at least ${pct(NOTABLE_SHARE)} of its calls, strongly from ${pct(SEVERE_SHARE)}; a share on a node or an edge is coloured from ${pct(NOTABLE_SHARE)} and bold from ${pct(SEVERE_SHARE)}. A ring shows any non-zero share as a visible arc.`}
      >
        tint ≥ {pct(NOTABLE_SHARE)}, strong ≥ {pct(SEVERE_SHARE)}
      </li>
    </ul>
  );
}
