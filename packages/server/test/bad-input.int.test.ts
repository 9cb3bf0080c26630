import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidDatagrams, invalidDocuments } from '../../../fixtures/index.js';
import { outputProblems } from '../src/api/xray/model.js';
import { openDuckDb } from '../src/storage/duckdb/backend.js';
import { HEADER, metric, sendDatagrams, startTestFluoro, tempDir, waitFor, xray, type TestFluoro } from './helpers.js';

/**
 * Bad input gets a precise answer, is counted by reason, and loses nothing else: the valid
 * documents of the same call are stored and the receivers keep serving.
 */
const T = '1-6955b900-0000000000000000000b0001';
const valid = (id: string) => JSON.stringify({ name: 'svc', id, trace_id: T, start_time: 1767225600, end_time: 1767225601 });
const cases = invalidDocuments();
const countBy = <K extends string>(keys: K[]): Map<K, number> => {
  const m = new Map<K, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
};

describe('bad input over HTTP (PutTraceSegments)', () => {
  let f: TestFluoro;
  beforeAll(async () => {
    f = await startTestFluoro(['--api.max-body-bytes', '1MB']);
  });
  afterAll(() => f?.stop());

  it('answers each invalid document in UnprocessedTraceSegments and stores the valid ones of the same call', async () => {
    const docs = [valid('00000000000000f1'), ...cases.map((c) => c.document), valid('00000000000000f2')];
    const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: docs });
    expect(res.status).toBe(200);
    expect(outputProblems('PutTraceSegments', res.body)).toEqual([]);
    const unprocessed = res.body['UnprocessedTraceSegments'] as Array<{ Id?: string; ErrorCode: string; Message: string }>;
    expect(unprocessed).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const u = unprocessed[i]!;
      expect(u.ErrorCode, c.case).toBe(c.code);
      expect(u.Message, c.case).toContain(c.message);
      if (c.id) expect(u.Id, c.case).toBe(c.id);
      else expect(u.Id, c.case).toBeUndefined();
    });
    const traces = await xray(f.url, '/Traces', { TraceIds: [T] });
    const ids = (traces.body['Traces'] as Array<{ Segments: Array<{ Id: string }> }>)[0]!.Segments.map((s) => s.Id).sort();
    expect(ids).toEqual(['00000000000000f1', '00000000000000f2']);
    for (const [code, n] of countBy(cases.map((c) => c.code))) {
      expect(await metric(f.url, 'fluoro_documents_rejected_total', { receiver: 'http', reason: code }), code).toBe(n);
    }
    expect(await metric(f.url, 'fluoro_documents_accepted_total', { receiver: 'http' })).toBe(2);
  });

  it.each([
    ['a body that is not JSON', '{"TraceSegmentDocuments": [', 400, 'InvalidRequestException', 'not valid JSON'],
    ['a body that is not an object', '[]', 400, 'InvalidRequestException', 'must be a JSON object'],
    [
      'no TraceSegmentDocuments',
      '{}',
      400,
      'InvalidRequestException',
      "Value null at 'traceSegmentDocuments' failed to satisfy constraint: Member must not be null",
    ],
    [
      'documents that are not strings',
      '{"TraceSegmentDocuments": [{"name": "x"}]}',
      400,
      'InvalidRequestException',
      "at 'traceSegmentDocuments.1.member' failed to satisfy constraint: Member must be a string",
    ],
  ])('refuses %s with %i %s', async (_what, body, status, type, message) => {
    const res = await xray(f.url, '/TraceSegments', body);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-amzn-errortype')).toBe(type);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toMatchObject({ __type: type });
    expect(res.body['message']).toContain(message);
    expect(res.body['Message']).toBe(res.body['message']);
  });

  it('refuses a body over api.maxBodyBytes with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ TraceSegmentDocuments: ['x'.repeat(1_100_000)] });
    const res = await xray(f.url, '/TraceSegments', huge);
    expect(res.status).toBe(413);
    expect(res.body['message']).toContain('api.maxBodyBytes');
    expect((await fetch(`${f.url}/healthz`)).status).toBe(200);
  });

  it('answers unknown paths, wrong methods and operations not implemented yet precisely', async () => {
    const unknown = await xray(f.url, '/NoSuchOperation', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ __type: 'UnknownOperationException' });
    const wrongMethod = await fetch(`${f.url}/TraceSegments`);
    expect(wrongMethod.status).toBe(405);
    const notYet = await xray(f.url, '/CreateGroup', { GroupName: 'g' });
    expect(notYet.status).toBe(400);
    expect(notYet.body['message']).toBe('CreateGroup is part of the X-Ray API but Fluoro does not implement it yet');
    expect(await metric(f.url, 'fluoro_http_requests_total', { listener: 'http', route: 'unmatched', status: '404' })).toBe(1);
  });
});

