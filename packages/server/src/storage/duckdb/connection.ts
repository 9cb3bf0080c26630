import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
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
 * so concurrent API requests each take their own; reads never wait for the writer (MVCC).
 */
export class ReadPool {
  readonly #idle: DuckDBConnection[] = [];
  readonly #waiting: Array<(c: DuckDBConnection) => void> = [];
  readonly #all: DuckDBConnection[] = [];

  private constructor() {}

  static async open(instance: DuckDBInstance, size: number): Promise<ReadPool> {
    const pool = new ReadPool();
    for (let i = 0; i < size; i++) {
      const c = await instance.connect();
      pool.#all.push(c);
      pool.#idle.push(c);
    }
    return pool;
  }

  async with<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = this.#idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.#waiting.push(resolve)));
    try {
      return await work(conn);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(conn);
      else this.#idle.push(conn);
    }
  }

  close(): void {
    for (const c of this.#all) c.closeSync();
    this.#all.length = 0;
  }
}
