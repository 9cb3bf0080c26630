import { useSyncExternalStore } from 'react';
import { ZONE_PARAM } from '../time/format';

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

/**
 * Parameters that follow a person from page to page whatever the link says: the zone times are
 * shown in. (The time range is carried by the links that mean to keep it: a trace's link does not.)
 */
const STICKY = [ZONE_PARAM] as const;

/** `to` with the current page's sticky parameters added where `to` does not set them itself. */
export function withSticky(to: string): string {
  const here = new URLSearchParams(location.search);
  const carried = STICKY.filter((k) => here.has(k));
  if (carried.length === 0) return to;
  const hash = to.indexOf('#');
  const [base, fragment] = hash < 0 ? [to, ''] : [to.slice(0, hash), to.slice(hash)];
  const q = base.indexOf('?');
  const [path, query] = q < 0 ? [base, ''] : [base.slice(0, q), base.slice(q + 1)];
  const params = new URLSearchParams(query);
  for (const k of carried) if (!params.has(k)) params.set(k, here.get(k)!);
  return `${path}?${params.toString()}${fragment}`;
}

/**
 * Goes to `to` (a path with an optional query); to another page, with the sticky parameters
 * (on the same page `to` says exactly what the query becomes, so a switch can remove one).
 * `replace` for changes that should not add a history entry.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to.split(/[?#]/)[0] !== location.pathname) to = withSticky(to);
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
