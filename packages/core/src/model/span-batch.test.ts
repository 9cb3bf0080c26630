import { describe, expect, it } from 'vitest';
import { everyField } from '../../../../fixtures/index.js';
import { parseSegmentDocument } from '../xray/segment-document.js';
import { spanAt, spanBatchOf, SpanBatchBuilder } from './span-batch.js';

describe('SpanBatch', () => {
  const spans = everyField().documents.flatMap((d) => {
    const r = parseSegmentDocument(JSON.stringify(d));
    if (!r.ok) throw new Error(r.rejection.message);
    return r.spans;
  });

  it('holds every field of every span', () => {
    const batch = spanBatchOf(spans);
    expect(batch.length).toBe(spans.length);
    expect(spans.map((_, i) => spanAt(batch, i))).toEqual(spans);
  });

  it('grows past its first capacity and starts afresh after build()', () => {
    const builder = new SpanBatchBuilder(2);
    for (const s of spans) builder.push(s);
    const batch = builder.build();
    expect(spans.map((_, i) => spanAt(batch, i))).toEqual(spans);
    expect(builder.length).toBe(0);
    builder.push(spans[3]!);
    expect(spanAt(builder.build(), 0)).toEqual(spans[3]);
  });

  it('survives a structured clone (the copy between threads)', () => {
    const batch = structuredClone(spanBatchOf(spans));
    expect(spanAt(batch, 0)).toEqual(spans[0]);
  });
});
