#!/usr/bin/env node
// Read API latency on a seeded store (bench/seed.mjs), through Fluoro's HTTP API.
//   node bench/query.mjs [--spans 1000000]
import { readFileSync, rmSync } from 'node:fs';
import { parseFilter } from '../packages/core/dist/index.js';
import { planFilter } from '../packages/server/dist/query/filter-planner.js';
import { compilePlan } from '../packages/server/dist/storage/sql/plan-compiler.js';
import { duckdbDialect } from '../packages/server/dist/storage/duckdb/dialect.js';

/** What a filtered query costs before it reaches the database: the plan, then the dialect's SQL fragments. */
const compileFilter = (filter, bounds) => compilePlan(planFilter(filter), bounds, duckdbDialect);
import { parseArgs, root, startFluoro, timedPost } from './lib.mjs';
import { openSeedStore, seed } from './seed.mjs';

const args = parseArgs();
const spans = Number(args.spans ?? 1_000_000);
const dir = `${root}bench/out/query-data`;
const end = Math.floor(Date.now() / 1000);
const t0 = performance.now();
const store = await openSeedStore(dir);
const seeded = await seed(store, { spans, end });
await store.close();
console.log(
  `seeded ${seeded.spans} spans in ${seeded.traces} traces over the past hour (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);

const fluoro = await startFluoro(['--data-dir', dir, '--udp', '0', '--http', '127.0.0.1:0']);
const url = fluoro.url;
const api = (path, body) => timedPost(url, path, body);
const time = async (label, n, fn) => {
  const ms = [];
  let last;
  for (let i = 0; i < n; i++) {
    const r = await fn(i);
    ms.push(r.ms);
    last = r.json;
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label}: median ${ms[Math.floor(n / 2)].toFixed(1)} ms, p95 ${ms[Math.min(n - 1, Math.floor(n * 0.95))].toFixed(1)} ms, min ${ms[0].toFixed(1)} ms (n=${n})`,
  );
  return last;
};
const hour = { StartTime: end - 3600, EndTime: end };
const first = await time('GetTraceSummaries, 1 h, first page', 10, () => api('/TraceSummaries', hour));
console.log(`  ${first.TracesProcessedCount} traces in the hour`);
await time('GetTraceSummaries, 1 h, second page', 10, () => api('/TraceSummaries', { ...hour, NextToken: first.NextToken }));
const ids = first.TraceSummaries.map((s) => s.Id);
const hex = (n, w) => n.toString(16).padStart(w, '0');
await time('BatchGetTraces, 1 trace', 50, (i) =>
  api('/Traces', { TraceIds: [i < ids.length ? ids[i] : `1-${hex(end - 1800, 8)}-${hex(i * 997, 24)}`] }),
);
await time('GetServiceGraph, 1 h', 5, () => api('/ServiceGraph', hour));
await time('GetServiceGraph, 5 min', 5, () => api('/ServiceGraph', { StartTime: end - 300, EndTime: end }));
await time('GetTraceGraph, 5 traces', 10, () => api('/TraceGraph', { TraceIds: ids.slice(0, 5) }));

// Filter expressions over the hour: each answers a first page of summaries.
const FILTERS = [
  'service("cart") { fault } AND annotation.tier = "gold" AND responsetime > 1',
  'http.url CONTAINS "/api/catalog/" AND http.status = 404',
  'edge("frontend", "cart") { error }',
  'user = "user-40" AND !ok',
  'service(id(type: "AWS::DynamoDB::Table")) { throttle }',
  'rootcause.fault.service { name = "cart" }',
  'annotation.cart_size >= 7 AND duration > 1.5',
  // Worst case: a pure negation narrows nothing, so every trace of the hour is aggregated.
  '!ok',
];
for (const expression of FILTERS) {
  const r = await time(`  ${expression}`, 10, () => api('/TraceSummaries', { ...hour, FilterExpression: expression }));
  console.log(`    ${r.TraceSummaries.length} on the first page${r.NextToken ? ' (more)' : ''}`);
}

// The console's aggregates (native API) over the hour.
const native = api;
const nativeHour = { start: end - 3600, end };
await time('traces/groups by http.url, 1 h', 5, () => native('/api/v1/traces/groups', { ...nativeHour, by: 'http.url' }));
await time('traces/groups by annotation.tier, fault, 1 h', 5, () =>
  native('/api/v1/traces/groups', { ...nativeHour, by: 'annotation.tier', filter: 'fault' }),
);
await time('traces/stats, 1 h', 5, () => native('/api/v1/traces/stats', nativeHour));
await time('suggestions, 1 h', 5, () => native('/api/v1/suggestions', nativeHour));

// Parsing, checking and compiling, in process: the corpus's valid expressions.
const corpus = JSON.parse(readFileSync(`${root}fixtures/filters/corpus.json`, 'utf8'));
const valid = corpus.valid;
const bounds = { start: end - 7200, end: end + 3600 };
for (const e of valid) compileFilter(parseFilter(e).filter, bounds); // warm up
const rounds = 20;
const t1 = performance.now();
for (let k = 0; k < rounds; k++) for (const e of valid) compileFilter(parseFilter(e).filter, bounds);
const each = ((performance.now() - t1) / (rounds * valid.length)) * 1000;
const longest = valid.reduce((a, b) => (b.length > a.length ? b : a));
const t2 = performance.now();
for (let k = 0; k < 1000; k++) compileFilter(parseFilter(longest).filter, bounds);
console.log(
  `parse + check + plan + compile: ${each.toFixed(1)} µs per expression on average over ${valid.length} corpus expressions; the longest (${longest.length} chars) ${(performance.now() - t2).toFixed(1)} µs`,
);
await fluoro.stop();
rmSync(dir, { recursive: true, force: true });
