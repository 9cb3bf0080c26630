import type { OperationStats } from '@fluoro/contracts';
import { describe, expect, it } from 'vitest';
import { checkoutTrace } from '../../../../fixtures/console/compare.mjs';
import { buildTimeline, type Doc } from '../trace/timeline-model';
import { traceOperations } from './operations';
import { formatRatio, judgeSpans, ratioLevel, slowestHop, typicalLine, typicalWindow } from './typical-model';

const outlier = buildTimeline(checkoutTrace({ index: 50, start: 1_767_225_600, outlier: true, inferred: true }).documents as Doc[]);
const stat = (service: string, name: string, p50: number, p95: number, count = 51): OperationStats => ({
  service,
  name,
  count,
  p50,
  p95,
  p99: p95,
});
const byName = (name: string, kind?: string) => [...outlier.spans.values()].find((s) => s.name === name && (!kind || s.kind === kind))!;

describe('compare with typical', () => {
  it('knows each span by its service and name; an inferred segment by the call it stands for', () => {
    const { bySpan, distinct } = traceOperations(outlier);
    expect(bySpan.get(byName('DynamoDB').id)).toEqual({ service: 'orders', name: 'DynamoDB' });
    expect(bySpan.get(byName('orders-table').id)).toEqual({ service: 'orders', name: 'DynamoDB' });
    expect(bySpan.get(byName('orders', 'segment').id)).toEqual({ service: 'orders', name: 'orders' });
    expect(bySpan.get(byName('orders', 'subsegment').id)).toEqual({ service: 'frontend', name: 'orders' });
    expect(distinct.map((o) => `${o.service}/${o.name}`)).toEqual([
      'frontend/frontend',
      'frontend/orders',
      'frontend/payments.example.com',
      'orders/orders',
      'orders/DynamoDB',
      'orders/retry-backoff',
      'orders/validate',
    ]);
  });

  it('marks the spans slower than their p95 and levels each by its ratio to p50', () => {
    const v = judgeSpans(outlier, [
      stat('orders', 'DynamoDB', 0.02, 0.022),
      stat('orders', 'validate', 0.01, 0.011),
      stat('frontend', 'payments.example.com', 0.04, 0.044),
      stat('frontend', 'frontend', 0.1, 0.11),
      stat('nobody', 'nothing', 1, 2),
    ]);
    const dynamo = v.get(byName('DynamoDB').id)!;
    expect(dynamo).toMatchObject({ aboveP95: true, level: 4, count: 51 });
    expect(dynamo.ratio).toBeCloseTo(10, 3);
    expect(dynamo.line).toBe('p50 20 ms · p95 22 ms · this 200 ms (10× p50)');
    // The inferred table row shares its call's verdict; validate is typical (its p50 exactly).
    expect(v.get(byName('orders-table').id)).toEqual(dynamo);
    expect(v.get(byName('validate').id)).toMatchObject({ aboveP95: false, level: 1 });
    expect(v.get(byName('frontend', 'segment').id)!.aboveP95).toBe(true);
    // No statistics for the retry (the server answered nothing): no verdict.
    expect(v.has(byName('retry-backoff').id)).toBe(false);
    expect(slowestHop(v, outlier)).toBe(byName('DynamoDB').id);
  });

  it('gives no verdict without spans in the window, and no ratio for a p50 of 0', () => {
    const v = judgeSpans(outlier, [
      { service: 'orders', name: 'DynamoDB', count: 0, p50: null, p95: null, p99: null },
      stat('orders', 'validate', 0, 0),
    ]);
    expect(v.has(byName('DynamoDB').id)).toBe(false);
    expect(v.get(byName('validate').id)).toMatchObject({ ratio: null, level: 1, aboveP95: true, line: 'p50 0 · p95 0 · this 10 ms' });
  });

  it('words the comparison as the brief line does', () => {
    expect(typicalLine({ duration: 0.31, p50: 0.04, p95: 0.12, ratio: 0.31 / 0.04 })).toBe(
      'p50 40 ms · p95 120 ms · this 310 ms (7.8× p50)',
    );
    expect([formatRatio(7.75), formatRatio(12.4), formatRatio(0.456)]).toEqual(['7.8×', '12×', '0.46×']);
    expect([0.5, 0.8, 1.49, 1.5, 2.9, 3, 5.99, 6, 100, null].map(ratioLevel)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 1]);
  });

  it('looks at the hour around the trace by default', () => {
    expect(typicalWindow(outlier)).toEqual({ start: 1_767_225_600 - 1800, end: 1_767_225_600 + 1800 });
  });
});
