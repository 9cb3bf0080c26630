import { useState } from 'react';
import { extractTraceId } from '../filter/expressions';
import type { Theme } from './context';
import { Link } from './link';
import { navigate } from './router';

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

/** Opens a trace by ID: either form, or a traceparent / X-Amzn-Trace-Id header, pasted or typed. */
function GoToTrace() {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState(false);
  const open = (text: string) => {
    const id = extractTraceId(text);
    if (!id) return setProblem(true);
    setProblem(false);
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
        aria-invalid={problem || undefined}
        title={problem ? 'Not a trace ID: use 1-5759e988-bd862e3fe1be46a994272793 or 32 hex digits' : undefined}
        onChange={(e) => {
          setValue(e.target.value);
          setProblem(false);
        }}
        onPaste={(e) => {
          const text = e.clipboardData.getData('text');
          if (extractTraceId(text)) {
            e.preventDefault();
            open(text);
          }
        }}
      />
    </form>
  );
}
