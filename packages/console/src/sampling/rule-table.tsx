import type { SamplingRuleRecord } from '../api/xray-types';
import { formatTime } from '../time/format';
import { formatAge } from '../time/range';
import { DEFAULT_RULE, MATCHERS, percent } from './rule-form-model';
import { formatCount, formatRate, RECENT, type RecentKey, type RuleStats } from './rule-stats';

/**
 * The rules in the order SDKs try them, what each matches, its reservoir and rate, and what SDKs
 * reported for it: per minute over the recent period and in total over the hour.
 */
export function RuleTable({
  records,
  stats,
  statsKnown,
  recent,
  onEdit,
  onDelete,
}: {
  records: readonly SamplingRuleRecord[];
  stats: ReadonlyMap<string, RuleStats>;
  /** False until the statistics have loaded (or when they failed). */ statsKnown: boolean;
  recent: RecentKey;
  onEdit(name: string): void;
  onDelete(name: string): void;
}) {
  return (
    <div className="table-scroll">
      <table className="data-table rule-table" data-testid="rule-table">
        <thead>
          <tr>
            <th rowSpan={2} className="num">
              Priority
            </th>
            <th rowSpan={2}>Rule</th>
            <th rowSpan={2}>Matches</th>
            <th rowSpan={2} className="num">
              Reservoir
            </th>
            <th rowSpan={2} className="num">
              Fixed rate
            </th>
            <th colSpan={3} className="group-head">
              Per minute, {RECENT[recent].label.toLowerCase()}
            </th>
            <th colSpan={3} className="group-head">
              Last hour
            </th>
            <th rowSpan={2}>
              <span className="visually-hidden">Requests per 10 s over the hour</span>
            </th>
            <th rowSpan={2}>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
          <tr>
            <th className="num">Requests</th>
            <th className="num">Sampled</th>
            <th className="num">Borrowed</th>
            <th className="num">Requests</th>
            <th className="num">Sampled</th>
            <th className="num">Borrowed</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <Row
              key={r.SamplingRule.RuleName}
              record={r}
              stats={stats.get(r.SamplingRule.RuleName) ?? null}
              statsKnown={statsKnown}
              onEdit={onEdit}
              onDelete={onDelete}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({
  record,
  stats,
  statsKnown,
  onEdit,
  onDelete,
}: {
  record: SamplingRuleRecord;
  stats: RuleStats | null;
  statsKnown: boolean;
  onEdit(name: string): void;
  onDelete(name: string): void;
}) {
  const r = record.SamplingRule;
  const isDefault = r.RuleName === DEFAULT_RULE;
  const count = (v: number | undefined, format: (n: number) => string, testId: string) => (
    <td className="num" data-testid={testId}>
      {!statsKnown ? '—' : format(v ?? 0)}
    </td>
  );
  const attributes = Object.entries(r.Attributes ?? {});
  const skipped = attributes.length > 0 || r.ResourceARN !== '*';
  return (
    <tr data-testid="rule-row" data-rule={r.RuleName} data-priority={r.Priority}>
      <td className="num">{isDefault ? <span title="The Default rule is always tried last">{r.Priority}</span> : r.Priority}</td>
      <td>
        <span className="rule-name">{r.RuleName}</span>
        {isDefault && <span className="badge">built-in</span>}
        {record.ModifiedAt ? (
          <div className="muted small" title={formatTime(record.ModifiedAt)}>
            changed {formatAge(record.ModifiedAt)}
          </div>
        ) : null}
      </td>
      <td className="matches" data-testid="rule-matches">
        <Matches rule={r} />
        {attributes.length > 0 && (
          <div className="small">
            {attributes.map(([k, v]) => (
              <code key={k} className="chip">
                {k}={v}
              </code>
            ))}
          </div>
        )}
        {skipped && (
          <div className="small warn">
            X-Ray SDKs skip this rule ({attributes.length ? 'it has attributes' : 'its resource ARN is not *'})
          </div>
        )}
      </td>
      <td className="num nowrap" data-testid="rule-reservoir">
        {r.ReservoirSize}/s
      </td>
      <td className="num" data-testid="rule-rate">
        {percent(r.FixedRate)}%
      </td>
      {count(stats?.perMinute.requests, formatRate, 'recent-requests')}
      {count(stats?.perMinute.sampled, formatRate, 'recent-sampled')}
      {count(stats?.perMinute.borrowed, formatRate, 'recent-borrowed')}
      {count(stats?.hour.requests, formatCount, 'hour-requests')}
      {count(stats?.hour.sampled, formatCount, 'hour-sampled')}
      {count(stats?.hour.borrowed, formatCount, 'hour-borrowed')}
      <td>{stats && <Sparkline stats={stats} />}</td>
      <td className="nowrap actions">
        <button type="button" onClick={() => onEdit(r.RuleName)} aria-label={`Edit rule ${r.RuleName}`} data-testid="rule-edit">
          Edit
        </button>
        {!isDefault && (
          <button
            type="button"
            className="danger"
            onClick={() => onDelete(r.RuleName)}
            aria-label={`Delete rule ${r.RuleName}`}
            data-testid="rule-delete"
          >
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

/** `POST /api/checkout*`, then the other matchers that are not `*`; "every request" when none narrows. */
function Matches({ rule }: { rule: SamplingRuleRecord['SamplingRule'] }) {
  const narrowing = MATCHERS.filter((m) => m.key !== 'ResourceARN' && m.key !== 'HTTPMethod' && m.key !== 'URLPath' && rule[m.key] !== '*');
  const request = rule.HTTPMethod !== '*' || rule.URLPath !== '*';
  if (!request && narrowing.length === 0) return <span className="muted">every request</span>;
  return (
    <>
      {request && (
        <div className="mono">
          {rule.HTTPMethod === '*' ? 'any method' : rule.HTTPMethod} {rule.URLPath}
        </div>
      )}
      {narrowing.length > 0 && (
        <div className="small">
          {narrowing.map((m) => (
            <span key={m.key} className="matcher">
              <span className="muted">{m.label.toLowerCase()}</span> <code>{rule[m.key]}</code>
            </span>
          ))}
        </div>
      )}
    </>
  );
}

/** Requests (line) and sampled (filled) per 10-second window over the hour. */
function Sparkline({ stats }: { stats: RuleStats }) {
  const { requests, sampled } = stats.series;
  const max = Math.max(1, ...requests);
  const W = 120;
  const H = 26;
  const x = (i: number) => (i / (requests.length - 1)) * W;
  const y = (v: number) => H - 1 - (v / max) * (H - 2);
  const line = requests.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const area = `M0,${H - 1}${sampled.map((v, i) => `L${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('')}L${W},${H - 1}Z`;
  return (
    <svg
      className="sparkline"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Requests and sampled per 10 s over the last hour, at most ${max} per window`}
    >
      <path className="spark-sampled" d={area} />
      <path className="spark-requests" d={line} />
    </svg>
  );
}
