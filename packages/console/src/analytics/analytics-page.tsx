import type { StatsResponse } from '@fluoro/contracts';
import { getStats } from '../api/fluoro';
import { setParams, useLocation } from '../app/router';
import { useApi } from '../app/use-api';
import { useSuggestions } from '../app/use-suggestions';
import { useTimeRange } from '../app/use-time-range';
import { andFilter, responseTimeRange } from '../filter/expressions';
import { FilterBar } from '../filter/filter-bar';
import { rangeParams, formatDuration } from '../time/range';
import { parseSort } from '../traces/summary-fields';
import { TraceList } from '../traces/trace-list';
import { ErrorState, Loading } from '../ui/states';
import { AutoRefresh, TimeRangePicker } from '../ui/time-controls';
import { ActivityChart, DistributionChart } from './analytics-charts';
import { DifferenceTable } from './difference-table';

const TABLES = [
  { by: 'http.status', title: 'HTTP status' },
  { by: 'service', title: 'Services' },
  { by: 'http.route', title: 'URL paths' },
  { by: 'user', title: 'Users' },
] as const;

/**
 * Analytics: the response-time distribution and activity of a filtered set of traces, refined
 * by dragging on either chart or clicking a row. The tables rank values by Δ, share in A − share
 * in the baseline (percentage points): all traces of the range, or with Compare, set B, which
 * the charts then draw beside A.
 */
export function AnalyticsPage() {
  const { params } = useLocation();
  const { range, window, refreshSeconds } = useTimeRange();
  const filterA = params.get('filter') ?? '';
  const comparing = params.get('compare') === '1';
  const filterB = params.get('b') ?? '';
  const target = comparing && params.get('target') === 'b' ? 'b' : 'a';
  const suggestions = useSuggestions(window);
  const a = useApi((signal) => getStats(window, filterA, signal), [window.start, window.end, filterA]);
  const b = useApi((signal) => (comparing ? getStats(window, filterB, signal) : null), [window.start, window.end, filterB, comparing]);

  const refine = (condition: string) =>
    target === 'b' ? setParams({ b: andFilter(filterB, condition) }) : setParams({ filter: andFilter(filterA, condition) });

  return (
    <div className="page analytics-page">
      <div className="toolbar">
        <h1>Analytics</h1>
        <div className="toolbar-spacer" />
        <TimeRangePicker range={range} window={window} />
        <AutoRefresh seconds={refreshSeconds} loading={a.loading} />
      </div>
      <div className="set-bar set-a">
        <span className="set-label">A</span>
        <FilterBar
          value={filterA}
          onSubmit={(f) => setParams({ filter: f || null })}
          completionData={suggestions.data}
          label="Filter of set A"
          testId="filter-a"
          placeholder="Set A: all traces, or a filter expression"
        />
      </div>
      {comparing && (
        <div className="set-bar set-b">
          <span className="set-label">B</span>
          <FilterBar
            value={filterB}
            onSubmit={(f) => setParams({ b: f || null })}
            completionData={suggestions.data}
            label="Filter of set B"
            testId="filter-b"
            placeholder="Set B: all traces, or a filter expression"
          />
        </div>
      )}
      <div className="compare-tools">
        {comparing ? (
          <>
            <fieldset className="segmented">
              <legend className="visually-hidden">Clicks and drags refine</legend>
              <label>
                <input
                  type="radio"
                  name="target"
                  checked={target === 'a'}
                  onChange={() => setParams({ target: null }, { replace: true })}
                />{' '}
                Refine set A
              </label>
              <label>
                <input type="radio" name="target" checked={target === 'b'} onChange={() => setParams({ target: 'b' }, { replace: true })} />{' '}
                Refine set B
              </label>
            </fieldset>
            <button type="button" onClick={() => setParams({ compare: null, b: null, target: null })}>
              Stop comparing
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setParams({ compare: '1', b: filterA || null })} data-testid="compare">
            Compare with set B
          </button>
        )}
      </div>
      {a.error && <ErrorState error={a.error} retry={a.reload} />}
      {b.error && <ErrorState error={b.error} retry={b.reload} />}
      {!a.data && !a.error && <Loading what="statistics" />}
      {a.data && (
        <>
          <div className="chart-grid">
            <section className="panel" aria-labelledby="dist-h">
              <h2 id="dist-h">Response time distribution</h2>
              <Percentiles a={a.data} b={comparing ? (b.data ?? null) : null} />
              <DistributionChart
                a={a.data}
                b={comparing ? (b.data ?? null) : null}
                onRange={(from, to) => refine(responseTimeRange(Math.max(0, from), to))}
              />
              <p className="muted small">Drag across the chart to keep the traces in a response-time range.</p>
            </section>
            <section className="panel" aria-labelledby="ts-h">
              <h2 id="ts-h">Time series activity</h2>
              <p className="muted small">
                {a.data.traces} traces in set A{comparing && b.data ? `, ${b.data.traces} in set B` : ''}, per{' '}
                {formatDuration(a.data.period)}
              </p>
              <ActivityChart
                a={a.data}
                b={comparing ? (b.data ?? null) : null}
                onRange={(from, to) => setParams(rangeParams({ kind: 'absolute', start: Math.floor(from), end: Math.ceil(to) }))}
              />
              <p className="muted small">Drag across the chart to narrow the time range.</p>
            </section>
          </div>
          <div className="table-grid">
            {TABLES.map((t) => (
              <section className="panel" key={t.by}>
                <DifferenceTable
                  window={window}
                  filter={filterA}
                  by={t.by}
                  title={t.title}
                  comparing={comparing}
                  baselineFilter={comparing ? filterB : ''}
                  onAdd={refine}
                  testId={`table-${t.by}`}
                />
              </section>
            ))}
          </div>
          <section className="panel" aria-label="Traces of set A">
            <h2>Traces in set A</h2>
            <TraceList
              window={window}
              filter={filterA}
              sort={parseSort(params.get('sort'))}
              matching={a.data.traces}
              testId="analytics-trace-list"
            />
          </section>
        </>
      )}
    </div>
  );
}

function Percentiles({ a, b }: { a: StatsResponse; b: StatsResponse | null }) {
  const row = (label: string, s: StatsResponse) => (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{formatDuration(s.responseTime.p50)}</td>
      <td className="num">{formatDuration(s.responseTime.p90)}</td>
      <td className="num">{formatDuration(s.responseTime.p99)}</td>
      <td className="num">{formatDuration(s.responseTime.max)}</td>
    </tr>
  );
  return (
    <table className="data-table compact percentiles">
      <thead>
        <tr>
          <th />
          <th className="num">p50</th>
          <th className="num">p90</th>
          <th className="num">p99</th>
          <th className="num">max</th>
        </tr>
      </thead>
      <tbody>
        {row('Set A', a)}
        {b && row('Set B', b)}
      </tbody>
    </table>
  );
}
