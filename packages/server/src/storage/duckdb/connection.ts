import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { FluoroError } from '../../platform/errors/catalog.js';
import { currentSignal } from '../../platform/http/cancellation.js';
import { compile, type SqlFragment } from '../sql/fragment.js';
import { duckdbDialect } from './dialect.js';

export type Row = Record<string, unknown>;

/** Runs a fragment and returns its rows as plain JS objects (BIGINT as bigint). */
export async function query(conn: DuckDBConnection, fragment: SqlFragment): Promise<Row[]> {
  const { text, params } = compile(fragment, duckdbDialect);
  const reader = await conn.runAndReadAll(text, params);
  return reader.getRowObjectsJS() as Row[];
}

/** Runs a statement and returns the number of rows it changed. */
export async function execute(conn: DuckDBConnection, fragment: SqlFragment): Promise<number> {
  const { text, params } = compile(fragment, duckdbDialect);
  const result = await conn.run(text, params);
  return result.rowsChanged;
}

/**
 * A few read connections over one database. DuckDB runs one statement at a time per connection,
 * so concurrent API requests each take their own; reads never wait for the writer (MVCC). A read
 * runs at most `timeoutMs`, and stops when the request it serves is abandoned by its client: the
 * connection is interrupted, and the read rejects with `QueryTimeout` or `RequestAbandoned`.
 */
export class ReadPool {
  readonly #idle: DuckDBConnection[] = [];
  readonly #waiting: Array<(c: DuckDBConnection | null) => void> = [];
  #closed = false;
  readonly #all: DuckDBConnection[] = [];

  private constructor(private readonly timeoutMs: number) {}

  static async open(instance: DuckDBInstance, size: number, timeoutMs: number): Promise<ReadPool> {
    const pool = new ReadPool(timeoutMs);
    for (let i = 0; i < size; i++) {
      const c = await instance.connect();
      pool.#all.push(c);
      pool.#idle.push(c);
    }
    return pool;
  }

  async with<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const signal = currentSignal();
    const abandoned = (): FluoroError => new FluoroError('RequestAbandoned', 'the client closed the connection before the answer');
    if (signal?.aborted) throw abandoned();
    if (this.#closed) throw new Error('the store is closed');
    const conn = this.#idle.pop() ?? (await new Promise<DuckDBConnection | null>((resolve) => this.#waiting.push(resolve)));
    if (!conn) throw new Error('the store was closed while the read waited for a connection');
    let stopped: FluoroError | null = null;
    const stop = (why: FluoroError): void => {
      stopped ??= why;
      conn.interrupt();
    };
    const timer = setTimeout(
      () =>
        stop(
          new FluoroError(
            'QueryTimeout',
            `the query ran longer than ${this.timeoutMs / 1000} s (storage.duckdb.readTimeoutSeconds) and was stopped; narrow the time window or the filter`,
          ),
        ),
      this.timeoutMs,
    );
    const onAbort = (): void => stop(abandoned());
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) onAbort();
      return await work(conn);
    } catch (err) {
      throw stopped ?? err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const next = this.#waiting.shift();
      if (next) next(conn);
      else this.#idle.push(conn);
    }
  }

  close(): void {
    this.#closed = true;
    for (const waiting of this.#waiting.splice(0)) waiting(null);
    for (const c of this.#all) c.closeSync();
    this.#all.length = 0;
  }
}
