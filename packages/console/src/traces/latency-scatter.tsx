import { useMemo } from 'react';
import { getRankedTraces, type Window } from '../api/fluoro';
import type { TraceSummary } from '../api/xray-types';
import { navigate } from '../app/router';
import { useApi } from '../app/use-api';
import { formatTime } from '../time/format';
import { formatDuration } from '../time/range';
import { ErrorState } from '../ui/states';
import { outcome, RANKED_LIMIT, startTime } from './summary-fields';

const WIDTH = 1000;
const HEIGHT = 160;
const PAD = { left: 56, right: 8, top: 8, bottom: 20 };

export interface ScatterPoint {
  id: string;
  x: number;
  y: number;
  time: number;
  responseTime: number;
  outcome: ReturnType<typeof outcome>;
}

/**
 * Points of the scatter in its drawing's coordinates: time across the window, response time up
 * from zero to the slowest (with a rounded top). Traces without a response time are left out.
 */
export function scatterPoints(traces: readonly TraceSummary[], window: Window): { points: ScatterPoint[]; top: number } {
  const withTime = traces.filter((t) => t.ResponseTime !== undefined && t.Id);
  const slowest = Math.max(0.001, ...withTime.map((t) => t.ResponseTime!));
  const top = niceCeiling(slowest);
  const span = Math.max(1, window.end - window.start);
  const w = WIDTH - PAD.left - PAD.right;
  const h = HEIGHT - PAD.top - PAD.bottom;
  const points = withTime.map((t) => {
    const time = startTime(t);
    return {
      id: t.Id!,
      time,
      responseTime: t.ResponseTime!,
      outcome: outcome(t),
      x: PAD.left + (Math.min(Math.max(time - window.start, 0), span) / span) * w,
      y: PAD.top + h - (t.ResponseTime! / top) * h,
    };
  });
  return { points, top };
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `v`. */
export function niceCeiling(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * Response time against start time of the slowest traces of the window (up to 1,000, ranked by
 * the server over all of them), coloured by outcome: the outlier is a dot to click, whatever the
 * list below is sorted by.
 */
export function LatencyScatter({ window, filter, enabled }: { window: Window; filter: string; enabled: boolean }) {
  const { data, error, reload } = useApi(
    (signal) => (enabled ? getRankedTraces(window, filter, 'responsetime', 'desc', RANKED_LIMIT, signal) : null),
    [window.start, window.end, filter, enabled],
  );
  const drawn = useMemo(() => (data ? scatterPoints(data.traces, window) : null), [data, window]);
  if (error) return <ErrorState error={error} retry={reload} />;
  if (!drawn) return <div className="scatter scatter-empty" aria-busy="true" />;
  const h = HEIGHT - PAD.top - PAD.bottom;
  return (
    <figure className="scatter" data-testid="latency-scatter" data-points={drawn.points.length}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}

        role="img"
        aria-label="Response time of the slowest traces over time"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="scatter-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + h - f * h} y2={PAD.top + h - f * h} />
            <text className="scatter-axis" x={PAD.left - 6} y={PAD.top + h - f * h + 4} textAnchor="end">
              {formatDuration(drawn.top * f)}
            </text>
          </g>
        ))}
        <text className="scatter-axis" x={PAD.left} y={HEIGHT - 4}>
          {formatTime(window.start)}
        </text>
        <text className="scatter-axis" x={WIDTH - PAD.right} y={HEIGHT - 4} textAnchor="end">
          {formatTime(window.end)}
        </text>
        {drawn.points.map((p) => (
          <circle
            key={p.id}
            cx={p.x}
            cy={p.y}
            r={4}
            className={`scatter-dot dot-${p.outcome}`}
            data-testid="scatter-dot"
            data-trace-id={p.id}
            onClick={() => navigate(`/traces/${p.id}`)}
          >
            <title>{`${p.id}: ${formatDuration(p.responseTime)} at ${formatTime(p.time, true)} (${p.outcome})`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="muted small">
        Response time of the {drawn.points.length === RANKED_LIMIT ? `${RANKED_LIMIT} slowest` : drawn.points.length} matching traces
        {data && data.processed > drawn.points.length ? ` of ${data.processed} in the time range` : ''}; click a dot to open its trace.
      </figcaption>
    </figure>
  );
}
