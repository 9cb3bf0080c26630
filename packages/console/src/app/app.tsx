import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { AboutResponse, SessionResponse } from '@fluoro/contracts';
import { getAbout, getSession, signOut } from '../api/fluoro';
import { SIGN_IN_REQUIRED } from '../api/client';
import { SignIn } from './sign-in';
import { Loading } from '../ui/states';
import { AboutContext, ThemeContext, type Theme } from './context';
import { Header } from './header';
import { navigate, useLocation } from './router';

const MapPage = lazy(() => import('../map/map-page').then((m) => ({ default: m.MapPage })));
const TracesPage = lazy(() => import('../traces/traces-page').then((m) => ({ default: m.TracesPage })));
const TracePage = lazy(() => import('../trace/trace-page').then((m) => ({ default: m.TracePage })));
const ComparePage = lazy(() => import('../compare/compare-page').then((m) => ({ default: m.ComparePage })));
const AnalyticsPage = lazy(() => import('../analytics/analytics-page').then((m) => ({ default: m.AnalyticsPage })));
const SamplingPage = lazy(() => import('../sampling/sampling-page').then((m) => ({ default: m.SamplingPage })));

function initialTheme(): Theme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

export function App() {
  const { path } = useLocation();
  const [about, setAbout] = useState<AboutResponse | null>(null);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [session, setSession] = useState<SessionResponse | null>(null);
  const signedOut = session !== null && session.required && session.user === null;

  useEffect(() => {
    getSession().then(setSession, () => setSession({ required: false, user: null, roles: [], oidc: null }));
    const ask = () => setSession((s) => ({ required: true, user: null, roles: [], oidc: s?.oidc ?? null }));
    window.addEventListener(SIGN_IN_REQUIRED, ask);
    return () => window.removeEventListener(SIGN_IN_REQUIRED, ask);
  }, []);
  useEffect(() => {
    if (session && !signedOut) getAbout().then(setAbout, () => setAbout(null));
  }, [session, signedOut]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem('fluoro.theme', theme);
    } catch {
      // Private mode: the theme lasts for this page only.
    }
  }, [theme]);
  useEffect(() => {
    if (path === '/') navigate('/map', { replace: true });
  }, [path]);
  // On another page, the focus goes to its content: the link that had it is gone, and Tab goes on
  // from the top of the new page instead of from the start of the document.
  const shownPath = useRef<string | null>(null);
  useEffect(() => {
    const from = shownPath.current;
    shownPath.current = path;
    if (from !== null && from !== '/' && from !== path) document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);

  return (
    <AboutContext.Provider value={about}>
      <ThemeContext.Provider value={theme}>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Header
          path={path}
          theme={theme}
          onTheme={setTheme}
          version={about?.version ?? null}
          user={session?.user ?? null}
          onSignOut={() => void signOut().then(setSession)}
        />
        <main id="main" tabIndex={-1}>
          {session === null ? (
            <Loading what="the console" />
          ) : signedOut ? (
            <SignIn oidc={session.oidc} onSignedIn={setSession} />
          ) : (
            <Suspense fallback={<Loading what="the page" />}>
              <Page path={path} />
            </Suspense>
          )}
        </main>
      </ThemeContext.Provider>
    </AboutContext.Provider>
  );
}

function Page({ path }: { path: string }) {
  if (path === '/' || path === '/map') return <MapPage />;
  if (path === '/traces') return <TracesPage />;
  const trace = /^\/traces\/([^/]+)$/.exec(path);
  if (trace) return <TracePage traceId={decodeURIComponent(trace[1]!)} />;
  const pair = /^\/traces\/([^/]+)\/compare\/([^/]+)$/.exec(path);
  if (pair) return <ComparePage a={decodeURIComponent(pair[1]!)} b={decodeURIComponent(pair[2]!)} />;
  if (path === '/analytics') return <AnalyticsPage />;
  if (path === '/sampling') return <SamplingPage />;
  return (
    <div className="page state state-empty">
      <h1>Nothing at {path}</h1>
      <p>
        The console has the <a href="/map">service map</a>, <a href="/traces">traces</a>, <a href="/analytics">analytics</a> and{' '}
        <a href="/sampling">sampling rules</a>.
      </p>
    </div>
  );
}
