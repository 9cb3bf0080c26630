import type { GroupBy, GroupsResponse } from '@fluoro/contracts';
import { getGroups, type Window } from '../api/fluoro';
import { useApi } from '../app/use-api';
import { formatDuration } from '../time/range';
import { ErrorState, Loading } from '../ui/states';
import { GroupValueCell, show } from '../traces/group-table';
import { rankByDifference } from './ranking';

/** Groups asked of the selection: more than shown, so a value far down by count can rank first. */
const SELECTION_GROUPS = 200;
/** Groups asked of the baseline: as many as Fluoro gives, so the selection's values are in it. */
const BASELINE_GROUPS = 1000;

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * One attribute's values in set A, ranked by how much more of A than of the baseline has each
 * (Δ, percentage points; `ranking.ts`): the baseline is set B when comparing, else all traces of
 * the range. Set A of all traces and no set B has no baseline to differ from: most traces first.
 * Clicking a row adds its condition to the set being refined.
 */
export function DifferenceTable({
  window,
  filter,
  by,
  title,
  comparing,
  baselineFilter,
  limit = 20,
  onAdd,
  testId,
}: {
  window: Window;
  filter: string;
  by: GroupBy;
  title: string;
  /** Set B is the baseline (else all traces of the range). */
  comparing: boolean;
  baselineFilter: string;
  limit?: number;
  onAdd(condition: string): void;
  testId: string;
}) {
  const same = filter.trim() === baselineFilter.trim();
  const a = useApi((signal) => getGroups(window, filter, by, SELECTION_GROUPS, signal), [window.start, window.end, filter, by]);
  const base = useApi(
    (signal): Promise<GroupsResponse> | null => (same ? null : getGroups(window, baselineFilter, by, BASELINE_GROUPS, signal)),
    [window.start, window.end, baselineFilter, by, same],
  );
  const baseline = same ? a.data : base.data;
  const error = a.error ?? (same ? null : base.error);
  if (error) return <ErrorState error={error} retry={a.error ? a.reload : base.reload} />;
  if (!a.data || !baseline) return <Loading what="groups" />;

  const ranked = rankByDifference(a.data, baseline, { baselineOnly: comparing });
  const rows = ranked.slice(0, limit);
  const differs = comparing || !same;
  const baselineName = comparing ? 'Share B' : 'Share of all';
  return (
    <div className="group-table" data-testid={testId}>
      <h3>{title}</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th>{by}</th>
            <th className="num">Traces</th>
            <th className="num">Share</th>
            {differs && <th className="num">{baselineName}</th>}
            {differs && (
              <th className="num" aria-sort="descending">
                <abbr title={`Share of set A minus ${comparing ? 'share of set B' : 'share of all traces'}, percentage points`}>Δ</abbr>
              </th>
            )}
            <th className="num">Avg response</th>
            <th className="num">Faults</th>
            <th className="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const g = r.group;
            const delta = r.delta * 100;
            return (
              <tr
                key={r.key}
                data-testid="group-row"
                data-value={show(g.value)}
                data-traces={g.traces}
                className="clickable"
                onClick={() => onAdd(g.filter)}
              >
                <GroupValueCell group={g} onAdd={onAdd} />
                <td className="num">{g.traces}</td>
                <td className="num share-cell">
                  <span className="share-bar" style={{ width: `${Math.min(100, r.share * 100)}%` }} aria-hidden="true" />
                  {percent(r.share)}
                </td>
                {differs && (
                  <td className="num" data-testid="group-baseline">
                    {r.baselineAtMost ? `≤ ${percent(r.baseline)}` : r.baseline === 0 ? '0%' : percent(r.baseline)}
                  </td>
                )}
                {differs && (
                  <td className={`num delta ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}`} data-testid="group-delta">
                    {r.baselineAtMost ? '≥ ' : ''}
                    {delta > 0 ? '+' : ''}
                    {delta.toFixed(1)}
                  </td>
                )}
                <td className="num">{formatDuration(g.responseTimeAvg)}</td>
                <td className="num">{g.faults || ''}</td>
                <td className="num">{g.errors || ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">No matching traces.</p>}
      {differs && rows.length > 0 && (
        <p className="muted small">
          Most over-represented in set A first: Δ is A’s share minus {comparing ? 'B’s' : 'that of all traces in the time range'}.
        </p>
      )}
      {ranked.length > limit && (
        <p className="muted small">
          Showing the first {limit} of {ranked.length}.
        </p>
      )}
    </div>
  );
}
