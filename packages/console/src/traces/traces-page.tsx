import { parseFilter } from '@fluoro/core';
import { useCallback, useMemo, useState } from 'react';
import type { GroupBy } from '@fluoro/contracts';
import { setParams, useLocation } from '../app/router';
import { useSuggestions } from '../app/use-suggestions';
import { useTimeRange } from '../app/use-time-range';
import { andFilter } from '../filter/expressions';
import { FilterBar } from '../filter/filter-bar';
import { ErrorState } from '../ui/states';
import { AutoRefresh, TimeRangePicker } from '../ui/time-controls';
import { GroupBySelect, GroupTable } from './group-table';
import { LatencyScatter } from './latency-scatter';
import { parseSort } from './summary-fields';
import { TraceList } from './trace-list';

/**
 * Trace search: filter bar and time range, then the latency scatter and the list of matching
 * traces, then the group-by table (its five largest groups until asked for all).
 */
export function TracesPage() {
  const { params } = useLocation();
  const { range, window, refreshSeconds } = useTimeRange();
  const filter = params.get('filter') ?? '';
  const by = (params.get('group') ?? 'http.route') as GroupBy;
  const sort = parseSort(params.get('sort'));
  // The list answers first: the group-by counts and the autocomplete data aggregate the whole
  // window, and on two cores they would slow the list down if asked at the same time.
  const [listIn, setListIn] = useState<string | null>(null);
  const listKey = `${window.start}|${window.end}|${filter}`;
  const onFirstPage = useCallback(() => setListIn(listKey), [listKey]);
  const suggestions = useSuggestions(window, listIn !== null);
  const [matching, setMatching] = useState<number | null>(null);
  const onTotal = useCallback((n: number | null) => setMatching(n), []);
  // An expression that cannot run is explained once, here, instead of by every query.
  const problem = useMemo(() => {
    const r = filter ? parseFilter(filter) : null;
    return r && !r.ok ? new Error(`${r.message}. Correct it in the bar above; nothing was queried.`) : null;
  }, [filter]);

  return (
    <div className="page traces-page">
      <div className="toolbar">
        <h1>Traces</h1>
        <div className="toolbar-spacer" />
        <TimeRangePicker range={range} window={window} />
        <AutoRefresh seconds={refreshSeconds} loading={false} />
      </div>
      <FilterBar value={filter} onSubmit={(f) => setParams({ filter: f || null })} completionData={suggestions.data} />
      {problem && <ErrorState error={problem} title="This filter cannot run:" />}
      {!problem && (
        <>
          <section className="panel" aria-label="Trace list">
            <LatencyScatter window={window} filter={filter} enabled={listIn === listKey} />
            <TraceList window={window} filter={filter} sort={sort} matching={matching} onFirstPage={onFirstPage} />
          </section>
          <section className="panel" aria-labelledby="group-heading">
            <div className="panel-head">
              <h2 id="group-heading">
                {matching === null ? 'Matching traces' : `${matching} matching trace${matching === 1 ? '' : 's'}`} grouped by
              </h2>
              <label className="visually-hidden" htmlFor="group-by">
                Group by
              </label>
              <GroupBySelect
                id="group-by"
                value={by}
                onChange={(b) => setParams({ group: b === 'http.route' ? null : b }, { replace: true })}
                annotationKeys={(suggestions.data?.annotationKeys ?? []).map((a) => a.key)}
              />
            </div>
            <GroupTable
              window={window}
              filter={filter}
              by={by}
              onAdd={(c) => setParams({ filter: andFilter(filter, c) })}
              onTotal={onTotal}
              enabled={listIn === listKey}
              collapsed={5}
            />
          </section>
        </>
      )}
    </div>
  );
}
