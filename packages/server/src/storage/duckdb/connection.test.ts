import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluoroError } from '../../platform/errors/catalog.js';
import { withCancellation } from '../../platform/http/cancellation.js';
import { ReadPool } from './connection.js';

/** A statement that runs for minutes: only an interruption ends it in a test's time. */
const ENDLESS = 'SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3';

describe('ReadPool: reads stop at their deadline and when their client leaves', () => {
  let instance: DuckDBInstance;
  let pool: ReadPool;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    pool = await ReadPool.open(instance, 1, 300);
  });
  afterAll(() => {
    pool.close();
    instance.closeSync();
  });

  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'finished',
      (e: unknown) => (e instanceof FluoroError ? e.code : String(e)),
    );

  it('interrupts a read past readTimeoutSeconds with QueryTimeout, and the connection serves the next read', async () => {
    expect(await codeOf(pool.with((c) => c.run(ENDLESS)))).toBe('QueryTimeout');
    const rows = await pool.with(async (c) => (await c.runAndReadAll('SELECT 42 AS n')).getRowObjectsJS());
    expect(rows).toEqual([{ n: 42 }]);
  });

  it('interrupts a read whose request was abandoned, and refuses to start one for a request already gone', async () => {
    const gone = new AbortController();
    const read = withCancellation(gone.signal, () => pool.with((c) => c.run(ENDLESS)));
    setTimeout(() => gone.abort(), 50);
    expect(await codeOf(read)).toBe('RequestAbandoned');
    expect(await codeOf(withCancellation(gone.signal, () => pool.with((c) => c.run('SELECT 1'))))).toBe('RequestAbandoned');
    expect(await codeOf(pool.with((c) => c.run('SELECT 1')))).toBe('finished');
  });
});
