import type { DuckDBConnection } from '@duckdb/node-api';
import type { Span } from '@fluoro/core';
import type { SpanWriter } from '../api.js';
import { inList, sql } from '../sql.js';
import { execute, query } from './connection.js';
import { appendAnnotation, SPAN_COLUMNS } from './schema.js';

/** Deleting replaced spans goes in chunks so that no statement carries thousands of parameters. */
const DELETE_CHUNK = 300;
/** Parent links deeper than this are left unlinked (a cycle in bad data must not loop forever). */
const MAX_LINK_DEPTH = 32;

export class DuckDbWriter implements SpanWriter {
  constructor(private readonly conn: DuckDBConnection) {}

  async write(spans: readonly Span[], replacing: readonly Span[]): Promise<void> {
    if (spans.length === 0) return;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (let i = 0; i < replacing.length; i += DELETE_CHUNK) {
        const chunk = replacing.slice(i, i + DELETE_CHUNK);
        const traces = inList([...new Set(chunk.map((s) => s.traceId))]);
        const ids = inList(chunk.map((s) => s.id));
        const keys = inList(chunk.map((s) => s.traceId + s.id));
        await execute(this.conn, sql`DELETE FROM spans WHERE trace_id IN ${traces} AND id IN ${ids} AND trace_id || id IN ${keys}`);
        await execute(
          this.conn,
          sql`DELETE FROM annotations WHERE trace_id IN ${traces} AND span_id IN ${ids} AND trace_id || span_id IN ${keys}`,
        );
      }
      const rows = await this.conn.createAppender('spans');
      for (const s of spans) {
        for (const [, , append] of SPAN_COLUMNS) append(rows, s);
        rows.endRow();
      }
      rows.closeSync();
      const annotations = await this.conn.createAppender('annotations');
      for (const s of spans) {
        for (const key in s.annotations) appendAnnotation(annotations, s, key, s.annotations[key]!);
      }
      annotations.closeSync();
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async linkOwners(traceIds: readonly string[]): Promise<string[]> {
    if (traceIds.length === 0) return [];
    const traces = inList([...traceIds]);
    for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
      const changed = await execute(
        this.conn,
        sql`UPDATE spans SET segment_id = p.segment_id, service = p.service, service_type = p.service_type
            FROM spans AS p
            WHERE spans.segment_id IS NULL AND spans.trace_id IN ${traces}
              AND p.trace_id = spans.trace_id AND p.id = spans.parent_id AND p.segment_id IS NOT NULL`,
      );
      if (changed === 0) break;
    }
    const rows = await query(this.conn, sql`SELECT DISTINCT trace_id FROM spans WHERE segment_id IS NULL AND trace_id IN ${traces}`);
    return rows.map((r) => r['trace_id'] as string);
  }
}
