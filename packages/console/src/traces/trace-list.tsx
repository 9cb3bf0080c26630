import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isAbort } from '../api/client';
import { getRankedTraces, getTraceSummaries, type Window } from '../api/fluoro';
import type { TraceSummary } from '../api/xray-types';
import { Link } from '../app/link';
import { setParams } from '../app/router';
import { formatTime } from '../time/format';
import { formatAge, formatDuration } from '../time/range';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import {
  COLUMNS,
  outcome,
  RANK_OF,
  RANKED_LIMIT,
  ROOT_CAUSE_LABEL,
  shownRootCause,
  slowFrom,
  sortSummaries,
  startTime,
  users,
  type Column,
  type SortDir,
} from './summary-fields';

interface ListState {
  key: string;
  rows: TraceSummary[];
  next: string | undefined;
  loading: boolean;
  error: Error | null;
  /** Traces in the window (TracesProcessedCount). */
  scanned: number | null;
}

/**
 * The matching traces, newest first from the server, 100 a page with no cap: more pages load as
 * the list scrolls to its end. Sorting by another column asks the server for the first 100
 * traces of the whole window in that order (`/api/v1/traces/ranked`), then, as the list scrolls
 * to its end, for the first 1,000 (a ranking has no next page: the longer one replaces it); user
 * and root cause, which the server does not rank, sort the loaded traces.
 */
/** A ranked list's first request; scrolled to its end, it asks for `RANKED_LIMIT`. */
const RANKED_FIRST = 100;
const rankedLimit = (token: string | undefined) => (token === undefined ? RANKED_FIRST : Number(token));

