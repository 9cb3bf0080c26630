import { describe, expect, it } from 'vitest';
import { formatRate, ruleStats } from './rule-stats';

const w = (RuleName: string, Timestamp: number, RequestCount: number, SampledCount: number, BorrowCount = 0) => ({
  RuleName,
  Timestamp,
  RequestCount,
  SampledCount,
  BorrowCount,
});

describe('live counts of sampling rules', () => {
  const now = 100_005; // 5 s into the window that started at 100 000
  const summaries = [
    w('a', now - 3605, 1000, 1000),
    w('a', 96_410, 50, 5, 1),
    w('a', 99_710, 30, 6, 2),
    w('a', 99_950, 60, 12, 3),
    w('b', 100_000, 10, 10),
    w('a', 100_000, 30, 3, 0),
  ];

  it('gives per-minute rates over the recent windows and totals over the hour', () => {
    const s = ruleStats(summaries, now, 60);
    // Windows starting after 99 945: 99 950 and 100 000.
    expect(s.get('a')!.perMinute).toEqual({ requests: 90, sampled: 15, borrowed: 3 });
    // The window older than an hour is left out.
    expect(s.get('a')!.hour).toEqual({ requests: 170, sampled: 26, borrowed: 6 });
    expect(s.get('a')!.lastReport).toBe(100_000);
    const five = ruleStats(summaries, now, 300);
    expect(five.get('a')!.perMinute).toEqual({ requests: 24, sampled: 4.2, borrowed: 1 });
    expect(five.get('b')!.hour).toEqual({ requests: 10, sampled: 10, borrowed: 0 });
    expect(ruleStats(summaries, now, 60).has('c')).toBe(false);
  });

  it('lays the hour out as 360 windows, newest last', () => {
    const s = ruleStats(summaries, now, 60).get('a')!;
    expect(s.series.requests).toHaveLength(360);
    expect(s.series.requests.at(-1)).toBe(30);
    expect(s.series.requests.at(-6)).toBe(60);
    expect(s.series.sampled.at(-30)).toBe(6);
    expect(s.series.requests.reduce((x, y) => x + y, 0)).toBe(170);
  });

  it('prints rates without float noise', () => {
    expect([formatRate(0), formatRate(0.2), formatRate(4.2), formatRate(1 / 3), formatRate(24), formatRate(1234.6)]).toEqual([
      '0',
      '0.2',
      '4.2',
      '0.33',
      '24',
      '1,235',
    ]);
  });
});
