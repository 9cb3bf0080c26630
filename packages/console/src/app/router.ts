import { useSyncExternalStore } from 'react';

/**
 * A small history-API router: the URL is the console's state (page, filter, time range, selection),
 * so links can be shared and the back button works. Fluoro serves index.html for every path
 * without a file extension (packages/server/src/console/static.ts).
 */
const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

window.addEventListener('popstate', notify);

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

const snapshot = () => location.pathname + location.search;

export interface Location {
  path: string;
  params: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const q = href.indexOf('?');
  return { path: q < 0 ? href : href.slice(0, q), params: new URLSearchParams(q < 0 ? '' : href.slice(q)) };
}

/** Goes to `to` (a path with an optional query). `replace` for changes that should not add a history entry. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

/** `path?query` with the empty values left out. */
export function href(path: string, params: Record<string, string | number | null | undefined> | URLSearchParams): string {
  const q = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The current query with some parameters changed (null removes one). */
export function withParams(changes: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${location.pathname}?${s}` : location.pathname;
}

/** Sets query parameters on the current page. */
export function setParams(changes: Record<string, string | number | null | undefined>, options: { replace?: boolean } = {}): void {
  navigate(withParams(changes), options);
}