describe('bad input over UDP', () => {
  let f: TestFluoro;
  beforeAll(async () => {
    f = await startTestFluoro();
  });
  afterAll(() => f?.stop());

  it('counts each malformed datagram and invalid document by reason, drops it, and keeps receiving', async () => {
    const datagrams = invalidDatagrams();
    // Documents too big for one datagram cannot be sent over UDP at all (EMSGSIZE in the sender).
    const documents = cases.filter((c) => Buffer.byteLength(c.document) < 60_000);
    const messages = [
      ...datagrams.map((d) => d.datagram),
      ...documents.map((c) => HEADER + c.document),
      HEADER + valid('00000000000000e1'),
    ];
    await sendDatagrams(f.udp, messages);
    await waitFor(
      async () => (await metric(f.url, 'fluoro_documents_received_total', { receiver: 'udp' })) === messages.length,
      'all datagrams counted',
    );
    const expected = countBy([...datagrams.map((d) => d.reason), ...documents.map((c) => c.code)]);
    for (const [reason, n] of expected) {
      expect(await metric(f.url, 'fluoro_documents_rejected_total', { receiver: 'udp', reason }), reason).toBe(n);
    }
    expect(await metric(f.url, 'fluoro_documents_accepted_total', { receiver: 'udp' })).toBe(1);
    // Still serving: a valid datagram after all that is stored.
    await sendDatagrams(f.udp, [HEADER + valid('00000000000000e2')]);
    await waitFor(async () => {
      const res = await xray(f.url, '/Traces', { TraceIds: [T] });
      const t = (res.body['Traces'] as Array<{ Segments: unknown[] }>)[0];
      return t?.Segments.length === 2;
    }, 'both valid segments stored');
  });
});

describe('overload', () => {
  let f: TestFluoro;
  const dir = tempDir();
  beforeAll(async () => {
    // A queue of 1,000 spans that is never flushed on its own (no batch fills, the interval is a minute).
    f = await startTestFluoro([
      '--data-dir',
      dir.path,
      '--ingest.queue-max-spans',
      '1000',
      '--ingest.batch-max-spans',
      '1000000',
      '--ingest.flush-interval-ms',
      '60000',
    ]);
  });
  afterAll(async () => {
    await f?.stop();
    dir.remove();
  });

  it('sheds load: UDP drops are counted, HTTP gets 429 with Retry-After, and what was queued is written on stop', async () => {
    const messages = Array.from({ length: 3000 }, (_, i) => HEADER + valid(`${(0xd000 + i).toString(16).padStart(16, '0')}`));
    await sendDatagrams(f.udp, messages);
    await waitFor(
      async () => (await metric(f.url, 'fluoro_documents_received_total', { receiver: 'udp' })) === 3000,
      'all datagrams received',
    );
    // The receiver hands over batches of up to 2,000 spans; a batch that does not fit in the
    // 1,000-span queue is shed whole, except that an empty queue takes any one batch (so that a
    // big one is not refused forever). The queue holds at most its capacity or that first batch,
    // and every span is accounted for.
    const queued = await metric(f.url, 'fluoro_queue_spans');
    const dropped = await metric(f.url, 'fluoro_spans_dropped_total', { reason: 'queue_full' });
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBeLessThanOrEqual(2000);
    expect(dropped).toBeGreaterThanOrEqual(1000);
    expect(queued + dropped).toBe(3000);
    const docs = Array.from({ length: 1000 }, (_, i) => valid(`${(0xc000 + i).toString(16).padStart(16, '0')}`));
    const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: docs });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ __type: 'ThrottledException' });
    expect(res.body['message']).toContain('none of the 1000 spans were stored');
    await f.fluoro.stop();
    const store = await openDuckDb({
      path: join(dir.path, 'fluoro.duckdb'),
      threads: 1,
      memoryLimit: '',
      readConnections: 1,
      checkpointThreshold: '16MB',
    });
    expect((await store.size()).spans).toBe(queued);
    await store.close();
  });
});

describe('a saturated writer', () => {
  it('puts root-cause analysis aside while HTTP clients keep the writer busy, and takes it up again after', async () => {
    const dir = tempDir();
    const f = await startTestFluoro(['--data-dir', dir.path, '--analysis.quiet-ms', '50']);
    try {
      const now = Math.floor(Date.now() / 1000);
      const trace = (n: number) => `1-${(now - 60).toString(16)}-${n.toString(16).padStart(24, '0')}`;
      const faulted = (n: number) =>
        JSON.stringify({
          name: 'busy',
          id: n.toString(16).padStart(16, '0'),
          trace_id: trace(n),
          start_time: now - 30,
          end_time: now - 29,
          fault: true,
        });
      // 16 clients, each sending 30 requests of 250 one-segment traces back to back: bounded in count.
      const CLIENTS = 16;
      const REQUESTS = 30;
      const PER_REQUEST = 250;
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let r = 0; r < REQUESTS; r++) {
            const first = 1 + (c * REQUESTS + r) * PER_REQUEST;
            const res = await xray(f.url, '/TraceSegments', {
              TraceSegmentDocuments: Array.from({ length: PER_REQUEST }, (_, i) => faulted(first + i)),
            });
            expect(res.status).toBe(200);
          }
        }),
      );
      const total = CLIENTS * REQUESTS * PER_REQUEST;
      // Every trace is analysed or counted as skipped; none waits forever and the writer settles.
      await waitFor(
        async () =>
          (await metric(f.url, 'fluoro_traces_analysed_total')) + (await metric(f.url, 'fluoro_trace_analyses_skipped_total')) >= total,
        'every trace analysed or skipped',
        30_000,
      );
      // After the load, analysis goes on: a trace sent now gets its root causes.
      const last = total + 1;
      expect((await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: [faulted(last)] })).status).toBe(200);
      const summary = await waitFor(
        async () => {
          const res = await xray(f.url, '/TraceSummaries', { StartTime: now - 120, EndTime: now + 5, FilterExpression: trace(last) });
          const s = (res.body.TraceSummaries as Array<{ FaultRootCauses?: unknown[] }>)[0];
          return s?.FaultRootCauses?.length ? s : undefined;
        },
        'the root causes of a trace sent after the load',
        20_000,
      );
      expect(summary.FaultRootCauses).toHaveLength(1);
      expect(await metric(f.url, 'fluoro_queue_spans')).toBe(0);
    } finally {
      await f.stop();
      dir.remove();
    }
  });
});
