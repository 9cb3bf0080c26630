import type { DuckDBConnection } from '@duckdb/node-api';
import type { SpanKey, SpanRows, SpanWriter, TraceAnalysis } from '../api.js';
import { inList, sql } from '../sql.js';
import { execute, query } from './connection.js';
import { appendRow } from './schema.js';

/** Deleting replaced spans goes in chunks so that no statement carries thousands of parameters. */
const DELETE_CHUNK = 300;
/** Parent links deeper than this are left unlinked (a cycle in bad data must not loop forever). */
const MAX_LINK_DEPTH = 32;

/**
 * Two write connections take turns, so that one batch is appended while the previous one commits
 * (measured: 1.3x the throughput of one connection). Commits keep call order.
 */
export class DuckDbWriter implements SpanWriter {
  #turn = 0;
  #lastCommit: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connections: readonly [DuckDBConnection, DuckDBConnection],
    private readonly linkConn: DuckDBConnection,
  ) {}

  async write(rows: readonly SpanRows[], replacing: readonly SpanKey[], analyses: readonly TraceAnalysis[] = []): Promise<void> {
    if (rows.every((r) => r.batch.length === 0) && analyses.length === 0) return;
    const conn = this.connections[this.#turn++ % 2]!;
    const previous = this.#lastCommit;
    let committed: () => void = () => undefined;
    this.#lastCommit = new Promise<void>((resolve) => (committed = resolve));
    try {
      await this.#write(conn, rows, replacing, analyses, previous);
    } finally {
      committed();
    }
  }

  async #write(
    conn: DuckDBConnection,
    rows: readonly SpanRows[],
    replacing: readonly SpanKey[],
    analyses: readonly TraceAnalysis[],
    previous: Promise<unknown>,
  ): Promise<void> {
    await conn.run('BEGIN TRANSACTION');
    try {
      for (let i = 0; i < replacing.length; i += DELETE_CHUNK) {
        // A replaced span goes, and so does everything that arrived inside a replaced document.
        const chunk = replacing.slice(i, i + DELETE_CHUNK);
        const traces = inList([...new Set(chunk.map((s) => s.traceId))]);
        const ids = inList(chunk.map((s) => s.id));
        const keys = inList(chunk.map((s) => s.traceId + s.id));
        await execute(
          conn,
          sql`DELETE FROM spans WHERE trace_id IN ${traces} AND (id IN ${ids} OR doc_id IN ${ids})
                AND (trace_id || id IN ${keys} OR trace_id || doc_id IN ${keys})`,
        );
      }
      const appender = await conn.createAppender('spans');
      for (const { batch, keep } of rows) {
        for (let i = 0; i < batch.length; i++) if (!keep || keep[i]) appendRow(appender, batch, i);
      }
      appender.closeSync();
      if (analyses.length) await this.#writeAnalyses(conn, analyses);
      await previous;
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async #writeAnalyses(conn: DuckDBConnection, analyses: readonly TraceAnalysis[]): Promise<void> {
    const replaced = analyses.filter((a) => a.replaces).map((a) => a.traceId);
    for (let i = 0; i < replaced.length; i += DELETE_CHUNK) {
      await execute(conn, sql`DELETE FROM root_causes WHERE trace_id IN ${inList(replaced.slice(i, i + DELETE_CHUNK))}`);
    }
    const appender = await conn.createAppender('root_causes');
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
  }

  /** Waits for the last commit and closes the connections. */
  async close(): Promise<void> {
    await this.#lastCommit;
    for (const c of [...this.connections, this.linkConn]) c.closeSync();
  }

  async linkOwners(traceIds: readonly string[]): Promise<string[]> {
    if (traceIds.length === 0) return [];
    const traces = inList([...traceIds]);
    for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
      const changed = await execute(
        this.linkConn,
        sql`UPDATE spans SET segment_id = p.segment_id, service = p.service, service_type = p.service_type
            FROM spans AS p
            WHERE spans.segment_id IS NULL AND spans.trace_id IN ${traces}
              AND p.trace_id = spans.trace_id AND p.id = spans.parent_id AND p.segment_id IS NOT NULL`,
      );
      if (changed === 0) break;
    }
    const rows = await query(this.linkConn, sql`SELECT DISTINCT trace_id FROM spans WHERE segment_id IS NULL AND trace_id IN ${traces}`);
    return rows.map((r) => r['trace_id'] as string);
  }
}
