import type { GroupsResponse, TraceGroup } from '@fluoro/contracts';

/**
 * Analytics ranks each table's rows by how much more of the selection (set A) than of the
 * baseline has the value: Δ = share of A's traces − share of the baseline's, in percentage points.
 * The baseline is set B when comparing, else every trace of the time range. A service that every
 * trace touches has the same share in both (Δ 0) and sinks; the one the selection is about rises
 * to the top. A difference of shares, not a ratio: a value in 1 of 5,000 baseline traces and 1 of
 * 20 selected is a ratio of 250 but only 5 points, and a ratio would put such noise first.
 */
export interface RankedRow {
  /** The group as the selection has it (for a value only the baseline has: traces 0). */
  readonly group: TraceGroup;
  /** Identifies the value across both sets: value and node type. */
  readonly key: string;
  /** Share of the selection's traces, 0–1. */
  readonly share: number;
  /** Share of the baseline's traces, 0–1: at most this when `baselineAtMost`. */
  readonly baseline: number;
  /**
   * The baseline lists too many values to hold this one (`truncated`): its share there is at
   * most the smallest share listed, so Δ is at least the one given.
   */
  readonly baselineAtMost: boolean;
  /** `share − baseline`, −1 to 1. */
  readonly delta: number;
}

export const groupKey = (g: Pick<TraceGroup, 'value' | 'type'>): string => JSON.stringify([g.value, g.type ?? null]);

/**
 * The selection's groups ranked by Δ against the baseline's, largest first; equal Δs keep the
 * selection's order (most traces first). With `baselineOnly`, the values only the baseline has
 * follow too (share 0, a negative Δ: what the selection lacks), as when comparing two sets.
 */
export function rankByDifference(selection: GroupsResponse, baseline: GroupsResponse, options: { baselineOnly: boolean }): RankedRow[] {
  const inBaseline = new Map(baseline.groups.map((g) => [groupKey(g), g]));
  const smallest = baseline.groups.reduce((m, g) => Math.min(m, g.share), 1);
  const shareThere = (key: string): { baseline: number; baselineAtMost: boolean } => {
    const g = inBaseline.get(key);
    if (g) return { baseline: g.share, baselineAtMost: false };
    return baseline.truncated ? { baseline: smallest, baselineAtMost: true } : { baseline: 0, baselineAtMost: false };
  };
  const rows: RankedRow[] = selection.groups.map((g) => {
    const key = groupKey(g);
    const there = shareThere(key);
    return { group: g, key, share: g.share, ...there, delta: g.share - there.baseline };
  });
  if (options.baselineOnly) {
    const seen = new Set(rows.map((r) => r.key));
    for (const g of baseline.groups) {
      const key = groupKey(g);
      if (seen.has(key)) continue;
      // Not among the selection's groups: none of its traces, unless the selection's list was cut.
      if (selection.truncated) continue;
      rows.push({
        group: { ...g, traces: 0, share: 0, responseTimeAvg: null, faults: 0, errors: 0, throttles: 0 },
        key,
        share: 0,
        baseline: g.share,
        baselineAtMost: false,
        delta: -g.share,
      });
    }
  }
  // A stable sort: ties keep the selection's order. Shares have 4 places; compare at that grain.
  const grain = (x: number) => Math.round(x * 10_000);
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => grain(y.r.delta) - grain(x.r.delta) || x.i - y.i)
    .map(({ r }) => r);
}
