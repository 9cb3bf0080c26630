import type { StatsResponse } from '@fluoro/contracts';

type Buckets = StatsResponse['responseTime']['buckets'];

/**
 * Two sets' response-time distributions on one x axis. Each set has its own bucket widths (the
 * server picks them from the set's largest response time), so the x values are the union of
 * both sets' bucket edges and each set is a step function: the share of its traces in the
 * bucket containing x.
 */
export function distributionSeries(sets: ReadonlyArray<{ buckets: Buckets; total: number }>): { x: number[]; ys: number[][] } {
  const xs = new Set<number>();
  for (const s of sets)
    for (const b of s.buckets) {
      xs.add(round(b.start));
      xs.add(round(b.end));
    }
  const x = [...xs].sort((a, b) => a - b);
  const ys = sets.map((s) => x.map((v) => share(s.buckets, s.total, v)));
  return { x, ys };
}

const round = (v: number) => Math.round(v * 1e9) / 1e9;

function share(buckets: Buckets, total: number, x: number): number {
  if (total <= 0) return 0;
  // Buckets are sorted and equal-width; find by binary search.
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (x < round(b.start)) hi = mid - 1;
    else if (x >= round(b.end)) lo = mid + 1;
    else return (b.traces / total) * 100;
  }
  return 0;
}

/** The number of traces in the distribution (those with a root segment). */
export const distributed = (s: StatsResponse) => s.responseTime.buckets.reduce((n, b) => n + b.traces, 0);
