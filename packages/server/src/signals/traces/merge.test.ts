import { parseSegmentDocument, spanBatchOf, type Span } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import { mergeSpans } from './merge.js';
import { RecentKeys } from './recent-keys.js';

const T = '1-6955b900-000000000000000000abc001';
const spans = (doc: Record<string, unknown>): Span[] => {
  const r = parseSegmentDocument(JSON.stringify({ trace_id: T, name: 'svc', start_time: 1767225600, ...doc }));
  if (!r.ok) throw new Error(r.rejection.message);
  return r.spans;
};
const done = (id: string) => spans({ id, end_time: 1767225601 });
const open = (id: string) => spans({ id, in_progress: true });
const kept = (m: ReturnType<typeof mergeSpans>) =>
  m.rows.flatMap((r) => [...r.keep!].flatMap((k, i) => (k ? [`${r.batch.id[i]}${r.batch.flags[i]! & 1 ? ' open' : ''}`] : [])));

describe('X-Ray merge rules', () => {
  it('keeps the last version of a key within a write', () => {
    const m = mergeSpans([spanBatchOf(open('a000000000000001')), spanBatchOf(done('a000000000000001'))], new RecentKeys(100));
    expect(kept(m)).toEqual(['a000000000000001']);
    expect([m.written, m.stale, m.supersedes]).toEqual([1, 0, []]);
  });

  it('never lets an in-progress version replace a completed one, in the same write or a later one', () => {
    const recent = new RecentKeys(100);
    const first = mergeSpans([spanBatchOf(done('a000000000000002')), spanBatchOf(open('a000000000000002'))], recent);
    expect([kept(first), first.stale]).toEqual([['a000000000000002'], 1]);
    const later = mergeSpans([spanBatchOf(open('a000000000000002'))], recent);
    expect([kept(later), later.stale, later.written]).toEqual([[], 1, 0]);
  });

  it('supersedes keys written before, and only those', () => {
    const recent = new RecentKeys(100);
    mergeSpans([spanBatchOf(open('a000000000000003'))], recent);
    const m = mergeSpans([spanBatchOf([...done('a000000000000003'), ...done('a000000000000004')])], recent);
    expect(m.supersedes).toEqual([{ traceId: '6955b900000000000000000000abc001', id: 'a000000000000003' }]);
    expect(recent.get('6955b900000000000000000000abc001', 'a000000000000003')).toBe(false);
  });
});
