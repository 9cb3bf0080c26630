// The store's reads in process, without HTTP: what a read costs the store alone.
//   node bench/store-reads.mjs [--spans 1000000]
// Seeds a fresh DuckDB store with bench/seed.mjs, then times getServiceGraph over the last 5
// minutes and over 5 trace IDs, and getTraces of one trace, two rounds each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDuckDb } from '../packages/server/dist/storage/duckdb/backend.js';
import { seed } from './seed.mjs';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '1000000' } } });
const dir = mkdtempSync(join(tmpdir(), 'fluoro-store-reads-'));
const store = await openDuckDb({
  path: join(dir, 'f.duckdb'),
  threads: 2,
  memoryLimit: '2GB',
  readConnections: 1,
  checkpointThreshold: '256MB',
});
const end = Math.floor(Date.now() / 1000);
const seeded = await seed(store, { spans: Number(values.spans), end });
console.log(`seeded ${seeded.spans} spans in ${seeded.traces} traces`);
const page = await store.traces.findTraceSummaries({
  range: { start: end - 1800, end: end - 1700 },
  rangeType: 'TraceId',
  filter: null,
  limit: 5,
  after: null,
  sort: null,
});
const ids = page.summaries.slice(0, 5).map((s) => s.traceId);
const time = async (label, n, fn) => {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[n >> 1].toFixed(1)} ms, min ${ms[0].toFixed(1)} ms (n=${n})`);
};
for (let round = 1; round <= 2; round++) {
  await time('getServiceGraph, last 5 min', 15, () => store.graph.getServiceGraph({ range: { start: end - 300, end } }));
  await time('getServiceGraph, 5 traces', 30, () => store.graph.getServiceGraph({ traceIds: ids }));
  await time('getTraces, 1 trace', 30, () => store.traces.getTraces([ids[0]]));
}
console.log(`store: ${((await store.size()).bytes / 1e6).toFixed(1)} MB`);
await store.close();
rmSync(dir, { recursive: true, force: true });