export function TraceList({
  window,
  filter,
  sort,
  matching,
  testId = 'trace-list',
  onFirstPage,
}: {
  window: Window;
  filter: string;
  sort: { column: Column; dir: SortDir };
  matching: number | null;
  testId?: string;
  /** Called once the first page (or its error) is in. */ onFirstPage?(): void;
}) {
  const rank = sort.column !== 'time' || sort.dir !== 'desc' ? RANK_OF[sort.column] : undefined;
  const key = `${window.start}|${window.end}|${filter}|${rank ? `${rank}:${sort.dir}` : ''}`;
  const [state, setState] = useState<ListState>({ key, rows: [], next: undefined, loading: true, error: null, scanned: null });
  const ctrl = useRef<AbortController | null>(null);
  const firstPage = useRef(onFirstPage);
  firstPage.current = onFirstPage;

  const load = useCallback(
    (reset: boolean, token: string | undefined) => {
      ctrl.current?.abort();
      const c = new AbortController();
      ctrl.current = c;
      setState((s) =>
        reset
          ? {
              key,
              rows: s.key === key ? s.rows : [],
              next: undefined,
              loading: true,
              error: null,
              scanned: s.key === key ? s.scanned : null,
            }
          : { ...s, loading: true, error: null },
      );
      const t0 = performance.now();
      const request = rank
        ? getRankedTraces(window, filter, rank, sort.dir, rankedLimit(token), c.signal).then((r) => ({
            TraceSummaries: [...r.traces],
            // A full first page: the longer ranking is the next "page".
            NextToken: token === undefined && r.traces.length === RANKED_FIRST ? String(RANKED_LIMIT) : undefined,
            TracesProcessedCount: r.processed,
          }))
        : getTraceSummaries(window, filter, token, c.signal);
      request.then(
        (r) => {
          if (c.signal.aborted) return;
          setState((s) => ({
            key,
            rows: reset || rank ? (r.TraceSummaries ?? []) : [...s.rows, ...(r.TraceSummaries ?? [])],
            next: r.NextToken,
            loading: false,
            error: null,
            scanned: r.TracesProcessedCount ?? s.scanned,
          }));
          if (reset) {
            performance.measure('fluoro:traces-first-page', { start: t0, end: performance.now() });
            firstPage.current?.();
          }
        },
        (err: unknown) => {
          if (c.signal.aborted || isAbort(err)) return;
          setState((s) => ({ ...s, loading: false, error: err as Error }));
          firstPage.current?.();
        },
      );
    },
    // `load` changes exactly when the query does (its key).
    [key],
  );

  useEffect(() => {
    load(true, undefined);
    return () => ctrl.current?.abort();
  }, [load]);

  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !state.next || state.loading) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && load(false, state.next));
    io.observe(el);
    return () => io.disconnect();
  }, [state.next, state.loading, load]);

  // Ranked lists come in the server's order; the others are sorted here.
  const rows = useMemo(
    () => (rank ? (state.key === key ? state.rows : []) : sortSummaries(state.key === key ? state.rows : [], sort.column, sort.dir)),
    [state, key, rank, sort.column, sort.dir],
  );
  const current = state.key === key;
  const slow = useMemo(() => slowFrom(rows), [rows]);

  const setSort = (column: Column) => {
    const dir: SortDir = sort.column === column && sort.dir === 'desc' ? 'asc' : 'desc';
    setParams({ sort: column === 'time' && dir === 'desc' ? null : `${column}:${dir}` }, { replace: true });
  };

  if (state.error && rows.length === 0) return <ErrorState error={state.error} retry={() => load(true, undefined)} />;
  if (!current || (state.loading && rows.length === 0)) return <Loading what="traces" />;
  if (rows.length === 0) {
    return filter ? (
      <div className="state state-empty" data-testid="no-matches">
        <h2>No trace matches this filter in the time range</h2>
        <p>
          {state.scanned ?? 0} traces were looked at. Widen the time range, or change <code>{filter}</code>.
        </p>
      </div>
    ) : (
      <EmptyState title="No traces in this time range" />
    );
  }
  const sortedOtherThanTime = sort.column !== 'time' || sort.dir !== 'desc';
  return (
    <div className="trace-list" data-testid={testId}>
      <p className="list-meta muted" data-testid="trace-list-meta">
        {rank
          ? `The first ${rows.length} of ${matching ?? state.scanned ?? rows.length} matching traces by ${COLUMNS.find((c) => c.key === sort.column)!.label.toLowerCase()}, ranked over the whole time range${state.next ? ` (the first ${RANKED_LIMIT} as you scroll)` : ''}`
          : `${rows.length} ${state.next ? `of ${matching ?? 'more'}` : ''} matching trace${rows.length === 1 ? '' : 's'} loaded`}
        {!rank && sortedOtherThanTime && state.next
          ? ' — sorting by this column applies to the loaded traces; scroll down to load more'
          : ''}
      </p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  aria-sort={sort.column === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={c.numeric ? 'num' : undefined}
                >
                  <button type="button" className="sort-button" onClick={() => setSort(c.key)} data-testid={`sort-${c.key}`}>
                    {c.label}
                    <span className="sort-arrow" aria-hidden="true">
                      {sort.column === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <Row key={s.Id} s={s} slow={slow} />
            ))}
          </tbody>
        </table>
      </div>
      <div ref={sentinel} className="list-end">
        {state.loading && <Loading what="more traces" />}
        {state.error && <ErrorState error={state.error} retry={() => load(false, state.next)} />}
        {!state.loading && state.next && (
          <button type="button" onClick={() => load(false, state.next)} data-testid="load-more">
            Load more traces
          </button>
        )}
        {!state.next && !rank && <span className="muted small">All {rows.length} matching traces are loaded.</span>}
      </div>
    </div>
  );
}

function Row({ s, slow }: { s: TraceSummary; slow: number }) {
  const t = startTime(s);
  const o = outcome(s);
  const rc = shownRootCause(s, slow);
  return (
    <tr data-testid="trace-row" data-trace-id={s.Id} className={`outcome-${o}`}>
      <td className="num nowrap" title={formatAge(t)}>
        {formatTime(t, true)}
      </td>
      <td className="mono nowrap" title={s.Id}>
        <Link href={`/traces/${s.Id}`}>{s.Id}</Link>
      </td>
      <td>{s.Http?.HttpMethod ?? ''}</td>
      <td className="num">
        <span className={`status-pill status-${o}`}>{s.Http?.HttpStatus ?? (o === 'partial' ? 'in progress' : '—')}</span>
      </td>
      <td className="num">{formatDuration(s.ResponseTime)}</td>
      <td className="num">{formatDuration(s.Duration)}</td>
      <td className="url" title={s.Http?.HttpURL}>
        {s.Http?.HttpURL ?? ''}
      </td>
      <td>{users(s)}</td>
      <td>
        {rc ? (
          <span
            className={`rc rc-${rc.kind}`}
            data-testid="root-cause"
            title={`${rc.kind === 'responsetime' ? 'response-time root cause' : `${rc.kind} root cause`}: ${rc.service}${rc.entity ? `, in ${rc.entity}` : ''}`}
          >
            <span className="rc-kind">{ROOT_CAUSE_LABEL[rc.kind]}</span> {rc.service}
          </span>
        ) : (
          ''
        )}
      </td>
    </tr>
  );
}
