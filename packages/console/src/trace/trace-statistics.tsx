import { useMemo, useState } from 'react';
import { formatDuration } from '../time/range';
import { serviceColor } from './flame-graph';
import type { TimelineModel } from './timeline-model';
import { sortStats, traceStats, type StatColumn, type StatRow } from './trace-stats';

/** Where the trace's time went: self and total time per service and per operation, sortable. */
export function TraceStatistics({ model }: { model: TimelineModel }) {
  const stats = useMemo(() => traceStats(model), [model]);
  const colour = useMemo(() => new Map(model.groups.map((g, i) => [g.name, serviceColor(i)])), [model]);
  return (
    <div className="trace-stats" data-testid="trace-stats">
      <p className="muted small">
        <strong>Self time</strong>: a span’s duration less the time its child spans cover (its subsegments and the calls it waits on).{' '}
        <strong>Total</strong>: the spans’ durations, a span inside another of the same row counted once. <strong>% of trace</strong>: self
        time over the trace’s {formatDuration(stats.duration)}; work done in parallel can add up to more than 100 %.
      </p>
      <StatTable title="By service" rows={stats.services} operations={false} colour={colour} testId="stats-services" />
      <StatTable title="By operation" rows={stats.operations} operations colour={colour} testId="stats-operations" />
    </div>
  );
}

const COLUMNS: ReadonlyArray<{ key: StatColumn; label: string; numeric: boolean }> = [
  { key: 'service', label: 'Service', numeric: false },
  { key: 'operation', label: 'Operation', numeric: false },
  { key: 'count', label: 'Spans', numeric: true },
  { key: 'total', label: 'Total', numeric: true },
  { key: 'self', label: 'Self time', numeric: true },
  { key: 'share', label: '% of trace', numeric: true },
];

function StatTable({
  title,
  rows,
  operations,
  colour,
  testId,
}: {
  title: string;
  rows: StatRow[];
  operations: boolean;
  colour: ReadonlyMap<string, string>;
  testId: string;
}) {
  const [sort, setSort] = useState<{ column: StatColumn; descending: boolean }>({ column: 'self', descending: true });
  const sorted = useMemo(() => sortStats(rows, sort.column, sort.descending), [rows, sort]);
  const columns = COLUMNS.filter((c) => operations || c.key !== 'operation');
  const widest = Math.max(1e-12, ...rows.map((r) => r.share));
  return (
    <section className="stats-table" aria-label={`Statistics ${title.toLowerCase()}`}>
      <h3>{title}</h3>
      <div className="table-scroll">
        <table className="data-table compact" data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sort.column === c.key ? (sort.descending ? 'descending' : 'ascending') : undefined}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() =>
                      setSort((s) =>
                        s.column === c.key ? { column: c.key, descending: !s.descending } : { column: c.key, descending: c.numeric },
                      )
                    }
                  >
                    {c.label}
                    {sort.column === c.key && <span className="sort-arrow">{sort.descending ? '▼' : '▲'}</span>}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr
                key={r.key}
                data-testid="stats-row"
                data-service={r.service}
                data-operation={r.operation ?? undefined}
                data-self={r.self}
                data-total={r.total}
              >
                <td>
                  <span className="flame-swatch" style={{ background: colour.get(r.service) }} aria-hidden="true" /> {r.service}
                  {r.serviceType !== 'service' && <span className="muted small"> {r.serviceType}</span>}
                </td>
                {operations && <td className="mono">{r.operation}</td>}
                <td className="num">{r.count}</td>
                <td className="num">{formatDuration(r.total)}</td>
                <td className="num">{formatDuration(r.self)}</td>
                <td className="num share-cell">
                  <span className="share-bar" style={{ width: `${(r.share / widest) * 100}%` }} aria-hidden="true" />
                  <span className="share-value">{(r.share * 100).toFixed(1)} %</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
