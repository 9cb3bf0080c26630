import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FixtureWriter } from '../conformance/harness.js';
import { openDuckDb } from './backend.js';
import { SPAN_COLUMNS } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'fluoro-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (path: string) => ({ path, threads: 1, memoryLimit: '', readConnections: 1, checkpointThreshold: '16MB' });

/**
 * A file of `docs` written and rolled up by this Fluoro, then turned back into what `version` left
 * (`statements` undo the later versions), and opened again: the migration runs.
 */
async function reopenedAs(path: string, docs: unknown[], rolled: number, version: number, statements: readonly string[]) {
  const store = await openDuckDb(options(path));
  const writer = await FixtureWriter.start(store);
  await writer.write(docs);
  await writer.stop();
  expect(await store.rollUp(1767225600 + 3600)).toBe(rolled);
  await store.close();
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  for (const s of statements) await c.run(s);
  await c.run(`UPDATE fluoro_meta SET value = '${version}' WHERE key = 'schema_version'`);
  c.closeSync();
  instance.closeSync();
  return openDuckDb(options(path));
}

describe('DuckDB schema migrations', () => {
  it('opens a version-2 file, adds the OpenTelemetry columns, reads its spans as X-Ray spans, and marks them to be rolled up', async () => {
    const path = join(dir, 'v2.duckdb');
    // A file as Fluoro wrote it before version 3: the columns up to `doc`, one segment with a call.
    const v2 = SPAN_COLUMNS.slice(
      0,
      SPAN_COLUMNS.findIndex(([n]) => n === 'resource'),
    );
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(`CREATE TABLE spans (${v2.map(([n, t]) => `${n} ${t}`).join(', ')})`);
    await c.run(`CREATE TABLE fluoro_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
    await c.run(`INSERT INTO fluoro_meta VALUES ('schema_version', '2')`);
    const row = (id: string, segment: boolean, fault: boolean, downstream: string | null) =>
      `('6955b900000000000000000000abc001', '${id}', ${segment ? 'NULL' : "'a000000000000001'"}, ${segment}, 'a000000000000001', 'svc', 'service',
        'n', 1767225600, 1767225601, false, false, ${fault}, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        ${downstream ? `'${downstream}', 'remote'` : 'NULL, NULL'}, 1767225600, 'xray', 'a000000000000001', ${segment ? `'{}'` : 'NULL'})`;
    await c.run(`INSERT INTO spans VALUES ${row('a000000000000001', true, true, null)}, ${row('a000000000000002', false, false, 'api')}`);
    c.closeSync();
    instance.closeSync();

    const store = await openDuckDb(options(path));
    try {
      const spans = (await store.traces.getTraces(['6955b900000000000000000000abc001'])).get('6955b900000000000000000000abc001')!;
      const byId = new Map(spans.map((s) => [s.id, s]));
      expect(byId.get('a000000000000001')).toMatchObject({
        spanKind: 'server',
        status: { code: 'error', message: '' },
        attributes: {},
        resource: {},
      });
      expect(byId.get('a000000000000002')).toMatchObject({
        spanKind: 'client',
        status: { code: 'unset' },
        scope: null,
        events: [],
        links: [],
      });
      expect((await store.run(`SELECT value FROM fluoro_meta WHERE key = 'schema_version'`, []))[0]).toEqual({ value: '9' });
      // Versions 4 to 6: the file's filing minutes are marked to be rolled up; its graph and trace list are there before and after.
      expect(await store.run(`SELECT DISTINCT filed FROM graph_dirty`, [])).toEqual([{ filed: 1767225600 }]);
      const graph = async () =>
        (await store.graph.getServiceGraph({ range: { start: 1767225600, end: 1767225660 } })).nodes.map((n) => n.name).sort();
      expect(await graph()).toEqual(['api', 'svc', 'svc']);
      const list = async () =>
        (
          await store.traces.findTraceSummaries({
            range: { start: 1767225600, end: 1767225660 },
            rangeType: 'TraceId',
            filter: null,
            limit: 10,
            after: null,
          })
        ).summaries.map((s) => [s.traceId, s.hasFault]);
      expect(await list()).toEqual([['6955b900000000000000000000abc001', true]]);
      expect(await store.rollUp(1767225600 + 3600)).toBe(1);
      expect(await store.run(`SELECT count(*)::INTEGER AS n FROM graph_dirty`, [])).toEqual([{ n: 0 }]);
      expect(await store.run(`SELECT trace_id, root_fault FROM trace_rows`, [])).toEqual([
        { trace_id: '6955b900000000000000000000abc001', root_fault: true },
      ]);
      expect(await graph()).toEqual(['api', 'svc', 'svc']);
      expect(await list()).toEqual([['6955b900000000000000000000abc001', true]]);
    } finally {
      await store.close();
    }
  });

  it('opens a version-6 file and rolls its trace rows up again, with the root URL’s route and whether the trace was throttled', async () => {
    // As version 6 left it: trace rows without root_route and throttled, every minute rolled.
    const reopened = await reopenedAs(
      join(dir, 'v6.duckdb'),
      [
        {
          name: 'a',
          id: 'a000000000000001',
          trace_id: '1-6955b900-000000000000000000000a01',
          start_time: 1767225600,
          end_time: 1767225601,
          http: { request: { url: 'http://shop:8001/api/products/p-914?x=1' } },
          throttle: true,
          error: true,
        },
        {
          name: 'b',
          id: 'b000000000000001',
          trace_id: '1-6955b901-000000000000000000000b01',
          start_time: 1767225601,
          end_time: 1767225602,
        },
      ],
      1,
      6,
      [`ALTER TABLE trace_rows DROP COLUMN root_route`, `ALTER TABLE trace_rows DROP COLUMN throttled`],
    );
    try {
      expect(await reopened.run(`SELECT DISTINCT filed FROM graph_dirty`, [])).toEqual([{ filed: 1767225600 }]);
      expect(await reopened.rollUp(1767225600 + 3600)).toBe(1);
      expect(await reopened.run(`SELECT root_route, throttled FROM trace_rows ORDER BY trace_id`, [])).toEqual([
        { root_route: '/api/products/{id}', throttled: true },
        { root_route: null, throttled: false },
      ]);
      // And, from version 9, the nodes with each outcome: `a` has an error and a throttle, no fault.
      expect(
        await reopened.run(
          `SELECT fault_nodes, contains(error_nodes, 'a') AS e, contains(throttle_nodes, 'a') AS t FROM trace_rows ORDER BY trace_id`,
          [],
        ),
      ).toEqual([
        { fault_nodes: null, e: true, t: true },
        { fault_nodes: null, e: null, t: null },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('opens a version-7 file and rolls up its annotations, typed', async () => {
    // As version 7 left it: no annotation rows.
    const reopened = await reopenedAs(
      join(dir, 'v7.duckdb'),
      [
        {
          name: 'a',
          id: 'a000000000000001',
          trace_id: '1-6955b900-000000000000000000000a01',
          start_time: 1767225600,
          end_time: 1767225601,
          annotations: { tier: 'gold', cart_size: 7, vip: true },
        },
        // Another minute, without annotations (version 8 marks the minutes with annotations, version 9 every minute).
        {
          name: 'b',
          id: 'b000000000000001',
          trace_id: '1-6955b940-000000000000000000000b01',
          start_time: 1767225664,
          end_time: 1767225665,
        },
      ],
      2,
      7,
      [`DROP TABLE annotation_rows`],
    );
    try {
      expect(await reopened.run(`SELECT DISTINCT filed FROM graph_dirty ORDER BY filed`, [])).toEqual([
        { filed: 1767225600 },
        { filed: 1767225660 },
      ]);
      expect(await reopened.rollUp(1767225600 + 3600)).toBe(2);
      expect(await reopened.run(`SELECT key, str, num, bool FROM annotation_rows ORDER BY key`, [])).toEqual([
        { key: 'cart_size', str: null, num: 7, bool: null },
        { key: 'tier', str: 'gold', num: null, bool: null },
        { key: 'vip', str: null, num: null, bool: true },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a file written by a newer Fluoro', async () => {
    const path = join(dir, 'v10.duckdb');
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(`CREATE TABLE fluoro_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
    await c.run(`INSERT INTO fluoro_meta VALUES ('schema_version', '10')`);
    c.closeSync();
    instance.closeSync();
    await expect(openDuckDb(options(path))).rejects.toThrow(
      'has storage schema version 10; this Fluoro reads version 9 (a newer Fluoro wrote it)',
    );
  });
});
