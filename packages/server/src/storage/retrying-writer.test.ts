import { parseSegmentDocument, spanBatchOf } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../platform/telemetry/logger.js';
import type { SpanWrite, TraceWriter } from './api/index.js';
import { RetryingWriter } from './retrying-writer.js';

const parsed = parseSegmentDocument(
  JSON.stringify({ trace_id: '1-6955b900-000000000000000000abc001', id: 'a000000000000001', name: 'svc', start_time: 1, end_time: 2 }),
);
if (!parsed.ok) throw new Error(parsed.rejection.message);
const write: SpanWrite = { rows: [{ batch: spanBatchOf(parsed.spans) }], supersedes: [] };

function flaky(failures: number): TraceWriter & { calls: SpanWrite[] } {
  const calls: SpanWrite[] = [];
  return {
    calls,
    async write(w) {
      calls.push(w);
      if (calls.length <= failures) throw new Error(`failure ${calls.length}`);
    },
  };
}

describe('RetryingWriter', () => {
  it('retries with every key superseded, so a partly stored first attempt is made whole', async () => {
    const inner = flaky(1);
    const slept: number[] = [];
    await new RetryingWriter(inner, { retries: 2, delayMs: 50 }, silentLogger, async (ms) => void slept.push(ms)).write(write);
    expect(inner.calls.map((c) => c.supersedes)).toEqual([[], [{ traceId: '6955b900000000000000000000abc001', id: 'a000000000000001' }]]);
    expect(slept).toEqual([50]);
  });

  it('backs off and rejects with the last error when every attempt fails', async () => {
    const inner = flaky(10);
    const slept: number[] = [];
    const w = new RetryingWriter(inner, { retries: 2, delayMs: 50 }, silentLogger, async (ms) => void slept.push(ms));
    await expect(w.write(write)).rejects.toThrow('failure 3');
    expect(slept).toEqual([50, 100]);
  });
});
