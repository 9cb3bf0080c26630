import { useMemo, useState } from 'react';
import { deleteSamplingRule, getSamplingRules, getSamplingStatistics } from '../api/fluoro';
import { useAbout } from '../app/context';
import { setParams, useLocation } from '../app/router';
import { useApi } from '../app/use-api';
import { useVisibleInterval } from '../app/use-visible-interval';
import { formatClock } from '../time/format';
import { Dialog } from '../ui/dialog';
import { ErrorState, Loading } from '../ui/states';
import { suggestPriority } from './rule-form-model';
import { RuleFormDialog, type Outcome } from './rule-form';
import { ruleStats, RECENT, type RecentKey } from './rule-stats';
import { RuleTable } from './rule-table';

/** SDKs report every 10 s; so does this page ask, while it is visible. */
const REFRESH_MS = 10_000;

/**
 * Sampling: the rules in the order SDKs try them, what SDKs reported for each, and create / edit
 * / delete. The open form is in the URL (`new=1`, `edit=<rule>`), as is the recent period of the
 * per-minute rates (`recent=1m`, default 5 minutes).
 */
export function SamplingPage() {
  const { params } = useLocation();
  const recent: RecentKey = params.get('recent') === '1m' ? '1m' : '5m';
  const editing = params.get('edit');
  const creating = params.get('new') === '1';
  const rules = useApi((signal) => getSamplingRules(signal), []);
  const stats = useApi(async (signal) => ({ summaries: await getSamplingStatistics(signal), at: Date.now() / 1000 }), []);
  useVisibleInterval(() => {
    rules.reload();
    stats.reload();
  }, REFRESH_MS);
  const byRule = useMemo(
    () => (stats.data ? ruleStats(stats.data.summaries, stats.data.at, RECENT[recent].seconds) : new Map()),
    [stats.data, recent],
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const records = rules.data ?? [];
  const editRecord = editing ? records.find((r) => r.SamplingRule.RuleName === editing) : undefined;
  const closeForm = () => setParams({ edit: null, new: null });
  const done = (name: string, outcome: Outcome) => {
    closeForm();
    setNotice(outcome === 'unchanged' ? `Nothing changed in rule ${name}.` : `Rule ${name} ${outcome}. SDKs apply it within 10 seconds.`);
    rules.reload();
  };

  return (
    <div className="page sampling-page">
      <div className="toolbar">
        <h1>Sampling</h1>
        <div className="toolbar-spacer" />
        <span className="refresh-status muted small" data-testid="stats-updated">
          <span className={stats.loading || rules.loading ? 'refresh-dot busy' : 'refresh-dot'} aria-hidden="true" />
          {stats.data ? `Live counts, every 10 s · updated ${formatClock(stats.data.at)}` : 'Live counts, every 10 s'}
        </span>
        <label>
          <span className="visually-hidden">Per-minute rates over</span>
          <select
            value={recent}
            onChange={(e) => setParams({ recent: e.target.value === '5m' ? null : e.target.value }, { replace: true })}
            data-testid="recent"
          >
            {Object.entries(RECENT).map(([k, r]) => (
              <option key={k} value={k}>
                Rates over the {r.label.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setNotice(null);
            setParams({ new: '1', edit: null });
          }}
          data-testid="rule-new"
        >
          New rule
        </button>
      </div>
      <p className="muted intro">
        SDKs try the rules by priority, lowest number first, and the first that matches decides: up to its reservoir of requests each second
        are recorded (shared by all instances), then its fixed rate of the rest. <em>Borrowed</em> requests were recorded by an SDK still
        waiting for its first quota.
      </p>
      {notice && (
        <p className="notice" role="status" data-testid="sampling-notice">
          {notice}
        </p>
      )}
      {rules.error && <ErrorState error={rules.error} retry={rules.reload} />}
      {stats.error && <ErrorState error={stats.error} retry={stats.reload} title="The live counts failed." />}
      {!rules.data && !rules.error && <Loading what="sampling rules" />}
      {rules.data && records.length === 0 && (
        <div className="state state-empty" data-testid="empty-state">
          <h2>No sampling rules</h2>
          <p>This Fluoro answered no rules, not even Default. Create one with New rule.</p>
        </div>
      )}
      {records.length > 0 && (
        <section className="panel" aria-label="Sampling rules">
          <RuleTable
            records={records}
            stats={byRule}
            statsKnown={stats.data !== undefined}
            recent={recent}
            onEdit={(name) => {
              setNotice(null);
              setParams({ edit: name, new: null });
            }}
            onDelete={(name) => {
              setNotice(null);
              setDeleting(name);
            }}
          />
          {stats.data && byRule.size === 0 && <NoReports />}
        </section>
      )}
      {editing && rules.data && !editRecord && (
        <div className="state state-empty" data-testid="no-such-rule">
          <p>
            There is no sampling rule named <code>{editing}</code>; it may have been deleted.{' '}
            <button type="button" onClick={closeForm}>
              Back to the rules
            </button>
          </p>
        </div>
      )}
      {(creating || editRecord) && (
        <RuleFormDialog
          key={editing ?? 'new'}
          rule={editRecord?.SamplingRule ?? null}
          suggestedPriority={suggestPriority(records.map((r) => r.SamplingRule))}
          onDone={done}
          onCancel={closeForm}
        />
      )}
      {deleting && (
        <ConfirmDelete
          name={deleting}
          onCancel={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            setNotice(`Rule ${deleting} deleted. Requests it matched fall to the next rule by priority.`);
            rules.reload();
            stats.reload();
          }}
        />
      )}
    </div>
  );
}

function ConfirmDelete({ name, onCancel, onDeleted }: { name: string; onCancel(): void; onDeleted(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteSamplingRule(name);
      onDeleted();
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Delete rule ${name}?`} onClose={onCancel} testId="delete-dialog">
      <p>SDKs stop applying it within 10 seconds; the requests it matched fall to the next rule by priority, Default at the latest.</p>
      {error && (
        <div className="state state-error form-error" role="alert" data-testid="delete-error">
          <strong>Not deleted.</strong> <span className="mono">{error.message}</span>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="danger-primary" onClick={confirm} disabled={busy} data-testid="delete-confirm">
          {busy ? 'Deleting…' : 'Delete rule'}
        </button>
        <button type="button" onClick={onCancel} data-autofocus data-testid="delete-cancel">
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** No SDK reported in the last hour: how to point one at this Fluoro, with its real addresses. */
function NoReports() {
  const l = useAbout()?.listeners;
  const port = (a: string | null | undefined) => a?.slice(a.lastIndexOf(':') + 1);
  const address =
    l?.udp && l.http && port(l.udp) !== port(l.http) ? `"tcp:${l.http} udp:${l.udp}"` : (l?.udp ?? l?.http ?? '127.0.0.1:2000');
  return (
    <div className="no-reports muted" data-testid="no-reports">
      No SDK has reported to this Fluoro in the last hour. X-Ray SDKs fetch the rules every 5 minutes and report their counts every 10
      seconds when pointed at it: <code className="copyable">export AWS_XRAY_DAEMON_ADDRESS={address}</code>
    </div>
  );
}
