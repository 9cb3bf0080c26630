import { parseTraceId, toXrayTraceId } from '@fluoro/core';
import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { batchGetTrace, getTraceGraph } from '../api/fluoro';
import { Link } from '../app/link';
import { href, setParams, useLocation } from '../app/router';
import { useApi } from '../app/use-api';
import { buildGraph } from '../map/graph-model';
import { MapView } from '../map/map-view';
import { formatTime } from '../time/format';
import { formatDuration } from '../time/range';
import { ErrorState, Loading } from '../ui/states';
import { CopyButton } from './copy-button';
import { FlameGraph } from './flame-graph';
import { Inspector } from './inspector';
import { LostContextHint } from './lost-context-hint';
import { CompareBar, useTypical } from '../compare';
import { buildSearchIndex, findSpans, stepMatch } from './span-search';
import { SpanSearchBox } from './span-search-box';
import { Timeline } from './timeline';
import { buildTimeline, type TimelineModel } from './timeline-model';
import { TraceStatistics } from './trace-statistics';

type View = 'timeline' | 'flame' | 'stats';

const VIEWS: ReadonlyArray<{ key: View; label: string }> = [
  { key: 'timeline', label: 'Timeline' },
  { key: 'flame', label: 'Flame graph' },
  { key: 'stats', label: 'Statistics' },
];

const viewOf = (v: string | null): View => (v === 'flame' || v === 'stats' ? v : 'timeline');

/**
 * One trace: summary, its own map, the timeline (or its flame graph, or where its time went), a
 * search over its spans, and the selected span's details. The view (`view=`), the search
 * (`find=`) and the selection (`span=`) are in the URL.
 */
export function TracePage({ traceId }: { traceId: string }) {
  const { params } = useLocation();
  const hex = parseTraceId(traceId);
  const id = hex ? toXrayTraceId(hex) : traceId;
  const renderStart = useRef<number | undefined>(undefined);
  const linkedSpan = useRef(params.has('span'));
  const trace = useApi(
    (signal) =>
      hex
        ? batchGetTrace(id, signal).then((r) => {
            renderStart.current = performance.now();
            return r;
          })
        : null,
    [id],
  );
  const model: TimelineModel | null = useMemo(
    () => (trace.data && trace.data.documents.length > 0 ? buildTimeline(trace.data.documents) : null),
    [trace.data],
  );
  const selectedId = params.get('span') ?? model?.root?.id ?? null;
  const select = useCallback((spanId: string) => setParams({ span: spanId }, { replace: true }), []);
  const typical = useTypical(model);
  const view = viewOf(params.get('view'));
  const firstView = useRef(view);

  // Search: the matches in the timeline's order; the current one is the selected span.
  const query = params.get('find') ?? '';
  const index = useMemo(() => (model ? buildSearchIndex(model) : null), [model]);
  const order = useMemo(() => index?.entries.map((e) => e.id) ?? [], [index]);
  const matches = useMemo(() => (index ? findSpans(index, query) : []), [index, query]);
  const matchSet = useMemo(() => (query.trim() ? new Set(matches) : null), [matches, query]);
  const [reveal, setReveal] = useState<{ id: string; seq: number } | null>(null);
  const show = (spanId: string) => setReveal((r) => ({ id: spanId, seq: (r?.seq ?? 0) + 1 }));
  const search = (q: string) => {
    const found = index ? findSpans(index, q) : [];
    // Typing moves to the first match, unless the selected span still is one.
    const to = found.length > 0 && !(selectedId && found.includes(selectedId)) ? found[0]! : null;
    setParams({ find: q || null, ...(to ? { span: to } : {}) }, { replace: true });
    if (to) show(to);
  };
  const step = (dir: 1 | -1) => {
    const to = stepMatch(matches, order, selectedId, dir);
    if (!to) return;
    select(to);
    show(to);
  };

  if (!hex) {
    return (
      <div className="page">
        <ErrorState
          error={
            new Error(`"${traceId}" is not a trace ID. Use the X-Ray form (1-5759e988-bd862e3fe1be46a994272793) or 32 hex digits (W3C).`)
          }
        />
      </div>
    );
  }
  if (trace.error) {
    return (
      <div className="page">
        <ErrorState error={trace.error} retry={trace.reload} />
      </div>
    );
  }
  if (!trace.data) return <Loading what={`trace ${id}`} />;
  if (!model) {
    return (
      <div className="page state state-empty" data-testid="trace-not-found">
        <h1>No trace {id} in this Fluoro</h1>
        <p>
          Nothing with this ID is stored. Segments sent over UDP are stored within a second; a trace older than the store keeps traces (
          <code>retention.maxAge</code>, 30 days unless configured) has been deleted.{' '}
          <button type="button" onClick={trace.reload}>
            Look again
          </button>
        </p>
      </div>
    );
  }
  const selected = selectedId ? (model.spans.get(selectedId) ?? null) : null;
  return (
    <div className="page trace-page" data-testid="trace-page" data-trace-id={id}>
      <TraceHeader id={id} hex={hex} model={model} />
      <LostContextHint id={id} model={model} />
      <TraceMap id={id} />
      <CompareBar id={id} model={model} selectedId={selectedId} typical={typical} onSelect={select} />
      <div className="trace-body">
        <div className="trace-main">
          <div className="trace-views-bar">
            <ViewTabs view={view} />
            <SpanSearchBox
              value={query}
              onChange={search}
              count={matches.length}
              current={selectedId ? matches.indexOf(selectedId) : -1}
              onStep={step}
            />
          </div>
          <div id="trace-view" role="tabpanel" aria-labelledby={`view-tab-${view}`}>
            {view === 'timeline' && (
              <Timeline
                model={model}
                selectedId={selectedId}
                onSelect={select}
                renderStart={firstView.current === 'timeline' ? renderStart.current : undefined}
                revealOnOpen={linkedSpan.current}
                matches={matchSet}
                reveal={reveal}
                marks={typical.marks}
              />
            )}
            {view === 'flame' && (
              <FlameGraph
                model={model}
                selectedId={selectedId}
                onSelect={select}
                matches={matchSet}
                reveal={reveal}
                renderStart={firstView.current === 'flame' ? renderStart.current : undefined}
              />
            )}
            {view === 'stats' && <TraceStatistics model={model} />}
          </div>
        </div>
        {selected && <Inspector span={selected} onClose={() => setParams({ span: null }, { replace: true })} />}
      </div>
    </div>
  );
}

