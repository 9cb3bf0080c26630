import { parseSegmentDocument, spanBatchOf, type Span, type SpanOwner } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import type { SpanKey, SpanRows } from '../../storage/api/index.js';
import { Linker, type OwnerLookup } from './linker.js';

const TRACE = '1-6955b900-000000000000000000abc005';
const T = '6955b900000000000000000000abc005';
const B = 0x6955b900;
const doc = (d: Record<string, unknown>): Span[] => {
  const r = parseSegmentDocument(JSON.stringify({ trace_id: TRACE, start_time: B + 50, end_time: B + 51, ...d }));
  if (!r.ok) throw new Error(r.rejection.message);
  return r.spans;
};
const segment = (id: string, subsegments: unknown[] = []) => doc({ id, name: 'frontend', subsegments });
const streamed = (id: string, parent: string, subsegments: unknown[] = []) =>
  doc({ id, name: `sub-${id}`, type: 'subsegment', parent_id: parent, subsegments });
const rows = (spans: Span[]): SpanRows[] => [{ batch: spanBatchOf(spans) }];
const owners = (r: SpanRows[]) => r.flatMap(({ batch: b }) => [...b.id].map((id, i) => `${id}:${b.service[i] ?? '-'}`));
const noLookup: OwnerLookup = async () => new Map();
const frontend: SpanOwner = { segmentId: '0500000000000001', service: 'frontend', serviceType: 'service' };

describe('Linker', () => {
  it('links a subsegment sent after its segment, before it is written', async () => {
    const linker = new Linker();
    await linker.link(rows(segment('0500000000000001')), noLookup);
    const later = rows(streamed('0500000000000002', '0500000000000001'));
    const { relinked } = await linker.link(later, noLookup);
    expect(owners(later)).toEqual(['0500000000000002:frontend']);
    expect(relinked).toEqual([]);
  });

  it('links a whole streamed document, embedded subsegments too, within one write in any order', async () => {
    const linker = new Linker();
    const write = rows([
      ...streamed('0500000000000002', '0500000000000001', [
        { id: '0500000000000003', name: 'inner', start_time: B + 50, end_time: B + 51 },
      ]),
      ...segment('0500000000000001'),
    ]);
    await linker.link(write, noLookup);
    expect(owners(write)).toEqual(['0500000000000002:frontend', '0500000000000003:frontend', '0500000000000001:frontend']);
    expect(linker.waitingDocuments).toBe(0);
  });

  it('writes waiting documents again once their parent arrives, following chains as deep as they go', async () => {
    const linker = new Linker();
    const grandchild = rows(streamed('0500000000000003', '0500000000000002'));
    const child = rows(streamed('0500000000000002', '0500000000000001'));
    await linker.link(grandchild, noLookup);
    await linker.link(child, noLookup);
    expect(owners([...grandchild, ...child])).toEqual(['0500000000000003:-', '0500000000000002:-']);
    expect([linker.waitingDocuments, linker.waitingTraces]).toEqual([2, 1]);
    const { relinked } = await linker.link(rows(segment('0500000000000001')), noLookup);
    expect(relinked.map((s) => [s.id, s.owner])).toEqual([
      ['0500000000000002', frontend],
      ['0500000000000003', frontend],
    ]);
    // The copies are the stored spans, whole (with their documents), but linked.
    expect(relinked[0]!.doc).not.toBeNull();
    expect(linker.waitingDocuments).toBe(0);
  });

  it('reads owners it no longer remembers from the store (after a restart)', async () => {
    const linker = new Linker();
    const asked: SpanKey[] = [];
    const lookup: OwnerLookup = async (keys) => {
      asked.push(...keys);
      return new Map([[T + '0500000000000001', frontend]]);
    };
    const write = rows(streamed('0500000000000002', '0500000000000001'));
    await linker.link(write, lookup);
    expect(asked).toEqual([{ traceId: T, id: '0500000000000001' }]);
    expect(owners(write)).toEqual(['0500000000000002:frontend']);
  });

  it('does not ask the store for parents of traces filed after it started remembering', async () => {
    const linker = new Linker(undefined, () => B);
    let asked = 0;
    await linker.link(rows(streamed('0500000000000002', '0500000000000001')), async () => (asked++, new Map()));
    expect(asked).toBe(1); // filed when the linker started: within the clock-skew margin, so it may be older
    const late = new Linker(undefined, () => B - 3600);
    await late.link(rows(streamed('0500000000000002', '0500000000000001')), async () => (asked++, new Map()));
    expect(asked).toBe(1);
    expect(late.waitingDocuments).toBe(1);
  });

  it('restores waiting documents from the store and drops a waiting copy a newer version supersedes', async () => {
    const linker = new Linker();
    linker.restore(streamed('0500000000000002', '0500000000000001'));
    expect(linker.waitingDocuments).toBe(1);
    // The subsegment is sent again inside its segment: the stored copy must never be written back.
    const { relinked } = await linker.link(
      rows(segment('0500000000000001', [{ id: '0500000000000002', name: 'sub', start_time: B + 50, end_time: B + 51 }])),
      noLookup,
    );
    expect(relinked).toEqual([]);
    expect(linker.waitingDocuments).toBe(0);
  });

  it('holds a bounded number of waiting spans, forgetting the oldest documents', async () => {
    const linker = new Linker({ ownersPerGeneration: 1000, maxWaitingSpans: 2, maxWaitMs: 3_600_000 });
    for (const id of ['0500000000000012', '0500000000000013', '0500000000000014'])
      await linker.link(rows(streamed(id, '0500000000000011')), noLookup);
    expect(linker.waitingDocuments).toBe(2);
    const { relinked } = await linker.link(rows(doc({ id: '0500000000000011', name: 'frontend' })), noLookup);
    expect(relinked.map((s) => s.id)).toEqual(['0500000000000013', '0500000000000014']);
  });

  it('forgets documents that waited longer than allowed', async () => {
    let now = B + 60;
    const linker = new Linker({ ownersPerGeneration: 1000, maxWaitingSpans: 100, maxWaitMs: 60_000 }, () => now);
    await linker.link(rows(streamed('0500000000000002', '0500000000000001')), noLookup);
    now += 61;
    const { relinked } = await linker.link(rows(segment('0500000000000001')), noLookup);
    expect(relinked).toEqual([]);
  });
});
