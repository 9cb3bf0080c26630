import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../src/storage/duckdb/backend.js';
import { metric, startTestFluoro, waitFor, xray } from './helpers.js';

/**
 * A full disk during a checkpoint (issue 11 #3): DuckDB invalidates the database; Fluoro opens it
 * again by itself, tells each sender the truth, and loses nothing it acknowledged. The disk is a
 * 32 MB tmpfs (the test runs as root, as CI does) with a 14 MB filler, removed to free the space
 * (room for the writes after it and the checkpoint at stop).
 */
const mount = mkdtempSync(join(tmpdir(), 'fluoro-disk-full-'));
let mounted = false;

beforeAll(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mount], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    throw new Error(`this test mounts a 32 MB tmpfs and needs root (as CI runs): ${(err as Error).message}`);
  }
  writeFileSync(join(mount, 'filler'), Buffer.alloc(14 * 1024 * 1024));
});

afterAll(() => {
  if (mounted) execFileSync('umount', [mount]);
  rmSync(mount, { recursive: true, force: true });
});

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

function documents(n: number): { ids: string[]; docs: string[] } {
  const now = Date.now() / 1000;
  const ids: string[] = [];
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = hex(8);
    ids.push(id);
    docs.push(
      JSON.stringify({
        name: `svc${i % 5}`,
        id,
        trace_id: `1-${Math.floor(now).toString(16)}-${hex(12)}`,
        start_time: now,
        end_time: now + 0.1,
        annotations: { pad: hex(200) },
        http: { request: { url: `http://shop/${hex(20)}`, method: 'GET' }, response: { status: 200 } },
      }),
    );
  }
  return { ids, docs };
}

describe('a full disk during a checkpoint', () => {
  it('is recovered without a restart: the store is opened again, senders are told the truth, nothing acknowledged is lost', async () => {
    const data = join(mount, 'data');
    const f = await startTestFluoro(['--data-dir', data, '--storage.duckdb.checkpoint-threshold', '1MB']);
    const acknowledged: string[] = [];
    try {
      let failure: { status: number; body: Record<string, unknown> } | null = null;
      for (let i = 0; i < 2000 && !failure; i++) {
        const { ids, docs } = documents(200);
        const r = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: docs });
        if (r.status === 200 && (r.body['UnprocessedTraceSegments'] as unknown[]).length === 0) acknowledged.push(...ids);
        else failure = { status: r.status, body: r.body };
      }
      expect(failure, 'the disk never filled').not.toBeNull();
      expect(failure!.status).toBe(503);
      expect(failure!.body['message']).toMatch(/No space left on device/);
      // Said as it is: a commit that met the failure may be durable; resending it is safe.
      expect(failure!.body['message']).toMatch(
        /being opened again; resending is safe .*may or may not be stored|none of the 200 spans were stored/,
      );
      // When DuckDB invalidated the store, Fluoro tries to open it again at once (which fails while
      // the disk is full: the open replays the log and checkpoints); a write refused before that
      // (the write-ahead log could not grow) leaves the store open.
      const reopening = /being opened again/.test(String(failure!.body['message']));
      const attempts = async () =>
        (await metric(f.url, 'fluoro_store_reopens_total', { result: 'ok' })) +
        (await metric(f.url, 'fluoro_store_reopens_total', { result: 'failed' }));
      if (reopening) await waitFor(async () => (await attempts()) >= 1, 'an attempt to open the store again');

      rmSync(join(mount, 'filler'));
      let after = 0;
      for (let i = 0; i < 50 && after < 5; i++) {
        const { ids, docs } = documents(200);
        const r = await xray(f.url, '/TraceSegments', { TraceSegmentDocuments: docs });
        if (r.status === 200) {
          acknowledged.push(...ids);
          after++;
        } else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(after, 'writes did not come back after the space was freed').toBe(5);
      if (reopening) expect(await metric(f.url, 'fluoro_store_reopens_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${f.url}/readyz`)).status).toBe(200);
      const now = Date.now() / 1000;
      const read = await xray(f.url, '/TraceSummaries', { StartTime: now - 600, EndTime: now + 60 });
      expect(read.status).toBe(200);
      expect((await fetch(`${f.url}/metrics`)).status).toBe(200);
    } finally {
      await f.fluoro.stop();
    }
    const store = await openDuckDb({
      path: join(data, 'fluoro.duckdb'),
      threads: 1,
      memoryLimit: '',
      readConnections: 1,
      checkpointThreshold: '16MB',
    });
    try {
      const stored = new Set((await store.run('SELECT id FROM spans', [])).map((r) => r['id'] as string));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost.length, `${lost.length} of ${acknowledged.length} acknowledged segments lost`).toBe(0);
    } finally {
      await store.close();
    }
  });
});
