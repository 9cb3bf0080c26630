#!/usr/bin/env node
// The console's performance, measured in Debian's chromium against a real Fluoro:
//   1. a trace of 5,000 spans: time until its timeline is on screen, and scrolling it; the same
//      trace as a flame graph;
//   2. a service map of 200 nodes: ELK layout time and time until it is drawn;
//   3. the traces page with 1M spans stored (bench/seed.mjs): time until the list answers, sorted
//      by response time on the server, and the latency scatter of the 10,000 slowest.
//   node bench/console.mjs [--spans 1000000] [--runs 5] [--skip-seed] [--reuse true]
// (--skip-seed leaves out part 3, which seeds a store for about a minute; --reuse true times the
// store part 3 seeded last time, if its hour is still recent.)
// Needs `npm run build` (server and console) and /usr/bin/chromium.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { openSeedStore, seed } from './seed.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (acc, a, i, all) =>
        a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : (all[i + 1] ?? 'true')]] : acc,
      [],
    ),
);
const SPANS = Number(args.spans ?? 1_000_000);
const RUNS = Number(args.runs ?? 5);
if (!existsSync(`${root}packages/console/dist/index.html`)) throw new Error('build first: npm run build');

const hex = (n, w) => n.toString(16).padStart(w, '0');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (v) => `${v.toFixed(0)} ms`;

async function startFluoro(dataDir) {
  const proc = spawn(
    process.execPath,
    [
      `${root}packages/server/dist/cli.js`,
      'start',
      '--data-dir',
      dataDir,
      '--udp',
      '0',
      '--http',
      '127.0.0.1:0',
      '--otlp-http',
      '0',
      '--otlp-grpc',
      '0',
      '--zipkin',
      '0',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = /http=(\S+)/.exec(buf);
      if (m) resolve(`http://${m[1]}`);
    });
    proc.once('exit', (code) => reject(new Error(`fluoro exited ${code}`)));
  });
  return { url, stop: () => new Promise((r) => (proc.once('exit', r), proc.kill('SIGTERM'))) };
}

async function put(url, docs) {
  for (let i = 0; i < docs.length; i += 200) {
    const res = await fetch(`${url}/TraceSegments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ TraceSegmentDocuments: docs.slice(i, i + 200).map((d) => JSON.stringify(d)) }),
    });
    const body = await res.json();
    if (res.status !== 200 || body.UnprocessedTraceSegments.length) throw new Error(JSON.stringify(body).slice(0, 300));
  }
}

/** One trace of `spans` spans: a frontend fanning out to 39 service calls, each a segment with 124 nested subsegments. */
function bigTrace(spans, start) {
  const traceId = `1-${hex(Math.floor(start), 8)}-${hex(0xb16, 24)}`;
  const perSegment = 125;
  const segments = Math.ceil(spans / perSegment);
  let n = 0;
  const id = () => hex(++n, 16);
  const front = {
    name: 'frontend',
    id: id(),
    trace_id: traceId,
    start_time: start,
    end_time: start + 4,
    http: { request: { method: 'GET', url: 'https://shop.example.com/api/big' }, response: { status: 200 } },
    subsegments: [],
  };
  const docs = [front];
  const subs = (t0, count, depth) => {
    const out = [];
    let t = t0;
    while (out.length < count) {
      const d = 0.002 + ((n * 7919) % 17) / 1000;
      const s = { name: `op-${n % 40}`, id: id(), start_time: t, end_time: t + d, ...(n % 97 === 0 ? { fault: true } : {}) };
      out.push(s);
      t += d / 2;
      if (depth < 3 && out.length + 3 <= count && n % 5 === 0) {
        s.subsegments = subs(s.start_time + 0.0005, 3, depth + 1);
        count -= 3;
      }
    }
    return out;
  };
  for (let i = 1; i < segments; i++) {
    const t = start + 0.01 + i * 0.09;
    const call = {
      name: `svc-${i % 12}`,
      id: id(),
      start_time: t,
      end_time: t + 0.5,
      namespace: 'remote',
      http: { request: { method: 'GET', url: `http://svc-${i % 12}/x`, traced: true }, response: { status: 200 } },
    };
    front.subsegments.push(call);
    const seg = {
      name: `svc-${i % 12}`,
      id: id(),
      parent_id: call.id,
      trace_id: traceId,
      start_time: t + 0.005,
      end_time: t + 0.49,
      origin: 'AWS::ECS::Container',
      http: { response: { status: 200 } },
      subsegments: [],
    };
    seg.subsegments = subs(seg.start_time + 0.001, perSegment - 1, 0);
    docs.push(seg);
  }
  const count = (d) => 1 + (d.subsegments ?? []).reduce((s, x) => s + count(x), 0);
  // The frontend's own spans, to reach the requested total exactly.
  const have = docs.reduce((s, d) => s + count(d), 0);
  front.subsegments.push(...subs(start + 0.001, Math.max(0, spans - have), 3));
  return { traceId, docs, spans: docs.reduce((s, d) => s + count(d), 0) };
}

