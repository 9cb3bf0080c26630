import type { SamplingStatisticSummary } from '../api/xray-types';

/** Fluoro keeps what SDKs report in 10-second windows for an hour (docs/sampling.md). */
export const WINDOW_SECONDS = 10;
export const HOUR_SECONDS = 3600;

/** Recent-rate choices: `recent` in the URL. */
export const RECENT = {
  '1m': { seconds: 60, label: 'Last minute' },
  '5m': { seconds: 300, label: 'Last 5 minutes' },
} as const;
export type RecentKey = keyof typeof RECENT;

export interface Counts {
  requests: number;
  sampled: number;
  borrowed: number;
}

export interface RuleStats {
  /** Per minute over the recent period. */
  perMinute: Counts;
  /** Totals over the hour Fluoro keeps. */
  hour: Counts;
  /** Requests and sampled per window over the hour, oldest first (0 where nothing was reported). */
  series: { requests: number[]; sampled: number[] };
  /** Start of the newest window with a report (epoch seconds), or null. */
  lastReport: number | null;
}

const zero = (): Counts => ({ requests: 0, sampled: 0, borrowed: 0 });

/**
 * Per-rule counts at `now` (epoch seconds): the windows that started within the last
 * `recentSeconds` (the current, partly elapsed one included) give the per-minute rates; all
 * windows of the last hour give the totals. Rules nobody reported on are absent.
 */
export function ruleStats(summaries: readonly SamplingStatisticSummary[], now: number, recentSeconds: number): Map<string, RuleStats> {
  const out = new Map<string, RuleStats>();
  const slots = HOUR_SECONDS / WINDOW_SECONDS;
  const newest = Math.floor(now / WINDOW_SECONDS) * WINDOW_SECONDS;
  const recent = new Map<string, Counts>();
  for (const s of summaries) {
    if (s.Timestamp <= now - HOUR_SECONDS) continue;
    let r = out.get(s.RuleName);
    if (!r)
      out.set(
        s.RuleName,
        (r = {
          perMinute: zero(),
          hour: zero(),
          series: { requests: new Array<number>(slots).fill(0), sampled: new Array<number>(slots).fill(0) },
          lastReport: null,
        }),
      );
    r.hour.requests += s.RequestCount;
    r.hour.sampled += s.SampledCount;
    r.hour.borrowed += s.BorrowCount;
    r.lastReport = Math.max(r.lastReport ?? s.Timestamp, s.Timestamp);
    const slot = slots - 1 - Math.round((newest - s.Timestamp) / WINDOW_SECONDS);
    if (slot >= 0 && slot < slots) {
      r.series.requests[slot]! += s.RequestCount;
      r.series.sampled[slot]! += s.SampledCount;
    }
    if (s.Timestamp > now - recentSeconds) {
      const c = recent.get(s.RuleName) ?? zero();
      c.requests += s.RequestCount;
      c.sampled += s.SampledCount;
      c.borrowed += s.BorrowCount;
      recent.set(s.RuleName, c);
    }
  }
  const minutes = recentSeconds / 60;
  for (const [name, r] of out) {
    const c = recent.get(name) ?? zero();
    r.perMinute = { requests: c.requests / minutes, sampled: c.sampled / minutes, borrowed: c.borrowed / minutes };
  }
  return out;
}

/** A rate per minute: whole numbers from 10 up, else up to two decimals (`2.4`, `0.25`). */
export function formatRate(n: number): string {
  if (n === 0) return '0';
  if (n >= 10) return Math.round(n).toLocaleString('en-US');
  return String(+n.toFixed(2));
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');
