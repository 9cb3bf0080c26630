import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { niceWidth } from '../map/graph-model';
import { formatDuration } from '../time/range';
import { besideFrame, buildFlame, frameAt, type FlameFrame, type FlameLayout } from './flame-model';
import type { TimelineModel } from './timeline-model';
import { selfTimes } from './trace-stats';
import { sizedContext, useElementWidth, useThemeVersion } from '../ui/use-canvas';

const ROW = 20;
const MAX_HEIGHT = 540;

/**
 * Service colours, light enough for dark text in both themes, and away from the status colours
 * (red, amber, purple) so that a service is never taken for a fault or a throttle.
 */
const PALETTE = [
  '#7fb2e5',
  '#86cfa8',
  '#f0a8c0',
  '#9fd8e6',
  '#c2d98f',
  '#e8b99a',
  '#a9b4d6',
  '#8fd6c4',
  '#d9c6a5',
  '#b8cfe8',
  '#d2a6a6',
  '#a7d7a0',
];

/** The colour of the service at `index` in the model's groups (after twelve, the palette again). */
export function serviceColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export interface FlameGraphProps {
  model: TimelineModel;
  selectedId: string | null;
  onSelect(id: string): void;
  /** Spans the search found: drawn outlined, the others faded. */
  matches?: ReadonlySet<string> | null;
  /** Bring this span into view whenever `seq` changes (the search stepped to it). */
  reveal?: { id: string; seq: number } | null;
  /** Performance: when the model was requested to render (performance.now()). */
  renderStart?: number;
}

interface Palette {
  font: string;
  text: string;
  selected: string;
  match: string;
  status: Record<string, string>;
}

/**
 * The trace as a flame graph, drawn on a canvas (thousands of frames in a few milliseconds):
 * time across, each span under the span that contains or called it, coloured by service, a band
 * of the status colour under a frame that faulted, erred, was throttled or is in progress. Click
 * a frame to select its span, click it again to zoom into it. Only the rows in view are drawn.
 */
