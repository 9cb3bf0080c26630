import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILTER_LIMITS } from '@fluoro/core';
import { HEADER, metric, sendDatagrams, spawnFluoro, startTestFluoro, tempDir, waitFor, xray, type TestFluoro } from './helpers.js';

/**
 * The attacks of issue 11, each reproduced against a real Fluoro, with the answer it gets now.
 * Browsers are in the console's browser tests (test/e2e); a store's damage in durability.int.test.ts.
 */
const NOW = Math.floor(Date.now() / 1000);
const traceId = (n: number) => `1-${NOW.toString(16)}-${n.toString(16).padStart(24, '0')}`;
const seg = (id: string, t: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'svc', id, trace_id: t, start_time: NOW - 60, end_time: NOW - 59, ...extra });
const spanId = (n: number) => n.toString(16).padStart(16, '0');

/** A root segment and `levels` stand-alone subsegments, each the parent of the next. */
function deepTrace(t: string, levels: number): string[] {
  const docs = [seg(spanId(1), t, { fault: true })];
  for (let i = 2; i <= levels + 1; i++) {
    docs.push(
      JSON.stringify({
        type: 'subsegment',
        name: `level-${i}`,
        id: spanId(i),
        parent_id: spanId(i - 1),
        trace_id: t,
        start_time: NOW - 60 + i / 1e5,
        end_time: NOW - 59,
        fault: i === levels + 1,
      }),
    );
  }
  return docs;
}

async function put(f: TestFluoro, docs: string[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: docs.slice(i, i + 500) });
    expect(res.status).toBe(200);
    expect(res.body['UnprocessedTraceSegments']).toEqual([]);
  }
}

