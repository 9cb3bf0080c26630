import type { HistogramEntry } from '../api/xray-types';

/**
 * What the map reads out of a node's or an edge's numbers so that a weak signal shows at a glance:
 * percentiles from the response-time histogram, request rates over the minutes that had traffic,
 * the share thresholds at which a status is called out, and the health ring's arcs. Pure.
 */

/** From this share of requests a status tints an edge and colours its percentage. */
export const NOTABLE_SHARE = 0.01;
/** From this share the tint is strong and the percentage bold. */
export const SEVERE_SHARE = 0.05;

/** 0: below notable (or none); 1: notable; 2: severe. */
export type Level = 0 | 1 | 2;

export function shareLevel(count: number, total: number): Level {
  if (total <= 0 || count <= 0) return 0;
  const share = count / total;
  return share >= SEVERE_SHARE ? 2 : share >= NOTABLE_SHARE ? 1 : 0;
}

export type Problem = 'fault' | 'throttle' | 'error';

/**
 * The status an edge is tinted by: the one at the highest level, faults before throttles before
 * client errors at the same level; `ok` when none reaches a notable share.
 */
export function tintOf(h: { total: number; fault: number; throttle: number; error: number }): { status: Problem | 'ok'; level: Level } {
  let best: { status: Problem | 'ok'; level: Level } = { status: 'ok', level: 0 };
  for (const status of ['fault', 'throttle', 'error'] as const) {
    const level = shareLevel(h[status], h.total);
    if (level > best.level) best = { status, level };
  }
  return best;
}

/** `0%`, `<0.1%`, `3.2%`, `34%`: a share of requests as the map prints it. */
export function formatShare(count: number, total: number): string {
  if (total <= 0 || count <= 0) return '0%';
  const pct = (count / total) * 100;
  if (pct < 0.1) return '<0.1%';
  if (pct < 10) return `${+pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/**
 * The `q` quantile (0 < q ≤ 1) of an X-Ray response-time histogram, by nearest rank: the smallest
 * value with at least `q` of the observations at or below it. Fluoro's histograms hold each
 * response time rounded to the millisecond, so this is the exact p95 to the millisecond. Null for
 * an empty histogram.
 */
export function quantile(h: readonly HistogramEntry[], q: number): number | null {
  let total = 0;
  for (const e of h) total += e.Count ?? 0;
  if (total <= 0) return null;
  const sorted = [...h].filter((e) => (e.Count ?? 0) > 0).sort((a, b) => (a.Value ?? 0) - (b.Value ?? 0));
  const rank = Math.max(1, Math.ceil(q * total - 1e-9));
  let seen = 0;
  for (const e of sorted) {
    seen += e.Count ?? 0;
    if (seen >= rank) return e.Value ?? 0;
  }
  return sorted[sorted.length - 1]?.Value ?? null;
}

/** The window of a map and, when known, the minutes (their start, epoch s) in which any request entered. */
export interface Traffic {
  readonly window: { readonly start: number; readonly end: number };
  readonly minutes: ReadonlySet<number> | null;
}

/**
 * The minutes a node or an edge had traffic in: from the minute of its first request to the minute
 * of its last (the graph's StartTime and EndTime), inside the window, leaving out the minutes in
 * which no request entered the system at all. At least 1. Without first and last, the window's
 * minutes.
 */
export function activeMinutes(first: number | undefined, last: number | undefined, traffic: Traffic): number {
  const wStart = Math.floor(traffic.window.start / 60) * 60;
  const wLast = Math.ceil(traffic.window.end / 60) * 60 - 60;
  if (first === undefined || last === undefined || !Number.isFinite(first) || !Number.isFinite(last))
    return Math.max(1, (wLast - wStart) / 60 + 1);
  const lo = Math.max(wStart, Math.floor(first / 60) * 60);
  const hi = Math.min(wLast, Math.floor(last / 60) * 60);
  if (hi < lo) return 1;
  if (!traffic.minutes) return (hi - lo) / 60 + 1;
  let n = 0;
  for (const m of traffic.minutes) if (m >= lo && m <= hi) n++;
  return Math.max(1, n);
}

/** `12`, `1.5`, `0.25`, `0`: requests per minute as a node prints them. */
export function formatRate(perMinute: number): string {
  if (perMinute >= 10) return Math.round(perMinute).toString();
  if (perMinute >= 0.1) return String(+perMinute.toFixed(1));
  return perMinute > 0 ? String(+perMinute.toFixed(2)) : '0';
}

export const RING_STATUSES = ['ok', 'error', 'fault', 'throttle'] as const;
export type RingStatus = (typeof RING_STATUSES)[number];

/**
 * The smallest share of the ring a non-zero status is drawn with: 4 % of a 58 px ring is 7 px, a
 * visible arc, where a 0.5 % fault rate drawn true to scale is a one-pixel hairline.
 */
export const MIN_ARC_SHARE = 0.04;

export interface Arc {
  status: RingStatus;
  /** Of the requests. */
  share: number;
  /** Of the ring: the share, but at least MIN_ARC_SHARE, the others narrowed to make room. */
  drawn: number;
}

/** The ring's arcs in ring order, one per status with requests; their drawn shares sum to 1. */
export function ringArcs(counts: Readonly<Record<RingStatus, number>>, minShare = MIN_ARC_SHARE): Arc[] {
  const present = RING_STATUSES.filter((s) => counts[s] > 0);
  const total = present.reduce((sum, s) => sum + counts[s], 0);
  if (total <= 0) return [];
  const share = (s: RingStatus) => counts[s] / total;
  // Raise the small arcs to the minimum; scale the rest into what is left. Raising can push a
  // scaled arc below the minimum in turn, so repeat until no arc moves (at most four rounds).
  const raised = new Set<RingStatus>();
  for (let round = 0; round < present.length; round++) {
    const rest = present.filter((s) => !raised.has(s));
    const left = 1 - raised.size * minShare;
    const restShare = rest.reduce((sum, s) => sum + share(s), 0);
    const small = rest.filter((s) => (share(s) / restShare) * left < minShare);
    if (small.length === 0 || small.length === rest.length) break;
    for (const s of small) raised.add(s);
  }
  const left = 1 - raised.size * minShare;
  const restShare = present.filter((s) => !raised.has(s)).reduce((sum, s) => sum + share(s), 0);
  return present.map((s) => ({
    status: s,
    share: share(s),
    drawn: raised.has(s) ? minShare : restShare > 0 ? (share(s) / restShare) * left : 1 / present.length,
  }));
}
