import { useState, type ReactNode } from 'react';
import { formatTime } from '../time/format';
import { formatDuration } from '../time/range';
import type { Doc, TimelineSpan } from './timeline-model';

type Tab = 'overview' | 'resources' | 'annotations' | 'metadata' | 'exceptions' | 'sql' | 'raw';

const TABS: ReadonlyArray<{ key: Tab; label: string }> = [
  { key: 'overview', label: 'Overview' },
  { key: 'resources', label: 'Resources' },
  { key: 'annotations', label: 'Annotations' },
  { key: 'metadata', label: 'Metadata' },
  { key: 'exceptions', label: 'Exceptions' },
  { key: 'sql', label: 'SQL' },
  { key: 'raw', label: 'Raw JSON' },
];

const obj = (v: unknown): Doc | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : null);

interface Exception {
  id?: string;
  type?: string;
  message?: string;
  remote?: boolean;
  truncated?: number;
  skipped?: number;
  cause?: string;
  stack?: Array<{ path?: string; line?: number; label?: string }>;
}

function exceptionsOf(d: Doc): { list: Exception[]; reference: string | null; workingDirectory: string | null } {
  const cause = d.cause;
  if (typeof cause === 'string') return { list: [], reference: cause, workingDirectory: null };
  const c = obj(cause);
  return {
    list: Array.isArray(c?.exceptions) ? (c.exceptions as Exception[]) : [],
    reference: null,
    workingDirectory: typeof c?.working_directory === 'string' ? c.working_directory : null,
  };
}

/** Counts shown on the tabs, so a user sees where the data is without opening each. */
function counts(d: Doc): Partial<Record<Tab, number>> {
  return {
    annotations: Object.keys(obj(d.annotations) ?? {}).length,
    metadata: Object.keys(obj(d.metadata) ?? {}).length,
    exceptions: exceptionsOf(d).list.length,
    sql: obj(d.sql) ? 1 : 0,
  };
}