describe('hostile filter expressions', () => {
  let f: TestFluoro;
  beforeAll(async () => {
    f = await startTestFluoro();
  });
  afterAll(() => f?.stop());

  const window = { StartTime: NOW - 3600, EndTime: NOW + 60 };
  it.each([
    ['300 AND-ed span leaves', Array.from({ length: 300 }, () => 'annotation.n >= 0').join(' AND '), 'more than 100 terms'],
    ['20,000 ORs', Array.from({ length: 20_000 }, () => 'ok').join(' OR '), 'characters long; at most 8192'],
    ['1,000 root facts', Array.from({ length: 1000 }, () => 'http.status = 200').join(' AND '), 'at most 8192 are allowed'],
    ['101 root facts', Array.from({ length: 101 }, () => 'http.status = 200').join(' AND '), 'more than 100 terms'],
    ['4,000 parentheses', '('.repeat(4000) + 'ok' + ')'.repeat(4000), 'nests deeper than 32 levels'],
  ])('answers %s with a precise 400, and ingest goes on meanwhile', async (_, expr, message) => {
    const refusals = Array.from({ length: 4 }, () => xray(f.url, '/TraceSummaries', { ...window, FilterExpression: expr }));
    const t = traceId(Math.floor(Math.random() * 1e9));
    const stored = xray(f.url, '/TraceSegments', { TraceSegmentDocuments: [seg(spanId(7), t)] });
    for (const r of await Promise.all(refusals)) {
      expect(r.status).toBe(400);
      expect(r.body['__type']).toBe('InvalidRequestException');
      expect(r.body['message']).toContain(message);
    }
    expect((await stored).status).toBe(200);
  });

  it('plans the largest accepted expression in linear time: 100 AND-ed leaves answer', async () => {
    const expr = Array.from({ length: FILTER_LIMITS.terms }, (_, i) => `annotation.n${i} >= 0`).join(' AND ');
    const res = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: expr });
    expect(res.status).toBe(200);
    expect(res.body['TraceSummaries']).toEqual([]);
  });

  it('escapes annotation keys: a quote or a dot in a key is a key, not JSON-path syntax', async () => {
    const t = traceId(0xa5);
    await put(f, [seg(spanId(9), t, { annotations: { 'c.d': 2 } })]);
    const dotted = await waitFor(async () => {
      const r = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: 'annotation[c.d] = 2' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body['TraceSummaries'] as unknown[]).length > 0 && r;
    }, 'the dotted key');
    expect((dotted.body['TraceSummaries'] as Array<{ Id: string }>).map((s) => s.Id)).toEqual([t]);
    for (const expr of ['annotation[a"b] = 1', "annotation[a'b] = 1", 'annotation[$.x] = 1', 'annotation[a/b~c] = 1']) {
      const r = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: expr });
      expect(r.status, `${expr}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body['TraceSummaries']).toEqual([]);
    }
  });
});

describe('one deep trace', () => {
  let f: TestFluoro;
  beforeAll(async () => {
    f = await startTestFluoro();
  });
  afterAll(() => f?.stop());

  it.each([3000, 20_000])(
    'a chain of %i subsegments is summarised, returned flattened past the nesting limit, and analysed',
    async (levels) => {
      const t = traceId(levels);
      await put(f, deepTrace(t, levels));
      const window = { StartTime: NOW - 3600, EndTime: NOW + 60 };
      const summaries = await waitFor(async () => {
        const r = await xray(f.url, '/TraceSummaries', { ...window, FilterExpression: t });
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
        return (r.body['TraceSummaries'] as unknown[]).length > 0 && r;
      }, 'the summary');
      const summary = (summaries.body['TraceSummaries'] as Array<Record<string, unknown>>)[0]!;
      expect(summary['Id']).toBe(t);
      const traces = await xray(f.url, '/Traces', { TraceIds: [t] });
      expect(traces.status).toBe(200);
      const segments = (traces.body['Traces'] as Array<{ Segments: Array<{ Id: string; Document: string }> }>)[0]!.Segments;
      // Every span is there once, no document nests deeper than the limit.
      let spans = 0;
      let deepest = 0;
      for (const s of segments) {
        const stack: Array<[Record<string, unknown>, number]> = [[JSON.parse(s.Document) as Record<string, unknown>, 1]];
        for (let item = stack.pop(); item; item = stack.pop()) {
          spans++;
          deepest = Math.max(deepest, item[1]);
          for (const k of (item[0]['subsegments'] as Array<Record<string, unknown>> | undefined) ?? []) stack.push([k, item[1] + 1]);
        }
      }
      expect(spans).toBe(levels + 1);
      expect(deepest).toBeLessThanOrEqual(65);
      expect(segments.length).toBe(Math.ceil((levels + 1) / 65));
      const graph = await xray(f.url, '/TraceGraph', { TraceIds: [t] });
      expect(graph.status).toBe(200);
      // Root-cause analysis reached the faulted bottom of the chain.
      await waitFor(
        async () => {
          const r = await xray(f.url, '/TraceSummaries', {
            ...window,
            FilterExpression: `rootcause.fault.entity { name = "level-${levels + 1}" }`,
          });
          return (r.body['TraceSummaries'] as Array<{ Id: string }>).some((s) => s.Id === t);
        },
        'the root cause',
        60_000,
      );
    },
    120_000,
  );
});

describe('HTTP framing and browsers', () => {
  let f: TestFluoro;
  beforeAll(async () => {
    f = await startTestFluoro();
  });
  afterAll(() => f?.stop());

  /** A raw request, so that Host and the other headers are exactly as given. */
  const raw = (path: string, headers: Record<string, string>, body = '', method = 'POST') =>
    new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
      const url = new URL(f.url);
      const req = request({ host: url.hostname, port: url.port, path, method, headers, setHost: !('host' in headers) }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('refuses a rebinding Host, and serves loopback names and the bound address', async () => {
    const evil = await raw('/GetSamplingRules', { host: 'rebind.evil.example', 'content-type': 'application/json' }, '{}');
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).message).toContain('Host "rebind.evil.example" is not served here');
    const page = await raw('/', { host: 'rebind.evil.example' }, '', 'GET');
    expect(page.status).toBe(403);
    for (const host of ['localhost', `localhost:${new URL(f.url).port}`, new URL(f.url).host, '[::1]:2000']) {
      expect((await raw('/GetSamplingRules', { host, 'content-type': 'application/json' }, '{}')).status, host).toBe(200);
    }
    expect(await metric(f.url, 'fluoro_http_requests_total', { listener: 'http', route: '/GetSamplingRules', status: '403' })).toBe(1);
  });

  it('refuses writes from a page of another origin, and bodies a page may send without a preflight', async () => {
    const rule = JSON.stringify({ SamplingRuleUpdate: { RuleName: 'Default', FixedRate: 0 } });
    const foreign = await raw('/UpdateSamplingRule', { origin: 'https://evil.example', 'content-type': 'application/json' }, rule);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).message).toBe(
      'a page of https://evil.example may not send POST requests here (add the origin to api.allowedOrigins to allow it)',
    );
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ]) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      const r = await raw('/UpdateSamplingRule', headers, rule);
      expect(r.status, type).toBe(415);
      expect(JSON.parse(r.body).__type).toBe('UnsupportedMediaTypeException');
    }
    const rules = await xray(f.url, '/GetSamplingRules', {});
    const def = (rules.body['SamplingRuleRecords'] as Array<{ SamplingRule: { RuleName: string; FixedRate: number } }>).find(
      (r) => r.SamplingRule.RuleName === 'Default',
    )!;
    expect(def.SamplingRule.FixedRate).toBe(0.05);
    const same = await raw('/GetSamplingRules', { origin: f.url, 'content-type': 'application/json' }, '{}');
    expect(same.status).toBe(200);
  });

  it('refuses a forged NextToken with a 400, not a 500', async () => {
    const forged = Buffer.from(JSON.stringify({ q: 'x', s: { time: 'a' } })).toString('base64url');
    for (const token of [forged, `${forged}.AAAAAAAAAAAAAAAAAAAAAA`, '.', 'a.b.c']) {
      const res = await xray(f.url, '/TraceSummaries', { StartTime: NOW - 60, EndTime: NOW, NextToken: token });
      expect(res.status, token).toBe(400);
      expect(res.body['message']).toContain('NextToken is not a token Fluoro issued');
    }
  });

  it('answers a 20 KB header with 431, and counts it', async () => {
    const r = await raw('/GetSamplingRules', { 'content-type': 'application/json', 'x-big': 'a'.repeat(20_000) }, '{}');
    expect(r.status).toBe(431);
    expect(JSON.parse(r.body).message).toBe('the request line and headers are over 16384 bytes (api.maxHeaderBytes)');
    expect(await metric(f.url, 'fluoro_http_requests_total', { listener: 'http', route: 'unmatched', status: '431' })).toBe(1);
  });

  it('sends hardening headers on the console and answers bad percent-encoding with 400', async () => {
    const page = await raw('/', {}, '', 'GET');
    expect(page.status).toBe(200);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const bad = await raw('/assets/%E0%A4%A.js', {}, '', 'GET');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toBe('the path /assets/%E0%A4%A.js is not valid percent-encoding');
  });
});

describe('UDP drops in the kernel', () => {
  it('are counted beside the queue drops: a stopped Fluoro cannot read, its socket buffer overflows', async () => {
    const dir = tempDir();
    const f = await spawnFluoro([
      'start',
      '--data-dir',
      dir.path,
      '--udp',
      '127.0.0.1:0',
      '--http',
      '127.0.0.1:0',
      '--ingest.udp-receive-buffer-bytes',
      '64KB',
    ]);
    try {
      expect(await metric(f.url, 'fluoro_udp_kernel_drops_total')).toBe(0);
      const sent = 2000;
      f.proc.kill('SIGSTOP');
      const t = traceId(0xd0);
      const pad = 'x'.repeat(900);
      await sendDatagrams(
        f.udp,
        Array.from({ length: sent }, (_, i) => HEADER + seg(spanId(0x1000 + i), t, { metadata: { default: { pad } } })),
      );
      f.proc.kill('SIGCONT');
      const drops = await waitFor(async () => {
        const accepted = await metric(f.url, 'fluoro_documents_accepted_total', { receiver: 'udp' });
        const dropped = await metric(f.url, 'fluoro_udp_kernel_drops_total');
        return accepted + dropped === sent && dropped;
      }, 'every datagram accepted or counted as dropped by the kernel');
      expect(drops).toBeGreaterThan(sent / 2);
    } finally {
      f.proc.kill('SIGKILL');
      await f.exited;
      dir.remove();
    }
  });
});

describe('memory under hostile clients', () => {
  let f: TestFluoro;
  beforeAll(async () => {
    f = await startTestFluoro(['--api.bodies-in-flight-bytes', '1MB']);
  });
  afterAll(() => f?.stop());

  it('holds bodies in flight to one budget: a slow upload holds its share, the next one past it gets 429', async () => {
    const url = new URL(f.url);
    const size = 700_000;
    let answered: (status: number) => void = () => undefined;
    const slowStatus = new Promise<number>((resolve) => (answered = resolve));
    const slow = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/TraceSegments',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': size },
      },
      (res) => {
        res.resume();
        answered(res.statusCode!);
      },
    );
    slow.write('{"TraceSegmentDocuments": [');
    await waitFor(async () => (await metric(f.url, 'fluoro_http_bodies_in_flight_bytes')) >= size, 'the slow upload holding its share');
    const refused = await fetch(`${f.url}/TraceSegments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(size),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { message: string }).message).toBe(
      'request bodies in flight would exceed 1048576 bytes (api.bodiesInFlightBytes); retry shortly',
    );
    slow.end(`]}${' '.repeat(size - 29)}`);
    expect(await slowStatus).toBe(200);
    await waitFor(async () => (await metric(f.url, 'fluoro_http_bodies_in_flight_bytes')) === 0, 'the budget given back');
    const after = await fetch(`${f.url}/TraceSegments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(size),
    });
    expect(after.status).toBe(400);
  });

  it('takes at most 10,000 documents per PutTraceSegments, refusing more at once', async () => {
    const res = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: Array.from({ length: 10_001 }, () => '{}') });
    expect(res.status).toBe(400);
    expect(res.body['message']).toBe(
      'TraceSegmentDocuments holds 10001 documents; at most 10000 are taken per call (the X-Ray daemon sends 50)',
    );
  });
});

describe('300 slow uploads', () => {
  it('keep the RSS within the bodies-in-flight budget: those past it are refused 429 before their bodies are read', async () => {
    const dir = tempDir();
    const f = await spawnFluoro(['start', '--data-dir', dir.path, '--udp', '0', '--http', '127.0.0.1:0']);
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${f.proc.pid}/status`, 'utf8'))![1]) * 1024;
    const { hostname, port } = new URL(f.url);
    const SIZE = 7 * 1024 * 1024;
    const BUDGET = 256 * 1024 * 1024; // api.bodiesInFlightBytes' default
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const sockets: Socket[] = [];
    try {
      const before = rss();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
      const statuses = await Promise.all(
        Array.from(
          { length: 300 },
          () =>
            new Promise<number | null>((resolve) => {
              const socket = connect({ host: hostname, port: Number(port) });
              sockets.push(socket);
              socket.on('error', () => resolve(null));
              socket.once('data', (d: Buffer) => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(d.toString())?.[1] ?? 0)));
              socket.write(
                `POST /TraceSegments HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: ${SIZE}\r\n\r\n`,
              );
              // Admitted ones get all their body but its last byte, slowly; then they stall.
              let sent = 0;
              const more = (): void => {
                if (socket.destroyed || sent + chunk.length >= SIZE) return resolve(-1);
                sent += chunk.length;
                socket.write(chunk, () => setTimeout(more, 20));
              };
              setTimeout(more, 500);
            }),
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
      clearInterval(sampler);
      const refused = statuses.filter((s) => s === 429).length;
      const held = statuses.filter((s) => s === -1).length;
      // A refused connection that was already sending may see its reset before the 429 is read.
      const reset = statuses.filter((s) => s === null).length;
      expect(refused + held + reset).toBe(300);
      expect(held).toBeLessThanOrEqual(Math.floor(BUDGET / SIZE));
      expect(refused + reset).toBeGreaterThanOrEqual(300 - Math.floor(BUDGET / SIZE));
      // Before the budget, 300 such uploads took the RSS to 2.25 GB.
      expect(peak - before, `RSS grew from ${before} to ${peak} bytes`).toBeLessThan(BUDGET + 64 * 1024 * 1024);
      expect((await fetch(`${f.url}/healthz`)).status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      f.proc.kill('SIGTERM');
      await f.exited;
      dir.remove();
    }
  });
});

