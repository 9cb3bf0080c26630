import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanKey, SpanWrite, TraceAnalysis, TraceWriter, RootCauseStore } from '../api/index.js';
import { inList, join, sql } from '../sql/fragment.js';
import { execute, query } from './connection.js';
import { appendRow } from './schema.js';
import type { CommitLedger } from './ledger.js';

/** Deleting superseded rows goes in chunks so that no statement carries thousands of parameters. */
const DELETE_CHUNK = 300;

/**
 * Two write connections take turns, so that one batch is appended while the previous one commits
 * (measured: 1.3x the throughput of one connection). Commits keep call order. Superseding is
 * delete-then-append in one transaction: DuckDB has them, so reads never need to pick versions.
 */
export class DuckDbWriter implements TraceWriter {
  #turn = 0;
  #lastCommit: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connections: readonly [DuckDBConnection, DuckDBConnection],
    private readonly ledger: CommitLedger | null,
  ) {}

  async write(w: SpanWrite): Promise<void> {
    if (w.rows.every((r) => r.batch.length === 0)) return;
    const conn = this.connections[this.#turn++ % 2]!;
    const count = this.ledger?.reserve(keptRows(w)) ?? 0;
    const previous = this.#lastCommit;
    let committed: () => void = () => undefined;
    this.#lastCommit = new Promise<void>((resolve) => (committed = resolve));
    try {
      await this.#write(conn, w, previous, count);
    } finally {
      committed();
    }
  }

  async #write(conn: DuckDBConnection, { rows, supersedes }: SpanWrite, previous: Promise<unknown>, count: number): Promise<void> {
    await conn.run('BEGIN TRANSACTION');
    try {
      const filed = await deleteSuperseded(conn, supersedes);
      const appender = await conn.createAppender('spans');
      for (const { batch, keep } of rows) {
        for (let i = 0; i < batch.length; i++) {
          if (keep && !keep[i]) continue;
          appendRow(appender, batch, i);
          filed.add(filingMinute(batch.traceTime[i]!));
        }
      }
      appender.closeSync();
      await markDirty(conn, filed);
      await this.ledger?.record(conn, count);
      await previous;
      await conn.run('COMMIT');
      this.ledger?.acknowledge(count);
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Waits for the last commit and closes the connections. */
  async close(): Promise<void> {
    await this.#lastCommit;
    for (const c of this.connections) c.closeSync();
  }
}

function keptRows({ rows }: SpanWrite): number {
  let n = 0;
  for (const { batch, keep } of rows) {
    if (!keep) n += batch.length;
    else for (let i = 0; i < batch.length; i++) n += keep[i]!;
  }
  return n;
}

/**
 * A superseded span goes, and so does everything that arrived inside a superseded document.
 * Returns the filing minutes of what went: their rollups no longer hold.
 */
async function deleteSuperseded(conn: DuckDBConnection, keys: readonly SpanKey[]): Promise<Set<number>> {
  const filed = new Set<number>();
  for (let i = 0; i < keys.length; i += DELETE_CHUNK) {
    const chunk = keys.slice(i, i + DELETE_CHUNK);
    const traces = inList([...new Set(chunk.map((s) => s.traceId))]);
    const ids = inList(chunk.map((s) => s.id));
    const both = inList(chunk.map((s) => s.traceId + s.id));
    const gone = await query(
      conn,
      sql`DELETE FROM spans WHERE trace_id IN ${traces} AND (id IN ${ids} OR doc_id IN ${ids})
            AND (trace_id || id IN ${both} OR trace_id || doc_id IN ${both}) RETURNING trace_time`,
    );
    for (const r of gone) filed.add(filingMinute(r['trace_time'] as number));
  }
  return filed;
}

/** The minute a trace filed at `t` is rolled up under. */
export function filingMinute(t: number): number {
  return Math.floor(t / 60) * 60;
}

/** Marks filing minutes to be rolled up again, in the transaction that changed their spans. */
async function markDirty(conn: DuckDBConnection, filed: ReadonlySet<number>): Promise<void> {
  if (filed.size === 0) return;
  await execute(
    conn,
    sql`INSERT INTO graph_dirty VALUES ${join(
      [...filed].map((f) => sql`(${f})`),
      sql`, `,
    )}`,
  );
}

/** Root causes on their own connection: analysis writes never wait behind span batches. */
export class DuckDbRootCauses implements RootCauseStore {
  #last: Promise<unknown> = Promise.resolve();

  constructor(private readonly conn: DuckDBConnection) {}

  write(analyses: readonly TraceAnalysis[]): Promise<void> {
    const next = this.#last.then(
      () => this.#write(analyses),
      () => this.#write(analyses),
    );
    this.#last = next.catch(() => undefined);
    return next;
  }

  async #write(analyses: readonly TraceAnalysis[]): Promise<void> {
    if (analyses.length === 0) return;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const replaced = analyses.filter((a) => a.replaces).map((a) => a.traceId);
      for (let i = 0; i < replaced.length; i += DELETE_CHUNK) {
        await execute(this.conn, sql`DELETE FROM root_causes WHERE trace_id IN ${inList(replaced.slice(i, i + DELETE_CHUNK))}`);
      }
      const appender = await this.conn.createAppender('root_causes');
      for (const a of analyses) {
        for (const category of ['fault', 'error', 'responsetime'] as const) {
          a.causes[category].forEach((doc, i) => {
            appender.appendVarchar(a.traceId);
            appender.appendDouble(a.traceTime);
            appender.appendVarchar(category);
            appender.appendInteger(i);
            appender.appendVarchar(doc);
            appender.endRow();
          });
        }
      }
      appender.closeSync();
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.#last;
    this.conn.closeSync();
  }
}
