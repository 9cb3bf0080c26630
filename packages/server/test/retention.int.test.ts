import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { metric, startTestFluoro, waitFor, xray } from './helpers.js';

const HOUR = 3600;

/** A segment whose trace is filed `ago` seconds back (its X-Ray trace ID carries the time). */
function segment(ago: number): { traceId: string; doc: string } {
  const at = Date.now() / 1000 - ago;
  const traceId = `1-${Math.floor(at).toString(16)}-${randomBytes(12).toString('hex')}`;
  const doc = { name: 'shop', id: randomBytes(8).toString('hex'), trace_id: traceId, start_time: at, end_time: at + 0.2 };
  return { traceId, doc: JSON.stringify(doc) };
}

describe('retention by age, as configured by flags', () => {
  it('deletes traces filed before retention.maxAge, whole hours at a time, and keeps the rest', async () => {
    const f = await startTestFluoro(['--retention.max-age', '2h', '--retention.check-seconds', '1']);
    try {
      const old = [segment(5 * HOUR), segment(4 * HOUR), segment(3 * HOUR + 600)];
      const recent = [segment(60), segment(HOUR)];
      const put = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: [...old, ...recent].map((s) => s.doc) });
      expect(put.status).toBe(200);
      expect(put.body['UnprocessedTraceSegments']).toEqual([]);
      const stored = async (): Promise<string[]> => {
        const r = await xray(f.url, '/Traces', { TraceIds: [...old, ...recent].map((s) => s.traceId) });
        return (r.body['Traces'] as Array<{ Id: string }>).map((t) => t.Id).sort();
      };
      await waitFor(async () => (await stored()).length === recent.length, 'the old traces to be deleted', 15_000);
      expect(await stored()).toEqual(recent.map((s) => s.traceId).sort());
      expect(await metric(f.url, 'fluoro_retention_deleted_spans_total', { reason: 'age' })).toBe(old.length);
    } finally {
      await f.fluoro.stop();
    }
  });
});
