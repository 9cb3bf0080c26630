import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { PointsResponse } from '@fluoro/contracts';
import { getTracePoints, type Window } from '../api/fluoro';
import { navigate } from '../app/router';
import { useApi } from '../app/use-api';
import { formatTime } from '../time/format';
import { formatDuration } from '../time/range';
import { ErrorState } from '../ui/states';
import { sizedContext, useElementWidth, useThemeVersion } from '../ui/use-canvas';

const HEIGHT = 180;
const PAD = { left: 56, right: 8, top: 8, bottom: 20 };
/** Traces drawn at most: the slowest of the selection (`POST /api/v1/traces/points`). */
export const SCATTER_LIMIT = 10_000;
/** The slowest points are also links (focusable, each with its title); the rest are canvas pixels. */
export const LINKED_POINTS = 25;
/** How near a pointer must be to a point to pick it, CSS pixels. */
const PICK_RADIUS = 8;

type Outcome = PointsResponse['points'][number]['outcome'];

export interface ScatterPoint {
  id: string;
  x: number;
  y: number;
  time: number;
  responseTime: number;
  outcome: Outcome;
}

/**
 * Points of the scatter in CSS pixels of a `width` × `height` drawing: time across the window,
 * response time up from zero to the slowest (with a rounded top).
 */
