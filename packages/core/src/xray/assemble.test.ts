import { describe, expect, it } from 'vitest';
import { everyField } from '../../../../fixtures/index.js';
import type { Span } from '../model/span.js';
import { assembleTrace, inferredSegmentId } from './assemble.js';
import { parseSegmentDocument } from './segment-document.js';

function spansOf(...docs: unknown[]): Span[] {
  return docs.flatMap((d) => {
    const r = parseSegmentDocument(JSON.stringify(d));
    if (!r.ok) throw new Error(r.rejection.message);
    return r.spans;
  });
}

describe('assembleTrace', () => {
  const fx = everyField();

  it('gives back every document exactly as sent, plus one inferred segment per unanswered call', () => {
    const trace = assembleTrace(spansOf(...fx.documents));
    const real = trace.documents.filter((d) => !d.document['inferred']).map((d) => d.document);
    expect(real).toEqual(fx.documents);
    const inferred = trace.documents.filter((d) => d.document['inferred']).map((d) => d.document);
    expect(inferred.map((d) => ({ name: d['name'], origin: d['origin'] ?? null, parent_id: d['parent_id'] }))).toEqual(
      expect.arrayContaining(fx.expectInferred),
    );
    expect(inferred).toHaveLength(fx.expectInferred.length);
    const dynamo = inferred.find((d) => d['name'] === 'carts')!;
    expect(dynamo).toMatchObject({ trace_id: fx.traceId, start_time: 1767225600.2, end_time: 1767225600.31, aws: { table_name: 'carts' } });
    expect(trace.duration).toBeCloseTo(1767225600.987654 - 1767225600.123456, 9);
  });

  it('orders documents by start time and is independent of span order', () => {
    const spans = spansOf(...fx.documents);
    const a = assembleTrace(spans);
    const b = assembleTrace([...spans].reverse());
    expect(b).toEqual(a);
    const starts = a.documents.map((d) => d.startTime);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
  });

  it('embeds subsegments sent on their own under their parent, in any arrival order', () => {
    const base = { trace_id: '1-6955b900-00000000000000000000000a' };
    const segment = {
      ...base,
      name: 'svc',
      id: '00000000000000a1',
      start_time: 10,
      end_time: 20,
      subsegments: [{ name: 'first', id: '00000000000000a2', start_time: 11, end_time: 12 }],
    };
    const streamed = {
      ...base,
      type: 'subsegment',
      parent_id: '00000000000000a1',
      name: 'later',
      id: '00000000000000a3',
      start_time: 13,
      in_progress: false,
      end_time: 19,
      subsegments: [{ name: 'inner', id: '00000000000000a4', start_time: 14, end_time: 15 }],
    };
    const deeper = {
      ...base,
      type: 'subsegment',
      parent_id: '00000000000000a3',
      name: 'deeper',
      id: '00000000000000a5',
      start_time: 16,
      end_time: 17,
    };
    const docs = assembleTrace(spansOf(deeper, streamed, segment)).documents;
    expect(docs).toHaveLength(1);
    expect(docs[0]!.document).toEqual({
      ...segment,
      subsegments: [
        { name: 'first', id: '00000000000000a2', start_time: 11, end_time: 12 },
        {
          name: 'later',
          id: '00000000000000a3',
          start_time: 13,
          in_progress: false,
          end_time: 19,
          subsegments: [
            { name: 'inner', id: '00000000000000a4', start_time: 14, end_time: 15 },
            { name: 'deeper', id: '00000000000000a5', start_time: 16, end_time: 17 },
          ],
        },
      ],
    });
  });

  it('returns a subsegment whose parent never arrived as its own document, as sent', () => {
    const orphan = {
      type: 'subsegment',
      trace_id: '1-6955b900-00000000000000000000000b',
      parent_id: '0000000000000fff',
      name: 'lost',
      id: '00000000000000b1',
      start_time: 5,
      end_time: 6,
    };
    expect(assembleTrace(spansOf(orphan)).documents.map((d) => d.document)).toEqual([orphan]);
  });

  it('replaces the inferred segment with the real one when the callee is instrumented', () => {
    const ids = assembleTrace(spansOf(...fx.documents)).documents.map((d) => d.document['parent_id']);
    expect(ids).not.toContain(inferredSegmentId('a1b2c3d4e5f60008'));
    expect(ids).toContain('a1b2c3d4e5f60008'); // the inventory segment itself
  });

  it('gives the same inferred segment ID on every read', () => {
    expect(inferredSegmentId('a1b2c3d4e5f60002')).toBe(inferredSegmentId('a1b2c3d4e5f60002'));
    expect(inferredSegmentId('a1b2c3d4e5f60002')).toMatch(/^[0-9a-f]{16}$/);
    expect(inferredSegmentId('a1b2c3d4e5f60002')).not.toBe(inferredSegmentId('a1b2c3d4e5f60003'));
  });
});