/** The selected segment or subsegment, tab by tab. */
export function Inspector({ span, onClose }: { span: TimelineSpan; onClose(): void }) {
  const [tab, setTab] = useState<Tab>('overview');
  const n = counts(span.doc);
  return (
    <aside className="inspector" data-testid="inspector" aria-label={`Details of ${span.name}`}>
      <header>
        <div>
          <h2>{span.name}</h2>
          <p className="muted small">
            {span.kind} <span className="mono">{span.id}</span>
          </p>
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <div className="tabs" role="tablist" aria-label="Segment details">
        {TABS.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={`tab-${t.key}`}
            aria-selected={tab === t.key}
            aria-controls="inspector-panel"
            className={`tab${tab === t.key ? ' active' : ''}`}
            onClick={() => setTab(t.key)}
            data-testid={`tab-${t.key}`}
          >
            {t.label}
            {n[t.key] ? <span className="badge">{n[t.key]}</span> : null}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id="inspector-panel" aria-labelledby={`tab-${tab}`} data-testid="inspector-panel">
        {tab === 'overview' && <Overview span={span} />}
        {tab === 'resources' && <Resources span={span} />}
        {tab === 'annotations' && <Annotations d={span.doc} />}
        {tab === 'metadata' && <Json value={span.doc.metadata} empty="No metadata on this span." />}
        {tab === 'exceptions' && <Exceptions d={span.doc} />}
        {tab === 'sql' && <Sql d={span.doc} />}
        {tab === 'raw' && <Raw span={span} />}
      </div>
    </aside>
  );
}

function KV({ rows }: { rows: Array<[string, ReactNode]> }) {
  const shown = rows.filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (shown.length === 0) return <p className="muted">Nothing recorded.</p>;
  return (
    <dl className="kv">
      {shown.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const text = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);

function Overview({ span }: { span: TimelineSpan }) {
  const d = span.doc;
  const http = obj(d.http);
  const req = obj(http?.request);
  const res = obj(http?.response);
  return (
    <>
      <KV
        rows={[
          ['Status', <span className={`status-pill status-${span.status}`}>{span.status}</span>],
          ['Start', `${formatTime(span.start, true)}`],
          ['End', span.end === null ? 'in progress' : formatTime(span.end, true)],
          ['Duration', span.end === null ? 'in progress' : formatDuration(span.end - span.start)],
          ['Namespace', text(d.namespace)],
          ['User', text(d.user)],
          ['Parent', text(d.parent_id)],
          ['Trace', text(span.segment.trace_id)],
        ]}
      />
      <h3>Request</h3>
      <KV
        rows={[
          ['Method', text(req?.method)],
          ['URL', text(req?.url)],
          ['Client IP', text(req?.client_ip)],
          ['User agent', text(req?.user_agent)],
          ['X-Forwarded-For', text(req?.x_forwarded_for)],
          ['Traced', text(req?.traced)],
        ]}
      />
      <h3>Response</h3>
      <KV
        rows={[
          ['Status', text(res?.status)],
          ['Content length', text(res?.content_length)],
        ]}
      />
    </>
  );
}

function Resources({ span }: { span: TimelineSpan }) {
  const d = span.doc;
  const seg = span.segment;
  const aws = obj(d.aws);
  const xray = obj(obj(seg.aws)?.xray);
  return (
    <>
      <h3>AWS</h3>
      {aws ? <Json value={aws} empty="" /> : <p className="muted">No aws block on this span.</p>}
      <h3>Origin and service</h3>
      <KV
        rows={[
          ['Origin', text(seg.origin)],
          ['Resource ARN', text(seg.resource_arn)],
          ['Service', text(seg.service)],
          ['Inferred', span.kind === 'inferred' ? 'yes: made from the calling subsegment' : undefined],
        ]}
      />
      <h3>SDK</h3>
      <KV
        rows={[
          ['SDK', text(xray?.sdk)],
          ['SDK version', text(xray?.sdk_version)],
          ['Auto-instrumentation', text(xray?.auto_instrumentation)],
        ]}
      />
    </>
  );
}

function Annotations({ d }: { d: Doc }) {
  const a = obj(d.annotations);
  if (!a || Object.keys(a).length === 0)
    return <p className="muted">No annotations on this span. Annotations are indexed: filter on them with annotation.key = value.</p>;
  return (
    <table className="data-table" data-testid="annotations">
      <thead>
        <tr>
          <th>Key</th>
          <th>Value</th>
          <th>Type</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(a).map(([k, v]) => (
          <tr key={k}>
            <td className="mono">{k}</td>
            <td className="mono">{String(v)}</td>
            <td className="muted">{typeof v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Exceptions({ d }: { d: Doc }) {
  const { list, reference, workingDirectory } = exceptionsOf(d);
  if (reference)
    return (
      <p>
        The exception is recorded on another span: exception ID <code>{reference}</code>.
      </p>
    );
  if (list.length === 0) return <p className="muted">No exceptions on this span.</p>;
  return (
    <div data-testid="exceptions">
      {workingDirectory && (
        <p className="muted small">
          Working directory <code>{workingDirectory}</code>
        </p>
      )}
      {list.map((e, i) => (
        <article key={e.id ?? i} className="exception">
          <h3>
            {e.type ?? 'Exception'}
            {e.remote ? <span className="badge">remote</span> : null}
          </h3>
          {e.message && <p className="mono">{e.message}</p>}
          {e.stack && e.stack.length > 0 && (
            <ol className="stack">
              {e.stack.map((f, j) => (
                <li key={j} className="mono small">
                  <span>{f.label ?? '(anonymous)'}</span>{' '}
                  <span className="muted">
                    {f.path}
                    {f.line != null ? `:${f.line}` : ''}
                  </span>
                </li>
              ))}
              {e.truncated ? <li className="muted small">… {e.truncated} more frames not recorded</li> : null}
            </ol>
          )}
          {e.cause && <p className="muted small">Caused by exception {e.cause}</p>}
        </article>
      ))}
    </div>
  );
}

function Sql({ d }: { d: Doc }) {
  const sql = obj(d.sql);
  if (!sql) return <p className="muted">No SQL on this span.</p>;
  return (
    <>
      <KV
        rows={[
          ['Database', text(sql.database_type)],
          ['Version', text(sql.database_version)],
          ['URL', text(sql.url)],
          ['User', text(sql.user)],
          ['Driver', text(sql.driver_version)],
          ['Preparation', text(sql.preparation)],
        ]}
      />
      {typeof sql.sanitized_query === 'string' && (
        <>
          <h3>Query</h3>
          <pre className="code">{sql.sanitized_query}</pre>
        </>
      )}
    </>
  );
}

function Raw({ span }: { span: TimelineSpan }) {
  const [whole, setWhole] = useState(false);
  const value = whole ? span.segment : span.doc;
  return (
    <>
      {span.segment !== span.doc && (
        <label className="small">
          <input type="checkbox" checked={whole} onChange={(e) => setWhole(e.target.checked)} /> Show the whole segment document
        </label>
      )}
      <Json value={value} empty="" />
    </>
  );
}

function Json({ value, empty }: { value: unknown; empty: string }) {
  if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0))
    return <p className="muted">{empty}</p>;
  return (
    <pre className="code json" data-testid="json">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
