import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { kindOf, niceWidth } from '../map/graph-model';
import { iconOf, NodeIcon } from '../map/node-icon';
import { formatDuration } from '../time/range';
import { buildRows, type Row, type TimelineModel } from './timeline-model';

const ROW_HEIGHT = 26;
const OVERSCAN = 12;

export interface TimelineProps {
  model: TimelineModel;
  selectedId: string | null;
  onSelect(id: string): void;
  /** Performance: when the model was requested to render (performance.now()). */
  renderStart?: number;
  /** The selection came with the link: scroll the page to it. */
  revealOnOpen?: boolean;
  /** Extra marks per span ID (compare with typical): a row class, a tooltip, a badge after the name. */
  marks?: ReadonlyMap<string, { readonly className: string; readonly title: string; readonly badge?: string }>;
  /** Spans the search found: their rows are marked. */
  matches?: ReadonlySet<string> | null;
  /** Bring this span's row into view whenever `seq` changes (the search stepped to it). */
  reveal?: { id: string; seq: number } | null;
}

/**
 * The waterfall: service groups with their segments and nested subsegments, bars placed on a
 * time axis and coloured by status, the critical path underlined. Only the rows in view are in
 * the DOM, so a trace of thousands of spans scrolls as smoothly as one of ten. Drag on the axis
 * to zoom into a range.
 */
