import { formatRange } from './format';

/**
 * The time range of a page, as it appears in the URL: `range=15m` (relative to now) or
 * `from=<epoch s>&to=<epoch s>` (custom). Fluoro answers windows of at most 24 h
 * (api.maxQueryWindowHours), so the choices stop there.
 */
export type TimeRange = { kind: 'relative'; key: RelativeKey } | { kind: 'absolute'; start: number; end: number };

export const RELATIVE = {
  '5m': { seconds: 300, label: 'Last 5 minutes' },
  '15m': { seconds: 900, label: 'Last 15 minutes' },
  '1h': { seconds: 3600, label: 'Last 1 hour' },
  '6h': { seconds: 6 * 3600, label: 'Last 6 hours' },
  '24h': { seconds: 24 * 3600, label: 'Last 24 hours' },
} as const;

export type RelativeKey = keyof typeof RELATIVE;

export const DEFAULT_RANGE: TimeRange = { kind: 'relative', key: '1h' };
export const MAX_WINDOW_SECONDS = 24 * 3600;

export function rangeFromParams(params: URLSearchParams, fallback: TimeRange = DEFAULT_RANGE): TimeRange {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from)
    return { kind: 'absolute', start: from, end: to };
  const key = params.get('range');
  if (key && key in RELATIVE) return { kind: 'relative', key: key as RelativeKey };
  return fallback;
}

/** URL parameters for a range (both kinds' keys, so setting one clears the other). */
export function rangeParams(r: TimeRange): Record<string, string | null> {
  return r.kind === 'relative' ? { range: r.key, from: null, to: null } : { range: null, from: trim(r.start), to: trim(r.end) };
}

const trim = (t: number) => String(Math.round(t * 1000) / 1000);

/** The window `[start, end)` in epoch seconds that a range means at `now`. */
export function resolveRange(r: TimeRange, nowMs: number = Date.now()): { start: number; end: number } {
  if (r.kind === 'absolute') return { start: r.start, end: r.end };
  // Whole seconds, and one second past now, so a trace filed this second is inside the window.
  const end = Math.floor(nowMs / 1000) + 1;
  return { start: end - RELATIVE[r.key].seconds, end };
}

export function describeRange(r: TimeRange): string {
  if (r.kind === 'relative') return RELATIVE[r.key].label;
  return formatRange(r.start, r.end);
}

/** Seconds as a short human duration: `850 µs`, `12.3 ms`, `1.25 s`, `3 min 20 s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.abs(seconds);
  if (s === 0) return '0';
  if (s < 0.001) return `${Math.round(seconds * 1e6)} µs`;
  if (s < 1) return `${+(seconds * 1000).toPrecision(3)} ms`;
  if (s < 60) return `${+seconds.toPrecision(3)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** `3 min ago`, for titles next to absolute times. */
export function formatAge(epochSeconds: number, nowMs: number = Date.now()): string {
  const s = Math.max(0, nowMs / 1000 - epochSeconds);
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${+(s / 3600).toFixed(1)} h ago`;
  return `${+(s / 86400).toFixed(1)} days ago`;
}