export function scatterPoints(
  found: PointsResponse['points'],
  window: Window,
  width: number,
  height: number,
): { points: ScatterPoint[]; top: number } {
  let slowest = 0.001;
  for (const p of found) if (p.rt > slowest) slowest = p.rt;
  const top = niceCeiling(slowest);
  const span = Math.max(1, window.end - window.start);
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const points = found.map((p) => ({
    id: p.id,
    time: p.start,
    responseTime: p.rt,
    outcome: p.outcome,
    x: PAD.left + (Math.min(Math.max(p.start - window.start, 0), span) / span) * w,
    y: PAD.top + h - (p.rt / top) * h,
  }));
  return { points, top };
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `v`. */
export function niceCeiling(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** The point nearest (x, y) within `radius`, or null. */
export function pointNear(points: readonly ScatterPoint[], x: number, y: number, radius: number): ScatterPoint | null {
  let best: ScatterPoint | null = null;
  let bestD = radius * radius;
  for (const p of points) {
    const d = (p.x - x) ** 2 + (p.y - y) ** 2;
    if (d <= bestD) {
      best = p;
      bestD = d;
    }
  }
  return best;
}

/** Draws every point, one path per outcome (ok under error under fault, so the bad ones show). */
function drawPoints(ctx: CanvasRenderingContext2D, points: readonly ScatterPoint[], colour: Record<Outcome, string>): void {
  for (const outcome of ['ok', 'error', 'fault'] as const) {
    ctx.beginPath();
    for (const p of points) {
      if (p.outcome !== outcome) continue;
      ctx.moveTo(p.x + 3, p.y);
      ctx.arc(p.x, p.y, 3, 0, 2 * Math.PI);
    }
    ctx.globalAlpha = outcome === 'ok' ? 0.55 : 0.8;
    ctx.fillStyle = colour[outcome];
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}

/**
 * Response time against start time of the slowest traces of the window (up to 10,000, ranked by
 * the server over all of them), coloured by outcome: the outlier is a dot to click, whatever the
 * list below is sorted by. The points are drawn on a canvas; the slowest few are also links, one
 * Tab stop with arrow keys between them.
 */
export function LatencyScatter({ window, filter, enabled }: { window: Window; filter: string; enabled: boolean }) {
  const { data, error, reload } = useApi(
    (signal) => (enabled ? getTracePoints(window, filter, SCATTER_LIMIT, signal) : null),
    [window.start, window.end, filter, enabled],
  );
  const box = useRef<HTMLElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(box);
  const theme = useThemeVersion();
  const [hover, setHover] = useState<ScatterPoint | null>(null);
  const [current, setCurrent] = useState(0);
  const drawn = useMemo(() => (data && width > 0 ? scatterPoints(data.points, window, width, HEIGHT) : null), [data, window, width]);

  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c || !drawn) return;
    const started = performance.now();
    const ctx = sizedContext(c, width, HEIGHT);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, HEIGHT);
    const css = getComputedStyle(c);
    const v = (name: string) => css.getPropertyValue(name).trim();
    drawPoints(ctx, drawn.points, { ok: v('--ok'), error: v('--error'), fault: v('--fault') });
    const ms = performance.now() - started;
    // On the element itself: the mark comes with the points drawn (bench/console.mjs reads it).
    box.current?.setAttribute('data-draw-ms', ms.toFixed(1));
    performance.measure('fluoro:scatter-draw', { start: started, duration: ms, detail: { points: drawn.points.length } });
  }, [drawn, width, theme]);

  if (error) return <ErrorState error={error} retry={reload} />;
  const h = HEIGHT - PAD.top - PAD.bottom;
  const linked = drawn ? drawn.points.slice(0, LINKED_POINTS) : [];
  const at = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return drawn ? pointNear(drawn.points, e.clientX - r.left, e.clientY - r.top, PICK_RADIUS) : null;
  };
  const open = (p: ScatterPoint) => navigate(`/traces/${p.id}`);
  // One Tab stop for the links (as the map's nodes): arrows move between them, slowest first.
  const onKey = (e: KeyboardEvent<SVGCircleElement>, p: ScatterPoint, i: number) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step !== undefined) {
      e.preventDefault();
      const next = Math.min(linked.length - 1, Math.max(0, i + step));
      setCurrent(next);
      (e.currentTarget.parentElement?.children[next] as SVGElement | undefined)?.focus();
      return;
    }
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    open(p);
  };
  return (
    <figure
      ref={box}
      className="scatter"
      data-testid={drawn ? 'latency-scatter' : undefined}
      data-points={drawn?.points.length}
      aria-busy={drawn ? undefined : true}
    >
      {/* The plot and its caption hold their place while the points load: nothing below moves when they come. */}
      <div className="scatter-plot" style={{ height: HEIGHT }}>
        {drawn && (
          <>
            <svg width={width} height={HEIGHT} className="scatter-axes" aria-hidden="true">
              {[0, 0.5, 1].map((f) => (
                <g key={f}>
                  <line className="scatter-grid" x1={PAD.left} x2={width - PAD.right} y1={PAD.top + h - f * h} y2={PAD.top + h - f * h} />
                  <text className="scatter-axis" x={PAD.left - 6} y={PAD.top + h - f * h + 4} textAnchor="end">
                    {formatDuration(drawn.top * f)}
                  </text>
                </g>
              ))}
              <text className="scatter-axis" x={PAD.left} y={HEIGHT - 4}>
                {formatTime(window.start)}
              </text>
              <text className="scatter-axis" x={width - PAD.right} y={HEIGHT - 4} textAnchor="end">
                {formatTime(window.end)}
              </text>
            </svg>
            <canvas
              ref={canvas}
              className="scatter-canvas"
              data-testid="scatter-canvas"
              onPointerMove={(e) => setHover(at(e))}
              onPointerLeave={() => setHover(null)}
              onClick={(e) => {
                // The point the tip names (a click's whole-pixel position can be nearer a neighbour).
                const p = hover ?? at(e);
                if (p) open(p);
              }}
              style={{ cursor: hover ? 'pointer' : 'default' }}
            />
            <svg width={width} height={HEIGHT} className="scatter-links" role="group" aria-label={`The ${linked.length} slowest traces`}>
              {linked.map((p, i) => (
                <circle
                  key={p.id}
                  cx={p.x}
                  cy={p.y}
                  r={4}
                  className={`scatter-dot dot-${p.outcome}`}
                  data-testid="scatter-dot"
                  data-trace-id={p.id}
                  tabIndex={i === Math.min(current, linked.length - 1) ? 0 : -1}
                  role="link"
                  aria-label={`Trace ${p.id}: ${formatDuration(p.responseTime)} at ${formatTime(p.time, true)} (${p.outcome})`}
                  onClick={() => open(p)}
                  onKeyDown={(e) => onKey(e, p, i)}
                >
                  <title>{`${p.id}: ${formatDuration(p.responseTime)} at ${formatTime(p.time, true)} (${p.outcome})`}</title>
                </circle>
              ))}
              {hover && <circle className="scatter-hover" cx={hover.x} cy={hover.y} r={5} />}
            </svg>
            {hover && (
              <div
                className="scatter-tip small"
                data-testid="scatter-hover"
                data-trace-id={hover.id}
                style={{ left: Math.min(hover.x + 10, width - 260), top: Math.max(0, hover.y - 28) }}
              >
                {`${formatDuration(hover.responseTime)} at ${formatTime(hover.time, true)} (${hover.outcome})`}
              </div>
            )}
          </>
        )}
      </div>
      <figcaption className="muted small">
        {drawn && data ? (
          <>
            Response time of the{' '}
            {data.points.length < data.traces
              ? `${data.points.length.toLocaleString('en')} slowest of ${data.traces.toLocaleString('en')}`
              : data.points.length.toLocaleString('en')}{' '}
            matching traces; click a dot to open its trace.
          </>
        ) : (
          'Response times load after the list…'
        )}
      </figcaption>
    </figure>
  );
}
