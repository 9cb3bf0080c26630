import { describe, expect, it } from 'vitest';
import { distributionSeries } from './chart-data';

describe('distributions of two sets on one axis', () => {
  it('steps each set by its own buckets over the union of edges', () => {
    const a = {
      total: 4,
      buckets: [
        { start: 0, end: 0.5, traces: 3 },
        { start: 0.5, end: 1, traces: 1 },
      ],
    };
    const b = {
      total: 2,
      buckets: [
        { start: 0, end: 0.2, traces: 1 },
        { start: 0.2, end: 0.4, traces: 1 },
      ],
    };
    const { x, ys } = distributionSeries([a, b]);
    expect(x).toEqual([0, 0.2, 0.4, 0.5, 1]);
    expect(ys[0]).toEqual([75, 75, 75, 25, 0]);
    expect(ys[1]).toEqual([50, 50, 0, 0, 0]);
  });
});
