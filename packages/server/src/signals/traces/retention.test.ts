import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSegmentDocument, spanBatchOf, type Span } from '@fluoro/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/telemetry/logger.js';
import { Metrics } from '../../platform/telemetry/metrics.js';
import type { StorageBackend } from '../../storage/api/index.js';
import { openDuckDb } from '../../storage/duckdb/backend.js';
import { openMemoryStore } from '../../storage/memory/backend.js';
import { Retention } from './retention.js';

const HOUR = 3600;
const NOW = Math.floor(Date.now() / 1000 / HOUR) * HOUR + 1800; // half past an hour
const dir = mkdtempSync(join(tmpdir(), 'fluoro-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [template] = (() => {
  const r = parseSegmentDocument(
    JSON.stringify({ name: 'front', id: '0000000000000001', trace_id: '1-00000000-000000000000000000000001', start_time: 1, end_time: 2 }),
  );
  if (!r.ok) throw new Error(r.rejection.message);
  return r.spans;
})();

let serial = 0;
/** `n` one-span traces filed through the hour that starts at `hour`, written straight to the store. */
async function fill(store: StorageBackend, hour: number, n: number): Promise<void> {
  for (let from = 0; from < n; from += 10_000) {
    const spans: Span[] = Array.from({ length: Math.min(10_000, n - from) }, (_, k) => {
      const id = (++serial).toString(16);
      const t = hour + ((from + k) / n) * (HOUR - 1);
      return {
        ...template!,
        traceId: id.padStart(32, '0'),
        id: id.padStart(16, '0'),
        docId: id.padStart(16, '0'),
        startTime: t,
        endTime: t + 1,
        traceTime: t,
      };
    });
    await store.spans.write({ rows: [{ batch: spanBatchOf(spans) }], supersedes: [] });
  }
}

function harness(store: StorageBackend, config: { maxAge: number; maxBytes: number }) {
  const lines: string[] = [];
  const metrics = new Metrics();
  const retention = new Retention(
    store,
    { ...config, checkSeconds: 60 },
    createLogger('info', 'text', (l) => lines.push(l)),
    metrics,
    () => NOW,
  );
  const metric = async (name: string) => (await metrics.render()).split('\n').filter((l) => l.startsWith(name));
  return { retention, lines, metric };
}

describe('retention', () => {
  const stores: StorageBackend[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  it('by age: deletes the hours filed before retention.maxAge, whole, and keeps the rest', async () => {
    const store = await openMemoryStore();
    stores.push(store);
    for (let h = 5; h >= 0; h--) await fill(store, Math.floor(NOW / HOUR) * HOUR - h * HOUR, 100);
    const { retention, lines, metric } = harness(store, { maxAge: 3 * HOUR, maxBytes: 0 });
    await retention.apply();
    // Now is half past hour 0; three hours back is half past hour -3, whose hour is kept whole.
    expect(await store.retention.oldest()).toBe(Math.floor(NOW / HOUR) * HOUR - 3 * HOUR);
    expect((await store.size()).spans).toBe(400);
    expect(await metric('fluoro_retention_deleted_spans_total')).toEqual(['fluoro_retention_deleted_spans_total{reason="age"} 200']);
    expect(lines.join('')).toMatch(/retention deleted traces older than retention.maxAge before=\S+T\S+Z spans=200/);
    await retention.apply();
    expect((await store.size()).spans).toBe(400);
  });

  it('by size: deletes the oldest hours until the data is within retention.maxBytes, keeping the current hour', async () => {
    const store = await openDuckDb({
      path: join(dir, 'size.duckdb'),
      threads: 2,
      memoryLimit: '',
      readConnections: 2,
      checkpointThreshold: '64MB',
    });
    stores.push(store);
    const current = Math.floor(NOW / HOUR) * HOUR;
    // DuckDB frees whole row groups of 122,880 rows: hours of 130,000 spans each.
    for (let h = 3; h >= 0; h--) await fill(store, current - h * HOUR, 130_000);
    await store.retention.deleteBefore(0); // settles the log into the file
    const full = (await store.size()).usedBytes;
    const { retention, lines, metric } = harness(store, { maxAge: 0, maxBytes: Math.floor(full * 0.6) });
    await retention.apply();
    const after = await store.size();
    expect(after.usedBytes).toBeLessThanOrEqual(Math.floor(full * 0.6));
    expect(after.spans).toBeGreaterThanOrEqual(130_000);
    expect(after.spans).toBeLessThan(4 * 130_000);
    expect(after.spans % 130_000).toBe(0);
    // The oldest hours went first.
    expect(await store.retention.oldest()).toBe(current - (after.spans / 130_000 - 1) * HOUR);
    expect(lines.join('')).toMatch(/the store reached retention.maxBytes: the oldest hour of traces was deleted, and ingest goes on hour=/);
    expect(await metric('fluoro_retention_deleted_spans_total')).toEqual([
      `fluoro_retention_deleted_spans_total{reason="size"} ${4 * 130_000 - after.spans}`,
    ]);
    expect(await metric('fluoro_retention_over_size')).toEqual(['fluoro_retention_over_size 0']);

    // A bound the current hour alone exceeds: every older hour goes, the current one stays, and it is said.
    const tight = harness(store, { maxAge: 0, maxBytes: 1024 });
    await tight.retention.apply();
    expect(await store.retention.oldest()).toBe(current);
    expect((await store.size()).spans).toBe(130_000);
    expect(tight.lines.join('')).toMatch(/over retention.maxBytes, and only the current hour is left: it is kept, and ingest goes on/);
    expect(await tight.metric('fluoro_retention_over_size')).toEqual(['fluoro_retention_over_size 1']);
  }, 60_000);
});
