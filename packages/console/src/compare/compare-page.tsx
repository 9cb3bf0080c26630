import { parseTraceId, toXrayTraceId } from '@fluoro/core';
import { useEffect, useMemo, useRef } from 'react';
import { batchGetTrace } from '../api/fluoro';
import { Link } from '../app/link';
import { setParams, useLocation } from '../app/router';
import { useApi } from '../app/use-api';
import { formatDuration } from '../time/range';
import { buildTimeline, type TimelineModel } from '../trace/timeline-model';
import { ErrorState, Loading } from '../ui/states';
import { comparePath } from './compare-path';
import { diffTraces, type DiffNode, type DiffSide, type DiffState } from './diff-model';

const STATE_LABEL: Record<DiffState, string> = { 'only-a': 'only in A', 'only-b': 'only in B', both: 'in both' };

/** `+180 ms`, `−4.2 ms`, `0`. */
export function formatDelta(seconds: number): string {
  if (Math.abs(seconds) < 1e-6) return '0';
  return `${seconds > 0 ? '+' : '−'}${formatDuration(Math.abs(seconds))}`;
}

function formatSide(s: DiffSide | null): string {
  if (!s) return '—';
  return s.count > 1 ? `${s.count} × · ${formatDuration(s.total)}` : formatDuration(s.total);
}

/**
 * Two traces side by side as one tree (`/traces/<a>/compare/<b>`): their spans merged by the
 * path of (service, operation), each node only in A, only in B or in both, with counts and
 * durations of each and the difference; the biggest slowdowns of A against B in a side list.
 */
export function ComparePage({ a, b }: { a: string; b: string }) {
  const hexA = parseTraceId(a);
  const hexB = parseTraceId(b);
  const idA = hexA ? toXrayTraceId(hexA) : a;
  const idB = hexB ? toXrayTraceId(hexB) : b;
  const traces = useApi(
    (signal) =>
      hexA && hexB
        ? Promise.all([batchGetTrace(idA, signal), batchGetTrace(idB, signal)]).then((pair) => ({ for: `${idA} ${idB}`, pair }))
        : null,
    [idA, idB],
  );
  // Nothing of the last pair while the next one loads (after Swap, say): it would read as the answer.
  const current = traces.data?.for === `${idA} ${idB}` ? traces.data.pair : undefined;
  const models = useMemo(
    () =>
      current?.map((t): TimelineModel | null => (t.documents.length > 0 ? buildTimeline(t.documents) : null)) as
        [TimelineModel | null, TimelineModel | null] | undefined,
    [current],
  );
  const [ma, mb] = models ?? [null, null];
  const diff = useMemo(() => (ma && mb ? diffTraces(ma, mb) : null), [ma, mb]);

  const bad = [
    [a, hexA],
    [b, hexB],
  ].find(([, hex]) => !hex);
  if (bad) {
    return (
      <div className="page">
        <ErrorState
          error={
            new Error(`"${bad[0]}" is not a trace ID. Use the X-Ray form (1-5759e988-bd862e3fe1be46a994272793) or 32 hex digits (W3C).`)
          }
        />
      </div>
    );
  }
  if (traces.error) {
    return (
      <div className="page">
        <ErrorState error={traces.error} retry={traces.reload} />
      </div>
    );
  }
  if (!models) return <Loading what={`traces ${idA} and ${idB}`} />;
  const missing = [idA, idB].filter((_, i) => !models[i]);
  if (missing.length > 0 || !ma || !mb || !diff) {
    return (
      <div className="page state state-empty" data-testid="compare-not-found">
        <h1>No trace {missing.join(' or ')} in this Fluoro</h1>
        <p>
          Nothing with this ID is stored, so there is nothing to compare.{' '}
          {idA !== missing[0] && <Link href={`/traces/${idA}`}>Back to trace A</Link>}
        </p>
      </div>
    );
  }
  return (
    <div className="page compare-page" data-testid="compare-page">
      <div className="trace-header compare-header">
        <div>
          <h1>Compare traces</h1>
          <p className="small muted">
            Spans merged by their path of service and operation from the root; durations are sums over the spans of a node, Δ is A − B.
          </p>
        </div>
        <dl className="kv-inline">
          <TraceSide label="A" id={idA} model={ma} />
          <TraceSide label="B" id={idB} model={mb} />
          <div>
            <dt>Nodes</dt>
            <dd data-testid="compare-counts">
              <span className="diff-pill only-a">{diff.counts['only-a']} only in A</span>{' '}
              <span className="diff-pill only-b">{diff.counts['only-b']} only in B</span>{' '}
              <span className="diff-pill both">{diff.counts.both} in both</span>
            </dd>
          </div>
        </dl>
        <Link className="button" href={comparePath(idB, idA)}>
          Swap A and B
        </Link>
      </div>
      <div className="compare-body">
        <DiffTable rows={diff.rows} />
        <Slowdowns nodes={diff.slowdowns} />
      </div>
    </div>
  );
}

