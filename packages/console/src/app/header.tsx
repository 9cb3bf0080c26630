import { useState } from 'react';
import { extractTraceId } from '../filter/expressions';
import { zoneName } from '../time/format';
import type { Theme } from './context';
import { Link } from './link';
import { navigate } from './router';
import { useZone } from './use-zone';

const PAGES = [
  { path: '/map', label: 'Service map' },
  { path: '/traces', label: 'Traces' },
  { path: '/analytics', label: 'Analytics' },
  { path: '/sampling', label: 'Sampling' },
];

/** Keeps the time range when moving between pages, so a comparison stays a comparison. */
function carry(path: string): string {
  const here = new URLSearchParams(location.search);
  const q = new URLSearchParams();
  for (const k of ['range', 'from', 'to', 'refresh']) {
    const v = here.get(k);
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function Header({
  path,
  theme,
  onTheme,
  version,
  user,
  onSignOut,
}: {
  path: string;
  theme: Theme;
  onTheme(t: Theme): void;
  version: string | null;
  user: string | null;
  onSignOut(): void;
}) {
  return (
    <header className="app-header">
      <Link href={carry('/map')} className="brand" aria-label="Fluoro home">
        <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
          <circle cx="16" cy="16" r="13" fill="none" stroke="var(--ok)" strokeWidth="5" strokeDasharray="55 100" />
          <circle
            cx="16"
            cy="16"
            r="13"
            fill="none"
            stroke="var(--fault)"
            strokeWidth="5"
            strokeDasharray="14 100"
            strokeDashoffset="-57"
          />
          <circle cx="16" cy="16" r="5" fill="var(--accent)" />
        </svg>
        Fluoro
      </Link>
      <nav aria-label="Pages">
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}>
              <Link
                href={carry(p.path)}
                aria-current={path === p.path || (p.path === '/traces' && path.startsWith('/traces/')) ? 'page' : undefined}
              >
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-spacer" />
      <GoToTrace />
      <button
        type="button"
        className="icon-button theme-toggle"
        onClick={() => onTheme(theme === 'dark' ? 'light' : 'dark')}
        aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        data-testid="theme-toggle"
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <ZoneSwitch />
      {version && <span className="muted small">v{version}</span>}
      {user && (
        <span className="signed-in small">
          <span className="muted" data-testid="signed-in-user">
            {user}
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      )}
    </header>
  );
}

/** UTC or the browser's zone for every time on every page; `tz` in the URL. */
function ZoneSwitch() {
  const [zone, setZone] = useZone();
  return (
    <label className="zone-switch">
      <span className="visually-hidden">Show times in</span>
      <select value={zone} onChange={(e) => setZone(e.target.value === 'local' ? 'local' : 'utc')} data-testid="time-zone">
        <option value="utc">UTC</option>
        <option value="local">Local ({zoneName('local')})</option>
      </select>
    </label>
  );
}

/** What the header's box takes, for the message when it cannot use what it got. */
const TRACE_ID_FORMS =
  'a trace ID looks like 1-5759e988-bd862e3fe1be46a994272793 (X-Ray) or 5759e988bd862e3fe1be46a994272793 (32 hex digits, W3C); a traceparent or X-Amzn-Trace-Id header works too';

/** Opens a trace by ID: either form, or a traceparent / X-Amzn-Trace-Id header, pasted or typed. */
function GoToTrace() {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const open = (text: string) => {
    const id = extractTraceId(text);
    if (!id) {
      const shown = text.trim().length > 40 ? `${text.trim().slice(0, 40)}…` : text.trim();
      return setProblem(shown ? `“${shown}” is not a trace ID: ${TRACE_ID_FORMS}.` : `Type or paste a trace ID: ${TRACE_ID_FORMS}.`);
    }
    setProblem(null);
    setValue('');
    navigate(`/traces/${id}`);
  };
  return (
    <form
      className="goto-trace"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        open(value);
      }}
    >
      <label className="visually-hidden" htmlFor="goto-trace">
        Open a trace by ID
      </label>
      <input
        id="goto-trace"
        data-testid="goto-trace"
        value={value}
        placeholder="Trace ID (1-… or 32 hex)"
        aria-invalid={problem !== null || undefined}
        aria-describedby={problem ? 'goto-trace-problem' : undefined}
        onChange={(e) => {
          setValue(e.target.value);
          setProblem(null);
        }}
        onKeyDown={(e) => e.key === 'Escape' && setProblem(null)}
        onBlur={() => setProblem(null)}
        onPaste={(e) => {
          const text = e.clipboardData.getData('text');
          if (extractTraceId(text)) {
            e.preventDefault();
            open(text);
          }
        }}
      />
      {problem && (
        <p className="goto-trace-problem" id="goto-trace-problem" role="alert" data-testid="goto-trace-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