describe('OTLP overload', () => {
  let f: TestFluoro;
  beforeAll(async () => {
    f = await startTestFluoro(['--otel.max-requests-in-flight', '1']);
  });
  afterAll(() => f?.stop());

  const exportOf = (n: number, seed: number) => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const trace = seed.toString(16).padStart(32, '0');
    const spans = Array.from({ length: n }, (_, i) => ({
      traceId: trace,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'GET /',
      kind: 2,
      startTimeUnixNano: String(now),
      endTimeUnixNano: String(now + 1_000_000n),
    }));
    return JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }],
    });
  };

  it('refuses exports past the requests in flight with 429 and Retry-After at arrival, before the one admitted is answered', async () => {
    const order: string[] = [];
    const send = async (label: string, body: string) => {
      const res = await fetch(`${f.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      order.push(`${label}:${res.status}`);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBe('1');
      return res.status;
    };
    const first = send('first', exportOf(10_000, 0xf1));
    await waitFor(async () => (await metric(f.url, 'fluoro_http_bodies_in_flight_bytes')) > 0, 'the first export being read');
    const rest = await Promise.all(Array.from({ length: 5 }, (_, i) => send(`late${i}`, exportOf(10, 0xf2 + i))));
    expect(await first).toBe(200);
    expect(rest).toEqual([429, 429, 429, 429, 429]);
    // Every refusal was answered before the admitted export was.
    expect(order.indexOf('first:200')).toBe(5);
    expect(await metric(f.url, 'fluoro_otel_requests_rejected_total', { receiver: 'otlp_http', reason: 'overloaded' })).toBe(5);
    // Once it is answered, the next export is admitted.
    expect(await send('after', exportOf(10, 0xff))).toBe(200);
  });
});

describe('a store that stops answering', () => {
  it('makes /readyz say so, and /metrics still answers without the value it cannot read', async () => {
    const f = await startTestFluoro();
    try {
      expect((await fetch(`${f.url}/readyz`)).status).toBe(200);
      // The store gone from under the process, as when DuckDB invalidates a database.
      await f.fluoro.store.close();
      const ready = await fetch(`${f.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { status: string }).status).toBe('store_failed');
      const metrics = await fetch(`${f.url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toMatch(/^# fluoro_store_size_bytes could not be read: /m);
      expect(text).toMatch(/^fluoro_http_requests_total\{/m);
    } finally {
      await f.stop().catch(() => undefined);
    }
  });
});