export function Timeline({
  model,
  selectedId,
  onSelect,
  renderStart,
  revealOnOpen = false,
  marks,
  matches = null,
  reveal = null,
}: TimelineProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [view, setView] = useState<[number, number]>([model.start, Math.max(model.end, model.start + 1e-6)]);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => buildRows(model, collapsed), [model, collapsed]);
  useEffect(() => setView([model.start, Math.max(model.end, model.start + 1e-6)]), [model]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Bring a selection from the URL (a shared link) into view once.
  const revealed = useRef(false);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (revealed.current || !el || !selectedId) return;
    revealed.current = true;
    const i = rows.findIndex((r) => r.kind === 'span' && r.span.id === selectedId);
    if (i * ROW_HEIGHT > el.clientHeight - ROW_HEIGHT) el.scrollTop = i * ROW_HEIGHT - el.clientHeight / 3;
    // And the page, when the link pointed at a span other than the root.
    if (revealOnOpen)
      requestAnimationFrame(() => el.querySelector(`[data-span-id="${CSS.escape(selectedId)}"]`)?.scrollIntoView({ block: 'nearest' }));
  }, [rows, selectedId, revealOnOpen]);

  // A span the search stepped to: open what hides its row, zoom out if it is outside the range,
  // then scroll to the row once it is there.
  const [pending, setPending] = useState<string | null>(null);
  useEffect(() => {
    const span = reveal ? model.spans.get(reveal.id) : undefined;
    if (!span) return;
    const hiding = new Set([`group:${span.group}`]);
    for (let s = span, p = model.spans.get(span.parentId ?? ''); p?.children.includes(s); s = p, p = model.spans.get(p.parentId ?? ''))
      hiding.add(p.id);
    setCollapsed((c) => ([...hiding].some((k) => c.has(k)) ? new Set([...c].filter((k) => !hiding.has(k))) : c));
    if ((span.end ?? model.end) < view[0] || span.start > view[1]) setView([model.start, Math.max(model.end, model.start + 1e-6)]);
    setPending(span.id);
  }, [reveal?.seq]);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!pending || !el) return;
    setPending(null);
    const i = rows.findIndex((r) => r.kind === 'span' && r.span.id === pending);
    if (i < 0) return;
    if (i * ROW_HEIGHT < el.scrollTop || (i + 1) * ROW_HEIGHT > el.scrollTop + el.clientHeight)
      el.scrollTop = i * ROW_HEIGHT - el.clientHeight / 2 + ROW_HEIGHT / 2;
    requestAnimationFrame(() => el.querySelector(`[data-span-id="${CSS.escape(pending)}"]`)?.scrollIntoView({ block: 'nearest' }));
  }, [rows, pending]);

  const measured = useRef(false);
  useEffect(() => {
    if (measured.current || renderStart === undefined) return;
    measured.current = true;
    requestAnimationFrame(() =>
      performance.measure('fluoro:timeline-render', { start: renderStart, end: performance.now(), detail: { spans: model.spans.size } }),
    );
  }, [renderStart, model]);

  const toggle = (key: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const span = view[1] - view[0];
  const pct = (t: number) => ((t - view[0]) / span) * 100;
  const zoomed = view[0] > model.start + 1e-9 || view[1] < model.end - 1e-9;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = rows.findIndex((r) => r.kind === 'span' && r.span.id === selectedId);
    const move = (to: number) => {
      for (let i = to; i >= 0 && i < rows.length; i += to > index ? 1 : -1) {
        const r = rows[i]!;
        if (r.kind === 'span') {
          onSelect(r.span.id);
          const el = scroller.current;
          if (el && (i * ROW_HEIGHT < el.scrollTop || (i + 1) * ROW_HEIGHT > el.scrollTop + el.clientHeight))
            el.scrollTop = i * ROW_HEIGHT - el.clientHeight / 2;
          return;
        }
      }
    };
    if (e.key === 'ArrowDown') move(index + 1);
    else if (e.key === 'ArrowUp') move(Math.max(0, index - 1));
    else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Enter') && selectedId) {
      const r = rows[index];
      if (r?.kind === 'span' && r.hasChildren && (e.key === 'Enter' || (e.key === 'ArrowLeft') !== collapsed.has(r.span.id)))
        toggle(r.span.id);
    } else return;
    e.preventDefault();
  };

  return (
    <div className="timeline" data-testid="timeline" data-rows={rows.length}>
      <div className="timeline-tools">
        <span className="muted small">
          {model.spans.size} spans in {model.groups.length} services · drag on the time axis to zoom · ↑↓ to move, ←→ to collapse
        </span>
        <span className="legend-inline">
          <span className="crit-swatch" aria-hidden="true" /> critical path
        </span>
        {zoomed && (
          <button type="button" onClick={() => setView([model.start, model.end])} data-testid="reset-zoom">
            Reset zoom ({formatDuration(span)} shown)
          </button>
        )}
        <button type="button" onClick={() => setCollapsed(new Set(model.groups.map((g) => `group:${g.key}`)))}>
          Collapse all
        </button>
        <button type="button" onClick={() => setCollapsed(new Set())}>
          Expand all
        </button>
      </div>
      <Axis view={view} origin={model.start} onZoom={(a, b) => setView([a, b])} />
      <div
        className="timeline-scroll"
        ref={scroller}
        tabIndex={0}
        role="tree"
        aria-label="Trace timeline"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div className="timeline-inner" style={{ height: rows.length * ROW_HEIGHT }}>
          {visible.map((r, i) => (
            <TimelineRow
              key={r.key}
              row={r}
              top={(first + i) * ROW_HEIGHT}
              pct={pct}
              model={model}
              selected={r.kind === 'span' && r.span.id === selectedId}
              match={r.kind === 'span' && matches ? matches.has(r.span.id) : null}
              collapsed={collapsed.has(r.key)}
              onToggle={toggle}
              onSelect={onSelect}
              mark={r.kind === 'span' ? marks?.get(r.span.id) : undefined}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

function TimelineRow({
  row,
  top,
  pct,
  model,
  selected,
  match,
  collapsed,
  onToggle,
  onSelect,
  mark,
}: {
  row: Row;
  top: number;
  pct(t: number): number;
  model: TimelineModel;
  selected: boolean;
  /** Whether the search found it; null while there is no search. */
  match: boolean | null;
  collapsed: boolean;
  onToggle(k: string): void;
  onSelect(id: string): void;
  mark?: { readonly className: string; readonly title: string; readonly badge?: string } | undefined;
}) {
  if (row.kind === 'group') {
    const g = row.group;
    const { icon, label } = iconOf(kindOf(g.type === 'service' ? 'service' : g.type), g.type);
    return (
      <div
        className="tl-row tl-group"
        style={{ transform: `translateY(${top}px)` }}
        data-testid="timeline-group"
        data-name={g.name}
        role="treeitem"
        aria-expanded={!collapsed}
        aria-level={1}
      >
        <button
          type="button"
          className="tl-toggle"
          onClick={() => onToggle(row.key)}
          aria-label={`${collapsed ? 'Expand' : 'Collapse'} service ${g.name}`}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <NodeIcon name={icon} size={16} />
        <span className="tl-group-name">{g.name}</span>
        <span className="muted small">
          {label}
          {g.inferred ? ' · inferred' : ''} · {row.count} span{row.count === 1 ? '' : 's'}
        </span>
      </div>
    );
  }
  const s = row.span;
  const end = s.end ?? model.end;
  const left = pct(s.start);
  const width = Math.max(0.15, pct(end) - left);
  const crit = model.critical.get(s.id);
  return (
    <div
      className={`tl-row tl-span${selected ? ' selected' : ''}${mark ? ` ${mark.className}` : ''}${match ? ' match' : ''}${match === false ? ' no-match' : ''}`}
      title={mark?.title}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="timeline-row"
      data-span-id={s.id}
      data-name={s.name}
      data-kind={s.kind}
      data-status={s.status}
      data-critical={model.onPath.has(s.id) ? 'true' : 'false'}
      data-match={match === null ? undefined : String(match)}
      role="treeitem"
      aria-level={row.depth + 2}
      aria-selected={selected}
      aria-expanded={row.hasChildren ? !collapsed : undefined}
      onClick={() => onSelect(s.id)}
    >
      <div className="tl-label" style={{ paddingLeft: 8 + row.depth * 14 }}>
        {row.hasChildren ? (
          <button
            type="button"
            tabIndex={-1}
            className="tl-toggle"
            onClick={(e) => {
              e.stopPropagation();
              onToggle(s.id);
            }}
            aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${s.name}`}
          >
            {collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="tl-toggle-space" />
        )}
        <span className={`tl-dot status-${s.status}`} aria-hidden="true" />
        <span className="tl-name">{s.name}</span>
        {mark?.badge && <span className="cmp-badge">{mark.badge}</span>}
        {s.kind !== 'subsegment' && <span className="tl-kind">{s.kind}</span>}
      </div>
      <div className="tl-track">
        <div
          className={`tl-bar status-${s.status}${s.end === null ? ' in-progress' : ''}`}
          style={{ left: `${left}%`, width: `${width}%` }}
        />
        {crit?.map(([a, b], i) => (
          <div key={i} className="tl-crit" style={{ left: `${pct(a)}%`, width: `${Math.max(0.1, pct(b) - pct(a))}%` }} />
        ))}
        <span className="tl-duration" style={left + width > 80 ? { right: `${100 - left + 0.5}%` } : { left: `${left + width + 0.5}%` }}>
          {s.end === null ? 'in progress' : formatDuration(end - s.start)}
        </span>
      </div>
    </div>
  );
}

/** Ticks of the visible range; drag across to zoom into a part of it. */
function Axis({ view, origin, onZoom }: { view: [number, number]; origin: number; onZoom(a: number, b: number): void }) {
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const el = useRef<HTMLDivElement>(null);
  const span = view[1] - view[0];
  const step = niceWidth(span, 8);
  const ticks: number[] = [];
  // Ticks at whole steps from the trace's start, labelled with the time since it.
  const firstTick = Math.ceil((view[0] - origin) / step - 1e-9) * step;
  for (let t = firstTick; t <= view[1] - origin + 1e-12 && ticks.length < 50; t += step) ticks.push(t);
  const frac = (e: PointerEvent) => {
    const r = el.current!.getBoundingClientRect();
    return Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
  };
  return (
    <div className="tl-axis-row">
      <div className="tl-label muted small">Service / segment</div>
      <div
        ref={el}
        className="tl-axis"
        data-testid="timeline-axis"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const f = frac(e);
          setDrag({ from: f, to: f });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, to: frac(e) })}
        onPointerUp={() => {
          if (drag && Math.abs(drag.to - drag.from) > 0.01) {
            const a = view[0] + Math.min(drag.from, drag.to) * span;
            const b = view[0] + Math.max(drag.from, drag.to) * span;
            onZoom(a, b);
          }
          setDrag(null);
        }}
      >
        {ticks.map((t) => (
          <span key={t} className="tl-tick" style={{ left: `${((origin + t - view[0]) / span) * 100}%` }}>
            {t === 0 ? '0' : formatDuration(t)}
          </span>
        ))}
        {drag && (
          <div
            className="tl-zoom-select"
            style={{ left: `${Math.min(drag.from, drag.to) * 100}%`, width: `${Math.abs(drag.to - drag.from) * 100}%` }}
          />
        )}
      </div>
    </div>
  );
}