function TraceSide({ label, id, model }: { label: string; id: string; model: TimelineModel }) {
  const root = model.root;
  return (
    <div>
      <dt>Trace {label}</dt>
      <dd>
        <Link className="mono" href={`/traces/${id}`} data-testid={`compare-trace-${label.toLowerCase()}`}>
          {id}
        </Link>{' '}
        · {root?.end != null ? formatDuration(root.end - root.start) : formatDuration(model.end - model.start)} · {model.spans.size} spans
      </dd>
    </div>
  );
}

function DiffTable({ rows }: { rows: readonly DiffNode[] }) {
  const { params } = useLocation();
  const selected = params.get('node');
  const table = useRef<HTMLTableElement>(null);
  useEffect(() => {
    if (!selected) return;
    const row = [...(table.current?.querySelectorAll<HTMLElement>('[data-testid=diff-row]') ?? [])].find((r) => r.dataset.key === selected);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <section className="panel diff-tree" aria-label="Merged trees">
      <table className="data-table compact diff-table" ref={table} data-testid="diff-table">
        <thead>
          <tr>
            <th scope="col">Service / operation</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">Δ (A − B)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr
              key={n.key}
              className={`diff-row ${n.state}${n.key === selected ? ' selected' : ''}`}
              data-testid="diff-row"
              data-key={n.key}
              data-state={n.state}
              data-service={n.service}
              data-name={n.name}
              onClick={() => setParams({ node: n.key }, { replace: true })}
            >
              <td style={{ paddingLeft: 8 + n.depth * 16 }}>
                <span className="diff-name">{n.name}</span>
                {n.service !== n.name && <span className="muted small"> · {n.service}</span>}
                {n.kind === 'inferred' && <span className="tl-kind diff-kind">inferred</span>}{' '}
                {n.state !== 'both' && <span className={`diff-pill ${n.state}`}>{STATE_LABEL[n.state]}</span>}
              </td>
              <td className="num" data-testid="diff-a">
                {formatSide(n.a)}
              </td>
              <td className="num" data-testid="diff-b">
                {formatSide(n.b)}
              </td>
              <td className={`num diff-delta${n.delta > 1e-6 ? ' slower' : n.delta < -1e-6 ? ' faster' : ''}`} data-testid="diff-delta">
                {formatDelta(n.delta)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Slowdowns({ nodes }: { nodes: readonly DiffNode[] }) {
  return (
    <aside className="panel diff-slowdowns" aria-label="Biggest slowdowns" data-testid="diff-slowdowns">
      <h2>Biggest slowdowns</h2>
      <p className="small muted">Where A spends more of its own time than B (a span’s time less its children’s).</p>
      {nodes.length === 0 ? (
        <p className="small">A is nowhere slower than B.</p>
      ) : (
        <ol>
          {nodes.map((n) => (
            <li key={n.key} data-testid="diff-slowdown" data-name={n.name}>
              <button type="button" className="link-button" onClick={() => setParams({ node: n.key }, { replace: true })}>
                {n.name}
              </button>
              {n.service !== n.name && <span className="muted small"> · {n.service}</span>}{' '}
              <span className="diff-delta slower">{formatDelta(n.selfDelta)}</span>
              <span className="muted small">
                {' '}
                own time{n.state !== 'both' ? `, ${STATE_LABEL[n.state]}` : ''} · total {formatSide(n.a)} vs {formatSide(n.b)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
