import { useEffect, useState } from 'react';
import type { GroupBy, TraceGroup } from '@fluoro/contracts';
import { getGroups, type Window } from '../api/fluoro';
import { useApi } from '../app/use-api';
import { formatDuration } from '../time/range';
import { ErrorState, Loading } from '../ui/states';

export const GROUP_CHOICES: ReadonlyArray<{ by: GroupBy; label: string }> = [
  { by: 'http.route', label: 'URL path' },
  { by: 'http.url', label: 'Full URL' },
  { by: 'http.status', label: 'HTTP status' },
  { by: 'http.method', label: 'Method' },
  { by: 'user', label: 'User' },
  { by: 'service', label: 'Service' },
];

/** `annotation.key` when the key is a plain name, else the bracket form. */
export function annotationGroup(key: string): GroupBy {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `annotation.${key}` : `annotation[${key}]`;
}

export function GroupBySelect({
  value,
  onChange,
  annotationKeys,
  id,
}: {
  value: GroupBy;
  onChange(by: GroupBy): void;
  annotationKeys: readonly string[];
  id?: string;
}) {
  const known = GROUP_CHOICES.some((c) => c.by === value) || annotationKeys.some((k) => annotationGroup(k) === value);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as GroupBy)} data-testid="group-by">
      {GROUP_CHOICES.map((c) => (
        <option key={c.by} value={c.by}>
          {c.label}
        </option>
      ))}
      {annotationKeys.length > 0 && (
        <optgroup label="Annotations">
          {annotationKeys.map((k) => (
            <option key={k} value={annotationGroup(k)}>
              annotation {k}
            </option>
          ))}
        </optgroup>
      )}
      {!known && <option value={value}>{value}</option>}
    </select>
  );
}

export const show = (v: TraceGroup['value']) => (v === null ? '(none)' : String(v));

/** A group's value: a button that adds the group's condition to the filter, with a node's type for services. */
export function GroupValueCell({ group, onAdd }: { group: Pick<TraceGroup, 'value' | 'type' | 'filter'>; onAdd(condition: string): void }) {
  return (
    <td>
      <button
        type="button"
        className="link-button"
        onClick={(e) => (e.stopPropagation(), onAdd(group.filter))}
        title={`Add ${group.filter} to the filter`}
      >
        {show(group.value)}
      </button>
      {group.type && group.type !== 'service' && <span className="muted small"> {group.type}</span>}
    </td>
  );
}

/**
 * Counts of the matching traces by one attribute; clicking a row adds its condition to the
 * filter. With `compare`, a second set's shares and the difference (Δ, percentage points).
 */
export function GroupTable({
  window,
  filter,
  by,
  onAdd,
  compareFilter,
  limit = 50,
  testId = 'group-table',
  title,
  onTotal,
  enabled = true,
  collapsed,
}: {
  window: Window;
  filter: string;
  by: GroupBy;
  onAdd(condition: string): void;
  compareFilter?: string | null;
  limit?: number;
  testId?: string;
  title?: string;
  onTotal?(traces: number | null): void;
  /** False holds the query back (the trace list goes first). */ enabled?: boolean;
  /** Rows shown until "Show all" is pressed (all by default). */ collapsed?: number;
}) {
  const [expanded, setExpanded] = useState(false);
  const a = useApi(
    (signal) => (enabled ? getGroups(window, filter, by, limit, signal) : null),
    [window.start, window.end, filter, by, limit, enabled],
  );
  const total = a.data?.traces ?? null;
  useEffect(() => onTotal?.(total), [total, onTotal]);
  const b = useApi(
    (signal) => (compareFilter === undefined || compareFilter === null ? null : getGroups(window, compareFilter, by, limit, signal)),
    [window.start, window.end, compareFilter, by, limit],
  );
  if (a.error) return <ErrorState error={a.error} retry={a.reload} />;
  if (!a.data) return <Loading what="groups" />;
  const comparing = compareFilter !== undefined && compareFilter !== null;
  const bByValue = new Map((b.data?.groups ?? []).map((g) => [show(g.value), g]));
  const rows = [...a.data.groups];
  if (comparing)
    for (const g of b.data?.groups ?? [])
      if (!rows.some((r) => show(r.value) === show(g.value)))
        rows.push({ ...g, traces: 0, share: 0, responseTimeAvg: null, faults: 0, errors: 0, throttles: 0 });
  return (
    <div className="group-table" data-testid={testId}>
      {title && <h3>{title}</h3>}
      {b.error && <ErrorState error={b.error} retry={b.reload} />}
      <table className="data-table">
        <thead>
          <tr>
            <th>{by}</th>
            <th className="num">Traces</th>
            <th className="num">Share</th>
            {comparing && <th className="num">Share B</th>}
            {comparing && <th className="num">Δ</th>}
            <th className="num">Avg response</th>
            <th className="num">Faults</th>
            <th className="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {(collapsed !== undefined && !expanded ? rows.slice(0, collapsed) : rows).map((g) => {
            const other = bByValue.get(show(g.value));
            const delta = comparing ? (g.share - (other?.share ?? 0)) * 100 : 0;
            return (
              <tr
                key={show(g.value)}
                data-testid="group-row"
                data-value={show(g.value)}
                data-traces={g.traces}
                className="clickable"
                onClick={() => onAdd(g.filter)}
              >
                <GroupValueCell group={g} onAdd={onAdd} />
                <td className="num">{g.traces}</td>
                <td className="num share-cell">
                  <span className="share-bar" style={{ width: `${Math.min(100, g.share * 100)}%` }} aria-hidden="true" />
                  {(g.share * 100).toFixed(1)}%
                </td>
                {comparing && <td className="num">{other ? `${(other.share * 100).toFixed(1)}%` : '0%'}</td>}
                {comparing && (
                  <td className={`num delta ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}`} data-testid="group-delta">
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
      {collapsed !== undefined && !expanded && rows.length > collapsed && (
        <button type="button" className="link-button" onClick={() => setExpanded(true)} data-testid="groups-show-all">
          Show all {rows.length} groups
        </button>
      )}
      {a.data.groups.length === 0 && <p className="muted">No matching traces.</p>}
      {a.data.truncated && <p className="muted small">Showing the {limit} largest groups.</p>}
    </div>
  );
}