/** Traces whose service graph has `nodes` nodes: a client and services in a tree of fan-out 3, plus cross calls. */
function wideGraph(nodes, end) {
  const services = nodes - 1;
  const parent = (i) => Math.floor((i - 1) / 3);
  const docs = [];
  for (let i = 0; i < services; i++) {
    const path = [];
    for (let k = i; ; k = parent(k)) {
      path.unshift(k);
      if (k === 0) break;
    }
    // A cross call to a deeper service, for a less tidy graph.
    const cross = (i * 7 + 3) % services;
    if (cross > i && i % 4 === 0) path.push(cross);
    const start = end - 3000 + i * 10;
    const traceId = `1-${hex(Math.floor(start), 8)}-${hex(0x6a0000 + i, 24)}`;
    let parentSub = null;
    path.forEach((svc, depth) => {
      const t = start + depth * 0.01;
      const seg = {
        name: `svc-${hex(svc, 3)}`,
        id: hex((i << 8) + depth * 2 + 1, 16),
        trace_id: traceId,
        start_time: t,
        end_time: t + 0.2 - depth * 0.02,
        ...(parentSub ? { parent_id: parentSub } : {}),
        ...(svc % 11 === 5 ? { fault: true } : {}),
        http: { response: { status: svc % 11 === 5 ? 500 : 200 } },
      };
      if (depth < path.length - 1) {
        seg.subsegments = [
          {
            name: `svc-${hex(path[depth + 1], 3)}`,
            id: hex((i << 8) + depth * 2 + 2, 16),
            start_time: t + 0.001,
            end_time: t + 0.19 - depth * 0.02,
            namespace: 'remote',
            http: { request: { traced: true, url: 'http://x/' }, response: { status: 200 } },
          },
        ];
        parentSub = seg.subsegments[0].id;
      }
      docs.push(seg);
    });
  }
  return docs;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const measure = (name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
const sinceNavigation = () => page.evaluate(() => performance.now());

// 1 and 2: a small store with the big trace and the wide graph.
const smallDir = `${root}bench/out/console-data`;
rmSync(smallDir, { recursive: true, force: true });
mkdirSync(smallDir, { recursive: true });
let fluoro = await startFluoro(smallDir);
const now = Math.floor(Date.now() / 1000);
// Two hours back: outside the map's hour, so the map is the 200-node graph alone.
const big = bigTrace(5000, now - 7200);
await put(fluoro.url, big.docs);
await put(fluoro.url, wideGraph(200, now));
console.log(`machine: ${(await import('node:os')).cpus().length} cores; chromium headless (software rendering)`);

{
  const total = [];
  const render = [];
  const fetchMs = [];
  for (let r = 0; r < RUNS; r++) {
    await page.goto(`${fluoro.url}/traces/${big.traceId}`);
    await page.waitForSelector('[data-testid=timeline-row]');
    total.push(await sinceNavigation());
    await page.waitForFunction(() => performance.getEntriesByName('fluoro:timeline-render').length > 0);
    render.push((await measure('fluoro:timeline-render'))[0]);
    fetchMs.push(
      await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.endsWith('/Traces'))
          .reduce((s, e) => s + e.duration, 0),
      ),
    );
  }
  const dom = await page.locator('[data-testid=timeline-row]').count();
  const rows = await page.getByTestId('timeline').getAttribute('data-rows');
  console.log(
    `timeline, ${big.spans} spans (${rows} rows, ${dom} in the DOM): on screen ${ms(median(total))} after navigation (median of ${RUNS}); BatchGetTraces ${ms(median(fetchMs))}; model + first render ${ms(median(render))}`,
  );
  // Scroll through the whole timeline, one step per frame, and time the frames.
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const el = document.querySelector('.timeline-scroll');
        const times = [];
        let last = performance.now();
        const step = () => {
          const t = performance.now();
          times.push(t - last);
          last = t;
          el.scrollTop += 97;
          if (el.scrollTop + el.clientHeight < el.scrollHeight && times.length < 2000) requestAnimationFrame(step);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(step);
      }),
  );
  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  console.log(
    `timeline scroll: ${frames.length} frames, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ${frames.filter((f) => f > 50).length} frames over 50 ms`,
  );
}

