import { describe, expect, it } from 'vitest';
import { activeMinutes, formatRate, formatShare, MIN_ARC_SHARE, quantile, ringArcs, shareLevel, tintOf } from './signals';

describe('what the map reads out of its numbers', () => {
  it('takes the p95 of a histogram by nearest rank', () => {
    // 100 observations: 94 at 10 ms, 1 at 50 ms, 5 at 900 ms. The 95th is the one at 50 ms.
    const h = [
      { Value: 0.9, Count: 5 },
      { Value: 0.01, Count: 94 },
      { Value: 0.05, Count: 1 },
    ];
    expect(quantile(h, 0.95)).toBe(0.05);
    expect(quantile(h, 0.96)).toBe(0.9);
    expect(quantile(h, 0.5)).toBe(0.01);
    expect(quantile(h, 1)).toBe(0.9);
    expect(quantile([{ Value: 0.2, Count: 1 }], 0.95)).toBe(0.2);
    expect(quantile([], 0.95)).toBeNull();
    expect(quantile([{ Value: 0.2, Count: 0 }], 0.95)).toBeNull();
    // 20 values 1..20 ms: the 95th percentile is the 19th.
    expect(
      quantile(
        Array.from({ length: 20 }, (_, i) => ({ Value: (i + 1) / 1000, Count: 1 })),
        0.95,
      ),
    ).toBe(0.019);
  });

  it('counts the minutes a node had traffic in, not the whole window', () => {
    const window = { start: 3600, end: 7200 };
    // First request in minute 60 (3600 + 10 min), last in minute 69: ten minutes.
    expect(activeMinutes(4200.5, 4799, { window, minutes: null })).toBe(10);
    // Of those, only the minutes with any request entering the system count.
    const minutes = new Set([4200, 4260, 4320, 4680, 4740]);
    expect(activeMinutes(4200.5, 4799, { window, minutes })).toBe(5);
    // Clipped to the window: a call that began inside and ended after it.
    expect(activeMinutes(7170, 7230, { window, minutes: null })).toBe(1);
    expect(activeMinutes(3000, 3700, { window, minutes: null })).toBe(2);
    // Never zero; without times, the window.
    expect(activeMinutes(4200, 4210, { window, minutes: new Set() })).toBe(1);
    expect(activeMinutes(undefined, undefined, { window, minutes })).toBe(60);
  });

  it('calls out a status from 1 % of requests, strongly from 5 %', () => {
    expect([shareLevel(0, 100), shareLevel(0.9, 100), shareLevel(1, 100), shareLevel(4, 100), shareLevel(5, 100)]).toEqual([0, 0, 1, 1, 2]);
    expect(shareLevel(1, 0)).toBe(0);
    expect(tintOf({ total: 100, fault: 3, throttle: 0, error: 0 })).toEqual({ status: 'fault', level: 1 });
    expect(tintOf({ total: 100, fault: 0.5, throttle: 0, error: 0 })).toEqual({ status: 'ok', level: 0 });
    // The higher level wins; at the same level, faults before throttles before errors.
    expect(tintOf({ total: 100, fault: 2, throttle: 0, error: 6 })).toEqual({ status: 'error', level: 2 });
    expect(tintOf({ total: 100, fault: 2, throttle: 2, error: 2 })).toEqual({ status: 'fault', level: 1 });
    expect(tintOf({ total: 100, fault: 0, throttle: 2, error: 3 })).toEqual({ status: 'throttle', level: 1 });
  });

  it('prints shares and rates', () => {
    expect([formatShare(0, 10), formatShare(1, 2000), formatShare(3, 97), formatShare(1, 3), formatShare(0, 0)]).toEqual([
      '0%',
      '<0.1%',
      '3.1%',
      '33%',
      '0%',
    ]);
    expect([formatRate(0), formatRate(0.05), formatRate(1.5), formatRate(2), formatRate(12.4)]).toEqual(['0', '0.05', '1.5', '2', '12']);
  });

  it('draws any non-zero share of the ring as a visible arc, the true share kept', () => {
    const arcs = ringArcs({ ok: 97, error: 0, fault: 3, throttle: 0 });
    expect(arcs.map((a) => a.status)).toEqual(['ok', 'fault']);
    expect(arcs[1]!.share).toBeCloseTo(0.03);
    expect(arcs[1]!.drawn).toBeCloseTo(MIN_ARC_SHARE);
    expect(arcs[0]!.drawn).toBeCloseTo(1 - MIN_ARC_SHARE);
    // One fault in a thousand, and a throttle: both visible; the arcs still close the ring.
    const tiny = ringArcs({ ok: 998, error: 0, fault: 1, throttle: 1 });
    expect(tiny.map((a) => a.drawn.toFixed(3))).toEqual(['0.920', '0.040', '0.040']);
    expect(tiny.reduce((s, a) => s + a.drawn, 0)).toBeCloseTo(1);
    // Shares above the minimum are drawn true.
    const big = ringArcs({ ok: 50, error: 20, fault: 30, throttle: 0 });
    expect(big.map((a) => a.drawn)).toEqual(big.map((a) => a.share));
    // A scaled-down share that falls under the minimum is raised in turn.
    const chain = ringArcs({ ok: 90, error: 5, fault: 0.5, throttle: 4.5 }, 0.05);
    expect(chain.every((a) => a.drawn >= 0.05 - 1e-9)).toBe(true);
    expect(chain.reduce((s, a) => s + a.drawn, 0)).toBeCloseTo(1);
    expect(ringArcs({ ok: 0, error: 0, fault: 0, throttle: 0 })).toEqual([]);
  });
});
