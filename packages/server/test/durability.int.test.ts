import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEADER, sendDatagrams, spawnFluoro, tempDir, waitFor, xray } from './helpers.js';

/** What was acknowledged survives `kill -9`; SIGTERM writes what was queued before exiting. */
describe('durability', () => {
  const dir = tempDir('fluoro-durability-');
  afterAll(() => dir.remove());
  const args = ['start', '--data-dir', dir.path, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0'];
  const traceId = (i: number) => `1-6955b900-${(0xa0000 + i).toString(16).padStart(24, '0')}`;
  const segment = (i: number, j: number) =>
    JSON.stringify({
      name: 'svc',
      id: (i * 100 + j).toString(16).padStart(16, '0'),
      trace_id: traceId(i),
      start_time: 1767225600 + i,
      end_time: 1767225600.5 + i,
    });

  it('keeps every acknowledged PutTraceSegments after kill -9 and restart', async () => {
    const first = await spawnFluoro(args);
    // Concurrent writers: acknowledgements arrive out of a group commit, each must be durable.
    const calls = Array.from({ length: 20 }, (_, i) =>
      xray(first.url, '/TraceSegments', { TraceSegmentDocuments: Array.from({ length: 10 }, (_, j) => segment(i, j)) }),
    );
    for (const res of await Promise.all(calls)) expect(res.body).toEqual({ UnprocessedTraceSegments: [] });
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    const second = await spawnFluoro(args);
    try {
      const ids = Array.from({ length: 20 }, (_, i) => traceId(i));
      let found = 0;
      for (let i = 0; i < ids.length; i += 5) {
        const res = await xray(second.url, '/Traces', { TraceIds: ids.slice(i, i + 5) });
        expect(res.body['UnprocessedTraceIds']).toEqual([]);
        for (const t of res.body['Traces'] as Array<{ Segments: unknown[] }>) found += t.Segments.length;
      }
      expect(found).toBe(200);
      expect(second.stderr()).toMatch(/not closed cleanly; its write-ahead log was replayed and every acknowledged span is there/);
    } finally {
      second.proc.kill('SIGKILL');
      await second.exited;
    }
  });

  it('says at start how many acknowledged spans a truncated write-ahead log lost', async () => {
    const own = tempDir('fluoro-wal-');
    const ownArgs = ['start', '--data-dir', own.path, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0'];
    try {
      const first = await spawnFluoro(ownArgs);
      for (let i = 0; i < 20; i++) {
        const res = await xray(first.url, '/TraceSegments', { TraceSegmentDocuments: Array.from({ length: 50 }, (_, j) => segment(i, j)) });
        expect(res.body).toEqual({ UnprocessedTraceSegments: [] });
      }
      first.proc.kill('SIGKILL');
      await first.exited;
      const wal = join(own.path, 'fluoro.duckdb.wal');
      truncateSync(wal, Math.floor(statSync(wal).size / 2));

      const second = await spawnFluoro(ownArgs);
      try {
        const said = /up to (\d+) spans are missing \(a damaged or truncated write-ahead log/.exec(second.stderr());
        expect(said, second.stderr()).not.toBeNull();
        const missing = Number(said![1]);
        expect(missing).toBeGreaterThan(0);
        expect(missing).toBeLessThanOrEqual(1000);
        const stored = (await xray(second.url, '/TraceSummaries', { StartTime: 1767225500, EndTime: 1767225700 })).body;
        expect((stored['TraceSummaries'] as unknown[]).length).toBeLessThan(20);
      } finally {
        second.proc.kill('SIGKILL');
        await second.exited;
      }
    } finally {
      own.remove();
    }
  });

  it('keeps every acknowledged OTLP export after kill -9 and restart', async () => {
    const first = await spawnFluoro(args);
    const traceHex = (i: number) => `${(0xb0000 + i).toString(16).padStart(32, '0')}`;
    const body = (i: number) =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otel-svc' } }] },
            scopeSpans: [
              {
                spans: Array.from({ length: 10 }, (_, j) => ({
                  traceId: traceHex(i),
                  spanId: (j + 1).toString(16).padStart(16, '0'),
                  name: 'work',
                  kind: 2,
                  startTimeUnixNano: `${1767225600 + i}000000000`,
                  endTimeUnixNano: `${1767225601 + i}000000000`,
                })),
              },
            ],
          },
        ],
      });
    const calls = Array.from({ length: 10 }, (_, i) =>
      fetch(`${first.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) }),
    );
    for (const res of await Promise.all(calls)) expect(res.status).toBe(200);
    first.proc.kill('SIGKILL');
    await first.exited;
    const second = await spawnFluoro(args);
    try {
      const res = await xray(second.url, '/Traces', { TraceIds: Array.from({ length: 10 }, (_, i) => traceHex(i)) });
      expect((res.body['Traces'] as Array<{ Segments: unknown[] }>).map((t) => t.Segments.length)).toEqual(Array(10).fill(10));
    } finally {
      second.proc.kill('SIGKILL');
      await second.exited;
    }
  });

  it('drains queued UDP segments into the store on SIGTERM', async () => {
    const third = await spawnFluoro([...args, '--ingest.flush-interval-ms', '60000']);
    await sendDatagrams(
      third.udp,
      Array.from({ length: 300 }, (_, j) => HEADER + segment(50, j)),
    );
    // The flush interval is a minute: nothing is written until the drain.
    await waitFor(async () => (await (await fetch(`${third.url}/metrics`)).text()).includes('fluoro_queue_spans 300'), '300 queued spans');
    third.proc.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(third.stderr()).toContain('stopping: draining the ingest queue');

    const fourth = await spawnFluoro(args);
    try {
      const res = await xray(fourth.url, '/Traces', { TraceIds: [traceId(50)] });
      expect((res.body['Traces'] as Array<{ Segments: unknown[] }>)[0]!.Segments).toHaveLength(300);
    } finally {
      fourth.proc.kill('SIGTERM');
      expect(await fourth.exited).toBe(0);
    }
  });
});