// The same trace as a flame graph (issue 14 #8): opened by a link with view=flame, and switched
// to from its timeline. fluoro:flame-render runs from the trace's arrival (on a link) or from the
// view's first render (on a switch) to the first frame drawn.
{
  const total = [];
  const render = [];
  const switched = [];
  for (let r = 0; r < RUNS; r++) {
    await page.goto(`${fluoro.url}/traces/${big.traceId}?view=flame`);
    await page.waitForSelector('[data-testid=flame-graph][data-drawn=true]');
    total.push(await sinceNavigation());
    render.push((await measure('fluoro:flame-render'))[0]);
  }
  const rows = await page.getByTestId('flame-graph').getAttribute('data-rows');
  for (let r = 0; r < RUNS; r++) {
    await page.goto(`${fluoro.url}/traces/${big.traceId}`);
    await page.waitForSelector('[data-testid=timeline-row]');
    await page.getByTestId('view-flame').click();
    await page.waitForSelector('[data-testid=flame-graph][data-drawn=true]');
    switched.push((await measure('fluoro:flame-render'))[0]);
  }
  console.log(
    `flame graph, ${big.spans} spans (${rows} rows): on screen ${ms(median(total))} after navigation (median of ${RUNS}); model + layout + first draw ${ms(median(render))}; switched to from the timeline, layout + first draw ${ms(median(switched))}`,
  );
}

{
  const layout = [];
  const total = [];
  for (let r = 0; r < RUNS; r++) {
    await page.goto(`${fluoro.url}/map?range=1h`);
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true] [data-testid=map-node]');
    total.push(await sinceNavigation());
    layout.push((await measure('fluoro:map-layout'))[0]);
  }
  const nodes = await page.locator('[data-testid=map-node]').count();
  const edges = await page.locator('[data-testid=map-edge]').count();
  console.log(
    `service map, ${nodes} nodes and ${edges} edges: ELK layout ${ms(median(layout))}, drawn ${ms(median(total))} after navigation (median of ${RUNS})`,
  );
}
await fluoro.stop();

// 3: the traces page over 1M spans.
if (args['skip-seed'] !== 'true') {
  const dir = `${root}bench/out/console-1m`;
  const t0 = performance.now();
  let seeded;
  if (args.reuse === 'true') {
    // The store of an earlier run, as it is: its hour must still be the past hour (within minutes).
    seeded = { spans: Number(args.spans ?? 0) || 'the earlier run’s' };
    console.log(`reusing ${dir}`);
  } else {
    const store = await openSeedStore(dir);
    const end = Math.floor(Date.now() / 1000);
    seeded = await seed(store, { spans: SPANS, end });
    await store.close();
    console.log(
      `seeded ${seeded.spans} spans in ${seeded.traces} traces over the past hour (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  fluoro = await startFluoro(dir);
  for (const filter of ['', 'service("cart") { fault }', 'http.url CONTAINS "/api/catalog/" AND http.status = 404']) {
    const list = [];
    const api = [];
    const groups = [];
    for (let r = 0; r < RUNS; r++) {
      await page.goto(`${fluoro.url}/traces?range=1h${filter ? `&filter=${encodeURIComponent(filter)}` : ''}`);
      await page.waitForSelector('[data-testid=trace-row]', { timeout: 60_000 });
      list.push(await sinceNavigation());
      api.push((await measure('fluoro:traces-first-page'))[0]);
      await page.waitForSelector('[data-testid=group-row]', { timeout: 60_000 });
      groups.push(await sinceNavigation());
    }
    console.log(
      `traces page, ${seeded.spans} spans stored, filter ${filter || '(none)'}: first 100 traces on screen ${ms(median(list))} after navigation (GetTraceSummaries ${ms(median(api))}); group-by table ${ms(median(groups))} (median of ${RUNS})`,
    );
  }
  // Sorted by response time over the whole window (server side), and the latency scatter of the
  // 10,000 slowest: time until each is on screen, and the scatter's canvas draw alone.
  {
    const sorted = [];
    const ranked = [];
    const scatter = [];
    const draw = [];
    let points = 0;
    for (let r = 0; r < RUNS; r++) {
      await page.goto(`${fluoro.url}/traces?range=1h&sort=responseTime%3Adesc`);
      await page.waitForSelector('[data-testid=trace-row]', { timeout: 60_000 });
      sorted.push(await sinceNavigation());
      ranked.push((await measure('fluoro:traces-first-page'))[0]);
      const fig = await page.waitForSelector('[data-testid=latency-scatter][data-draw-ms]', { timeout: 60_000 });
      scatter.push(await sinceNavigation());
      draw.push(Number(await fig.getAttribute('data-draw-ms')));
      points = Number(await fig.getAttribute('data-points'));
    }
    console.log(
      `traces page sorted by response time (server side, ${seeded.spans} spans stored): first 100 on screen ${ms(median(sorted))} after navigation (ranked call ${ms(median(ranked))}); latency scatter of ${points} points on screen ${ms(median(scatter))} (canvas draw ${ms(median(draw))}) (median of ${RUNS})`,
    );
  }
  await fluoro.stop();
}
await browser.close();