function TraceHeader({ id, hex, model }: { id: string; hex: string; model: TimelineModel }) {
  const root = model.root;
  const http = root?.doc.http as { request?: { method?: string; url?: string }; response?: { status?: number } } | undefined;
  return (
    <div className="trace-header">
      <div>
        <div className="trace-id-line">
          <h1 className="mono" data-testid="trace-id">
            {id}
          </h1>
          <CopyButton text={id} label="Copy trace ID" testId="copy-trace-id" />
        </div>
        <p className="muted small mono">W3C {hex}</p>
      </div>
      <dl className="kv-inline">
        <div>
          <dt>Started</dt>
          <dd>{formatTime(model.start, true)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(model.end - model.start)}</dd>
        </div>
        <div>
          <dt>Response time</dt>
          <dd>{root?.end != null ? formatDuration(root.end - root.start) : '—'}</dd>
        </div>
        <div>
          <dt>Entry</dt>
          <dd>
            {http?.request?.method} {http?.request?.url ?? root?.name ?? '—'}{' '}
            {http?.response?.status !== undefined && <span className={`status-pill status-${root?.status}`}>{http.response.status}</span>}
          </dd>
        </div>
        <div>
          <dt>Spans</dt>
          <dd>{model.spans.size}</dd>
        </div>
      </dl>
      <Link className="button" href={href('/traces', { filter: id, from: Math.floor(model.start) - 60, to: Math.ceil(model.end) + 60 })}>
        Find in trace list
      </Link>
    </div>
  );
}

/** Timeline | Flame graph | Statistics: each a step in the history, ← → between them. */
function ViewTabs({ view }: { view: View }) {
  const go = (v: View) => setParams({ view: v === 'timeline' ? null : v });
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const i = VIEWS.findIndex((v) => v.key === view);
    const next = VIEWS[(i + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    go(next.key);
    requestAnimationFrame(() => document.getElementById(`view-tab-${next.key}`)?.focus());
    e.preventDefault();
  };
  return (
    <div className="tabs view-tabs" role="tablist" aria-label="Trace view" onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v.key}
          type="button"
          role="tab"
          id={`view-tab-${v.key}`}
          aria-selected={view === v.key}
          aria-controls="trace-view"
          tabIndex={view === v.key ? 0 : -1}
          className={`tab${view === v.key ? ' active' : ''}`}
          onClick={() => go(v.key)}
          data-testid={`view-${v.key}`}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

function TraceMap({ id }: { id: string }) {
  const [open, setOpen] = useState(true);
  const [selected, setSelected] = useState<string | null>(null);
  const g = useApi((signal) => (open ? getTraceGraph([id], signal) : null), [id, open]);
  const model = useMemo(() => (g.data ? buildGraph(g.data, 60) : null), [g.data]);
  return (
    <section className="panel trace-map" aria-label="Trace map">
      <div className="panel-head">
        <h2>Trace map</h2>
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide' : 'Show'}
        </button>
      </div>
      {open && g.error && <ErrorState error={g.error} retry={g.reload} />}
      {open && !model && !g.error && <Loading what="the trace map" />}
      {open && model && <MapView graph={model} selected={selected} onSelect={setSelected} testId="trace-map" compact />}
    </section>
  );
}
