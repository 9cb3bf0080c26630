#!/usr/bin/env node
// The trace store at production scale (issue 13): seeds a DuckDB store with hours of bench/seed.mjs
// traffic, then times every call the console and X-Ray clients make over it, through Fluoro's API.
//   node bench/scale.mjs [--spans-per-hour 12600000] [--hours 1] [--keep true]
// --keep leaves the seeded data directory (bench/out/scale-data) for another run with --reuse true.
// A second pass times the calls as a running Fluoro answers them: with the last two filing
// minutes written but not yet taken into the rollups and trace rows (their roller held off).
import { rmSync, statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { machine, parseArgs, root, startFluoro, stats, timedPost } from './lib.mjs';
import { openSeedStore, seed } from './seed.mjs';

const args = parseArgs();
const perHour = Number(args['spans-per-hour'] ?? 12_600_000);
const hours = Number(args.hours ?? 1);
const dir = `${root}bench/out/scale-data`;
// The seeded hours end at this minute; a reused store is timed over the hours it was seeded with.
const end = args.reuse === 'true' ? await seededEnd() : Math.floor(Date.now() / 1000 / 60) * 60;

async function seededEnd() {
  const instance = await DuckDBInstance.create(`${dir}/fluoro.duckdb`);
  const c = await instance.connect();
  const [row] = (await c.runAndReadAll('SELECT max(trace_time) AS t FROM spans')).getRowObjectsJS();
  c.closeSync();
  instance.closeSync();
  return Math.floor(Number(row.t) / 60) * 60 + 60;
}
console.log(JSON.stringify({ machine: machine(), spansPerHour: perHour, hours }));

if (args.reuse !== 'true') {
  const t0 = performance.now();
  const store = await openSeedStore(dir);
  let spans = 0;
  let traces = 0;
  // Oldest hour first, as traffic arrives.
  for (let h = hours - 1; h >= 0; h--) {
    const s = await seed(store, { spans: perHour, end: end - h * 3600 });
    spans += s.spans;
    traces += s.traces;
    console.log(`  hour ${hours - h}/${hours}: ${spans} spans so far (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(`seeded ${spans} spans in ${traces} traces over ${hours} h in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  // As a running Fluoro does minute by minute: the service graph's rollups of every settled minute.
  const t1 = performance.now();
  const minutes = await store.rollUp(end + 60);
  console.log(`rolled up ${minutes} filing minutes in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  await store.close();
}

const bytes = (p) => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};
const fileBytes = bytes(`${dir}/fluoro.duckdb`) + bytes(`${dir}/fluoro.duckdb.wal`);

// Start to /readyz: what a restart of a large store costs.
const t1 = performance.now();
const fluoro = await startFluoro(['--data-dir', dir, '--udp', '0', '--http', '127.0.0.1:0', '--retention.max-age', '0']);
while ((await fetch(`${fluoro.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
const readyMs = performance.now() - t1;
const { spans: storedSpans } = await fluoro.metrics({ spans: 'fluoro_store_spans' });

const results = [];
const time = async (label, n, fn) => {
  const ms = [];
  let last;
  for (let i = 0; i < n; i++) {
    const r = await fn(i);
    ms.push(r.ms);
    last = r.json;
  }
  const s = stats(ms);
  results.push({ call: label, medianMs: Number(s.median.toFixed(1)), p95Ms: Number(s.p95.toFixed(1)), n });
  console.log(`${label}: median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (n=${n})`);
  return last;
};

const windows = [
  ['1 h', 3600, 60],
  ['24 h', 86_400, 300],
  ['7 d', 7 * 86_400, 3600],
].filter(([, span]) => span <= hours * 3600 || span === 3600);
const hour = { StartTime: end - 3600, EndTime: end };
const FILTERS = [
  'service("cart")',
  'service("cart") { fault } AND annotation.tier = "gold" AND responsetime > 1',
  'http.url CONTAINS "/api/catalog/" AND http.status = 404',
  'annotation.cart_size >= 7 AND duration > 1.5',
  '!ok',
];

/** Every call; `tag` names the pass; `all` false times the quick calls only. */
async function calls(fluoro, tag, all) {
  const api = (path, body) => timedPost(fluoro.url, path, body);
  for (const [label, span] of all ? windows : windows.slice(0, 1)) {
    await time(`${tag}GetServiceGraph, ${label}`, 3, () => api('/ServiceGraph', { StartTime: end - span, EndTime: end }));
  }
  if (all) await time(`${tag}GetServiceGraph, last 5 min`, 3, () => api('/ServiceGraph', { StartTime: end - 300, EndTime: end }));
  for (const [label, span, period] of all ? windows : windows.slice(0, 1)) {
    await time(`${tag}GetTimeSeriesServiceStatistics, ${label}, ${period} s periods`, 3, () =>
      api('/TimeSeriesServiceStatistics', {
        StartTime: end - span,
        EndTime: end,
        Period: period,
        EntitySelectorExpression: 'service("cart")',
      }),
    );
  }
  const first = await time(`${tag}GetTraceSummaries, 1 h, first page`, 5, () => api('/TraceSummaries', hour));
  for (const expression of all ? FILTERS : [FILTERS[0], FILTERS[2], FILTERS[4]])
    await time(`${tag}GetTraceSummaries, 1 h, ${expression}`, 3, () => api('/TraceSummaries', { ...hour, FilterExpression: expression }));
  if (!all) return;
  await time(`${tag}ranked: 1,000 slowest of the hour (the console's sort and scatter)`, 3, () =>
    api('/api/v1/traces/ranked', { start: end - 3600, end, by: 'responsetime', limit: 1000 }),
  );
  const ids = first.TraceSummaries.map((s) => s.Id);
  await time(`${tag}BatchGetTraces, one trace`, 20, (i) => api('/Traces', { TraceIds: [ids[i % ids.length]] }));
}

await calls(fluoro, '', true);
const rss = fluoro.rss();
await fluoro.stop();

// Live: the last two filing minutes marked, as they are while a running Fluoro takes traffic.
{
  const instance = await DuckDBInstance.create(`${dir}/fluoro.duckdb`);
  const c = await instance.connect();
  await c.run(`INSERT INTO graph_dirty VALUES (${end - 120}), (${end - 60})`);
  c.closeSync();
  instance.closeSync();
  const live = await startFluoro([
    '--data-dir',
    dir,
    '--udp',
    '0',
    '--http',
    '127.0.0.1:0',
    '--retention.max-age',
    '0',
    '--storage.duckdb.rollup-interval-seconds',
    '3600',
  ]);
  while ((await fetch(`${live.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
  await calls(live, 'live: ', false);
  await live.stop();
}

const spans = storedSpans;
const summary = {
  spans,
  fileBytes,
  bytesPerSpan: Number((fileBytes / spans).toFixed(1)),
  startToReadyMs: Math.round(readyMs),
  queryPeakRssMB: Math.round(rss.peakMB),
  results,
};
console.log(JSON.stringify(summary));
if (args.keep !== 'true') rmSync(dir, { recursive: true, force: true });
