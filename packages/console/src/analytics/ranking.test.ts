import type { GroupsResponse, TraceGroup } from '@fluoro/contracts';
import { describe, expect, it } from 'vitest';
import { rankByDifference } from './ranking';

/** Groups as the server answers them: most traces first, shares to 4 places. */
function groups(total: number, counts: ReadonlyArray<[string, number, string?]>, truncated = false): GroupsResponse {
  const list: TraceGroup[] = counts
    .map(([value, traces, type]) => ({
      value,
      ...(type ? { type } : {}),
      traces,
      share: Math.round((traces / total) * 10_000) / 10_000,
      responseTimeAvg: null,
      faults: 0,
      errors: 0,
      throttles: 0,
      filter: `service("${value}")`,
    }))
    .sort((a, b) => b.traces - a.traces || String(a.value).localeCompare(String(b.value)));
  return { traces: total, groups: list, truncated };
}

const names = (rows: ReturnType<typeof rankByDifference>) => rows.map((r) => r.group.value);

describe('analytics ranks values by how much more of the selection has them', () => {
  // 1,000 traces in the hour; the 60 faults all went through payments, which 140 traces reach.
  // Every trace touches the client and frontend; catalog is busy but has nothing to do with it.
  const all = groups(1000, [
    ['client', 1000, 'client'],
    ['frontend', 1000, 'service'],
    ['catalog', 600, 'service'],
    ['cart', 440, 'service'],
    ['orders', 150, 'service'],
    ['payments', 140, 'service'],
    ['api.paystream.example', 130, 'remote'],
  ]);
  const faults = groups(60, [
    ['client', 60, 'client'],
    ['frontend', 60, 'service'],
    ['cart', 60, 'service'],
    ['catalog', 35, 'service'],
    ['orders', 60, 'service'],
    ['payments', 60, 'service'],
  ]);

  it('puts the culprit first, not the services every trace touches', () => {
    // By count, payments is row 6 (ties by name): client, frontend, cart, orders, payments…
    expect(faults.groups.map((g) => g.value).indexOf('payments')).toBeGreaterThan(2);
    const rows = rankByDifference(faults, all, { baselineOnly: false });
    expect(names(rows)).toEqual(['payments', 'orders', 'cart', 'client', 'frontend', 'catalog']);
    const payments = rows[0]!;
    expect(payments.share).toBe(1);
    expect(payments.baseline).toBe(0.14);
    expect(payments.delta).toBeCloseTo(0.86, 10);
    // What every trace has differs by nothing; what the selection has less of goes below it.
    expect(rows.find((r) => r.group.value === 'frontend')!.delta).toBe(0);
    expect(rows.at(-1)!.delta).toBeCloseTo(35 / 60 - 0.6, 3);
  });

  it('prefers a large difference over a large ratio', () => {
    const base = groups(10_000, [
      ['a', 10_000],
      ['common', 5000],
      ['rare', 2],
    ]);
    const selection = groups(20, [
      ['a', 20],
      ['common', 20],
      ['rare', 1],
    ]);
    // rare: 5% against 0.02% (a ratio of 250, 5 points); common: 100% against 50% (50 points).
    expect(names(rankByDifference(selection, base, { baselineOnly: false }))).toEqual(['common', 'rare', 'a']);
  });

  it('keeps the selection’s order when nothing differs, as for all traces against all traces', () => {
    expect(names(rankByDifference(all, all, { baselineOnly: false }))).toEqual(all.groups.map((g) => g.value));
  });

  it('tells a service from a client of the same name', () => {
    const base = groups(100, [
      ['frontend', 100, 'client'],
      ['frontend', 100, 'service'],
      ['worker', 50, 'service'],
    ]);
    const selection = groups(10, [
      ['frontend', 10, 'service'],
      ['worker', 10, 'service'],
    ]);
    const rows = rankByDifference(selection, base, { baselineOnly: false });
    expect(rows.map((r) => [r.group.value, r.group.type, r.delta])).toEqual([
      ['worker', 'service', 0.5],
      ['frontend', 'service', 0],
    ]);
  });

  it('when comparing, lists what only set B has last, with a negative Δ', () => {
    const b = groups(50, [
      ['frontend', 50],
      ['notifications', 40],
    ]);
    const a = groups(60, [
      ['frontend', 60],
      ['payments', 60],
    ]);
    const rows = rankByDifference(a, b, { baselineOnly: true });
    expect(rows.map((r) => [r.group.value, r.group.traces, Math.round(r.delta * 100)])).toEqual([
      ['payments', 60, 100],
      ['frontend', 60, 0],
      ['notifications', 0, -80],
    ]);
    expect(names(rankByDifference(a, b, { baselineOnly: false }))).toEqual(['payments', 'frontend']);
  });

  it('bounds the baseline’s share of a value beyond its truncated list', () => {
    const base = groups(
      1000,
      [
        ['u1', 400],
        ['u2', 300],
      ],
      true,
    );
    const selection = groups(10, [
      ['u1', 5],
      ['u9', 5],
    ]);
    const rows = rankByDifference(selection, base, { baselineOnly: true });
    const u9 = rows.find((r) => r.group.value === 'u9')!;
    expect(u9).toMatchObject({ baseline: 0.3, baselineAtMost: true });
    expect(u9.delta).toBeCloseTo(0.2, 10);
    expect(names(rows)).toEqual(['u9', 'u1', 'u2']);
  });
});
