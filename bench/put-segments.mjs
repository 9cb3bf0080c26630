#!/usr/bin/env node
// PutTraceSegments under a flood of documents, and what the main thread still answers meanwhile.
//
//   node bench/put-segments.mjs [--calls 40] [--parallel 4] [--documents 10000]
//
// Sends `calls` PutTraceSegments (`parallel` at a time) of `documents` each: half valid segments,
// half `{}` (refused one by one, as issue 11's probe sent), to a fresh `fluoro start`, while a
// probe asks GET /healthz every 20 ms. Prints documents/s through the API and the /healthz
// latency (median, p95, max): the main thread's responsiveness while documents are parsed.
import { machine, parseArgs, startFluoro, stats } from './lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = parseArgs();
const calls = Number(args.calls ?? 40);
const parallel = Number(args.parallel ?? 4);
const perCall = Number(args.documents ?? 10000);
const dataDir = mkdtempSync(join(tmpdir(), 'fluoro-bench-put-'));
const fluoro = await startFluoro(['--data-dir', dataDir, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0']);
const now = Math.floor(Date.now() / 1000);
let n = 0;
const body = () => {
  const docs = [];
  for (let i = 0; i < perCall; i++) {
    if (i % 2) docs.push('{}');
    else {
      const k = ++n;
      docs.push(
        JSON.stringify({
          name: `svc${k % 7}`,
          id: k.toString(16).padStart(16, '0'),
          trace_id: `1-${now.toString(16)}-${k.toString(16).padStart(24, '0')}`,
          start_time: now - 30,
          end_time: now - 29.9,
          http: { request: { method: 'GET', url: `http://shop/item/${k}` }, response: { status: 200 } },
        }),
      );
    }
  }
  return JSON.stringify({ TraceSegmentDocuments: docs });
};
const bodies = Array.from({ length: parallel }, body);

const health = [];
let probing = true;
const probe = (async () => {
  while (probing) {
    const t = performance.now();
    await fetch(`${fluoro.url}/healthz`);
    health.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
})();

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: parallel }, async (_, w) => {
    while (next < calls) {
      next++;
      const res = await fetch(`${fluoro.url}/TraceSegments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodies[w],
      });
      if (res.status !== 200) throw new Error(`PutTraceSegments answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      await res.arrayBuffer();
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
probing = false;
await probe;
await fluoro.stop();
rmSync(dataDir, { recursive: true, force: true });
const h = stats(health);
console.log(
  `PutTraceSegments: ${calls} calls × ${perCall} documents (half refused), ${parallel} in parallel: ${Math.round((calls * perCall) / seconds)} documents/s; ` +
    `/healthz meanwhile: median ${h.median.toFixed(1)} ms, p95 ${h.p95.toFixed(1)} ms, max ${Math.max(...health).toFixed(1)} ms (${h.n} probes)`,
);
console.log(JSON.stringify({ machine: machine() }));