export function FlameGraph({ model, selectedId, onSelect, matches = null, reveal = null, renderStart }: FlameGraphProps) {
  const mountedAt = useRef(performance.now());
  const layout = useMemo(() => buildFlame(model), [model]);
  // Self times are for the tooltip: worked out on the first hover, not before the first draw.
  const self = useRef<{ model: TimelineModel; times: Map<string, number> } | null>(null);
  const selfTime = (id: string) => {
    if (self.current?.model !== model) self.current = { model, times: selfTimes(model) };
    return self.current.times.get(id);
  };
  const [zoom, setZoom] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [hover, setHover] = useState<{ frame: FlameFrame; x: number; y: number } | null>(null);
  const theme = useThemeVersion();
  const drawn = useRef(false);
  const root = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(scroller);
  useEffect(() => setZoom(null), [layout]);

  const zoomed = zoom ? layout.frames.get(zoom) : undefined;
  const view: [number, number] = zoomed
    ? zoomed.end - zoomed.start > 1e-6
      ? [zoomed.start, zoomed.end]
      : [zoomed.start - 5e-4, zoomed.end + 5e-4]
    : [layout.start, Math.max(layout.end, layout.start + 1e-6)];
  const height = Math.min(MAX_HEIGHT, Math.max(ROW * 3, layout.rows.length * ROW));

  useLayoutEffect(() => {
    const c = canvas.current;
    const el = scroller.current;
    if (!c || !el || width === 0) return;
    const css = getComputedStyle(el);
    const v = (name: string) => css.getPropertyValue(name).trim();
    const palette: Palette = {
      font: `11.5px ${css.fontFamily}`,
      text: '#10141a',
      selected: v('--fg'),
      match: v('--flame-match') || '#ffd33d',
      status: { error: v('--error'), fault: v('--fault'), throttle: v('--throttle'), partial: v('--partial') },
    };
    // Resizing reallocates the canvas: only when its size changed, not on every scroll.
    const ctx = sizedContext(c, width, height);
    if (!ctx) return;
    drawFrames(ctx, layout, { view, width, height, scrollTop, selectedId, matches, palette });
    // On the element itself, not through a render: the mark comes with the first frames drawn.
    root.current?.setAttribute('data-drawn', 'true');
  }, [layout, view[0], view[1], width, height, scrollTop, selectedId, matches, theme]);

  useEffect(() => {
    if (drawn.current || width === 0) return;
    drawn.current = true;
    requestAnimationFrame(() => {
      performance.measure('fluoro:flame-render', {
        start: renderStart ?? mountedAt.current,
        end: performance.now(),
        detail: { spans: layout.frames.size },
      });
    });
  }, [width, renderStart, layout]);

  /** Scrolls (and zooms out, if the frame is outside the zoomed range) until the frame is in view. */
  const bringIntoView = (f: FlameFrame, page: boolean) => {
    const el = scroller.current;
    if (!el) return;
    if (f.end < view[0] || f.start > view[1]) setZoom(null);
    const top = f.row * ROW;
    if (top < el.scrollTop || top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top - el.clientHeight / 2 + ROW / 2;
    if (page) el.scrollIntoView({ block: 'nearest' });
  };

  // The selection when the view opens, and wherever the search steps to.
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current || width === 0) return;
    opened.current = true;
    const f = selectedId ? layout.frames.get(selectedId) : undefined;
    if (f) bringIntoView(f, false);
  });
  useEffect(() => {
    const f = reveal ? layout.frames.get(reveal.id) : undefined;
    if (f) bringIntoView(f, true);
  }, [reveal?.seq]);

  const hit = (e: { clientX: number; clientY: number }): { frame: FlameFrame | null; x: number; y: number } => {
    const r = canvas.current!.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const perSecond = width / (view[1] - view[0]);
    const t = view[0] + x / perSecond;
    return { frame: frameAt(layout, Math.floor((y + scrollTop) / ROW), t, 2 / perSecond), x, y };
  };

  const select = (f: FlameFrame | null | undefined) => {
    if (!f) return;
    onSelect(f.span.id);
    bringIntoView(f, false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = selectedId ? layout.frames.get(selectedId) : undefined;
    if (!current) {
      if (e.key.startsWith('Arrow')) {
        select(layout.roots[0]);
        e.preventDefault();
      }
      return;
    }
    if (e.key === 'ArrowUp') select(current.parent);
    else if (e.key === 'ArrowDown') select(current.children[0]);
    else if (e.key === 'ArrowLeft') select(besideFrame(layout, current, -1));
    else if (e.key === 'ArrowRight') select(besideFrame(layout, current, 1));
    else if (e.key === 'Enter') setZoom(zoom === current.span.id ? null : current.span.id);
    else if (e.key === 'Escape' && zoom) setZoom(null);
    else return;
    e.preventDefault();
  };

  const selected = selectedId ? layout.frames.get(selectedId) : undefined;
  const service = (f: FlameFrame) => model.groups[f.service]?.name ?? f.span.group;
  return (
    <div
      ref={root}
      className="flame"
      data-testid="flame-graph"
      data-frames={layout.frames.size}
      data-rows={layout.rows.length}
      data-row-height={ROW}
      data-view={`${view[0] - layout.start},${view[1] - layout.start}`}
      data-zoomed={zoom ?? undefined}
      data-matches={matches ? matches.size : undefined}
    >
      <div className="timeline-tools">
        <span className="muted small flame-hint">
          {layout.frames.size} spans in {layout.rows.length} rows · click a frame to select it, again to zoom in · ↑↓←→ to move, Enter to
          zoom, Esc to reset
        </span>
        {zoomed && (
          <button type="button" onClick={() => setZoom(null)} data-testid="flame-reset-zoom">
            Reset zoom ({zoomed.span.name}, {formatDuration(view[1] - view[0])})
          </button>
        )}
      </div>
      <div className="flame-legend-row">
        <span className="legend-inline flame-legend" aria-label="Services">
          {model.groups.map((g, i) => (
            <span key={g.key} className="flame-legend-item">
              <span className="flame-swatch" style={{ background: serviceColor(i) }} aria-hidden="true" />
              {g.name}
            </span>
          ))}
          <span className="flame-legend-item">
            <span className="flame-band status-fault" aria-hidden="true" /> fault
          </span>
          <span className="flame-legend-item">
            <span className="flame-band status-error" aria-hidden="true" /> error
          </span>
          <span className="flame-legend-item">
            <span className="flame-band status-throttle" aria-hidden="true" /> throttle
          </span>
          <span className="flame-legend-item">
            <span className="flame-band status-partial" aria-hidden="true" /> in progress
          </span>
        </span>
      </div>
      <FlameAxis view={view} origin={layout.start} />
      <div
        className="flame-scroll"
        ref={scroller}
        style={{ height }}
        tabIndex={0}
        role="group"
        aria-roledescription="flame graph"
        aria-label="Flame graph of the trace: arrow keys move between frames, Enter zooms, Escape resets"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div className="flame-inner" style={{ height: Math.max(height, layout.rows.length * ROW) }}>
          <canvas
            ref={canvas}
            className="flame-canvas"
            data-testid="flame-canvas"
            style={{ cursor: hover?.frame ? 'pointer' : 'default' }}
            onPointerMove={(e: PointerEvent<HTMLCanvasElement>) => {
              const h = hit(e);
              setHover(h.frame ? { frame: h.frame, x: h.x, y: h.y } : null);
            }}
            onPointerLeave={() => setHover(null)}
            onClick={(e) => {
              const { frame } = hit(e);
              if (!frame) return;
              if (frame.span.id === selectedId) setZoom(frame.span.id);
              else onSelect(frame.span.id);
            }}
          />
        </div>
        {hover && (
          <div
            className="flame-tip"
            role="tooltip"
            style={{ left: Math.min(hover.x + 12, width - 260), top: hover.y + scrollTop + 16 }}
            data-testid="flame-tip"
          >
            <strong>{hover.frame.span.name}</strong>
            <span className="muted">
              {service(hover.frame)} · {hover.frame.span.kind}
            </span>
            <span>
              {hover.frame.span.end === null ? 'in progress' : formatDuration(hover.frame.end - hover.frame.start)} · self{' '}
              {formatDuration(selfTime(hover.frame.span.id))}
            </span>
            {hover.frame.span.status !== 'ok' && (
              <span className={`status-pill status-${hover.frame.span.status}`}>{hover.frame.span.status}</span>
            )}
          </div>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {selected
          ? `${selected.span.name}, ${service(selected)}, ${formatDuration(selected.end - selected.start)}, ${selected.span.status}`
          : ''}
      </p>
    </div>
  );
}

function FlameAxis({ view, origin }: { view: [number, number]; origin: number }) {
  const span = view[1] - view[0];
  const step = niceWidth(span, 8);
  const ticks: number[] = [];
  const first = Math.ceil((view[0] - origin) / step - 1e-9) * step;
  for (let t = first; t <= view[1] - origin + 1e-12 && ticks.length < 50; t += step) ticks.push(t);
  return (
    <div className="flame-axis" aria-hidden="true">
      {ticks.map((t) => (
        <span key={t} className="tl-tick" style={{ left: `${((origin + t - view[0]) / span) * 100}%` }}>
          {t === 0 ? '0' : formatDuration(t)}
        </span>
      ))}
    </div>
  );
}

interface DrawOptions {
  view: [number, number];
  width: number;
  height: number;
  scrollTop: number;
  selectedId: string | null;
  matches: ReadonlySet<string> | null;
  palette: Palette;
}

/** The rows in view: frames, then search outlines, then the selection on top. */
function drawFrames(ctx: CanvasRenderingContext2D, layout: FlameLayout, o: DrawOptions): void {
  const { view, width, height, scrollTop, palette } = o;
  ctx.clearRect(0, 0, width, height);
  ctx.font = palette.font;
  ctx.textBaseline = 'middle';
  const perSecond = width / (view[1] - view[0]);
  const charWidth = ctx.measureText('abcdefghij').width / 10;
  const colours = new Map<number, string>();
  const outlined: Array<[number, number, number]> = [];
  let selected: [number, number, number] | null = null;
  const firstRow = Math.max(0, Math.floor(scrollTop / ROW));
  const lastRow = Math.min(layout.rows.length - 1, Math.floor((scrollTop + height) / ROW));
  for (let r = firstRow; r <= lastRow; r++) {
    const row = layout.rows[r]!;
    const y = r * ROW - scrollTop;
    // Frames of a row do not overlap, so their ends are in order too: skip to the first in view.
    let lo = 0;
    let hi = row.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (row[mid]!.end < view[0]) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < row.length; i++) {
      const f = row[i]!;
      if (f.start > view[1]) break;
      const x0 = Math.max(-1, (f.start - view[0]) * perSecond);
      const x1 = Math.min(width + 1, (f.end - view[0]) * perSecond);
      const w = Math.max(1, x1 - x0);
      const id = f.span.id;
      const faded = o.matches !== null && !o.matches.has(id);
      ctx.globalAlpha = faded ? 0.3 : 1;
      let fill = colours.get(f.service);
      if (!fill) colours.set(f.service, (fill = serviceColor(f.service)));
      ctx.fillStyle = fill;
      // A pixel between neighbours, where there is room for one.
      ctx.fillRect(x0, y + 1, w > 3 ? w - 1 : w, ROW - 2);
      const status = f.span.end === null ? 'partial' : f.span.status;
      if (status !== 'ok') {
        ctx.fillStyle = palette.status[status] ?? palette.status.fault!;
        ctx.fillRect(x0, y + ROW - 6, w > 3 ? w - 1 : w, 5);
      }
      if (w > 24) {
        const room = Math.floor((w - 8) / charWidth);
        const name = f.span.name;
        ctx.fillStyle = palette.text;
        ctx.fillText(name.length > room ? `${name.slice(0, Math.max(1, room - 1))}…` : name, Math.max(x0, 0) + 4, y + ROW / 2 - 1, w - 6);
      }
      if (o.matches?.has(id)) outlined.push([x0, y, w]);
      if (id === o.selectedId) selected = [x0, y, w];
    }
  }
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  ctx.strokeStyle = palette.match;
  for (const [x, y, w] of outlined) ctx.strokeRect(x + 1, y + 2, Math.max(1, w - 3), ROW - 4);
  if (selected) {
    const [x, y, w] = selected;
    ctx.strokeStyle = palette.selected;
    ctx.lineWidth = 2.5;
    ctx.strokeRect(x + 1, y + 1.5, Math.max(1, w - 3), ROW - 3);
  }
}
