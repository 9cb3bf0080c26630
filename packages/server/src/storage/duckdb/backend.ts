import { statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ServiceGraph, Span, SpanOwner } from '@fluoro/core';
import type { SelectorPlan } from '../../query/plan.js';
import type {
  Capabilities,
  GraphScope,
  IngestStateReader,
  OperationStats,
  OperationStatsQuery,
  RecordStore,
  ServiceGraphReader,
  SpanKey,
  StorageBackend,
  StoreSize,
  Suggestions,
  SummaryPage,
  SummaryQuery,
  TimeRange,
  TimeSeriesPoint,
  TraceAnalyticsReader,
  TraceGroupQuery,
  TraceGroups,
  TraceReader,
  TraceStats,
  TraceStatsQuery,
  TracePoints,
  TracePointsQuery,
} from '../api/index.js';
import { groupTraces, operationStats, suggestions, tracePoints, traceStats } from './analytics.js';
import { inList, sql } from '../sql/fragment.js';
import { execute, query, ReadPool } from './connection.js';
import { withDocumentResources } from '@fluoro/core';
import { rowToSpan } from './rows.js';
import { serviceGraph, serviceTimeSeries } from './graph.js';
import { selectorEvents } from '../sql/graph.js';
import { DDL, MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { traceSummaries } from './summaries.js';
import { DuckDbRootCauses, DuckDbWriter } from './writer.js';
import { rollUp } from './rollups.js';
import { CommitLedger, type RecoveryReport } from './ledger.js';
import type { Logger } from '../../platform/telemetry/logger.js';
export interface DuckDbOptions {
  /** Database file; `:memory:` for a throw-away store. */
  readonly path: string;
  /** DuckDB worker threads. */
  readonly threads: number;
  /** DuckDB memory limit, e.g. `1GB`; empty for DuckDB's default (80% of RAM). */
  readonly memoryLimit: string;
  /** Concurrent read connections. */
  readonly readConnections: number;
  /** Longest a read may run before it is interrupted (default 30 s, as `storage.duckdb.readTimeoutSeconds`). */
  readonly readTimeoutSeconds?: number;
  /**
   * Write-ahead log size that triggers a checkpoint. Large checkpoints cost a third as much per
   * span as DuckDB's default 16 MB ones (measured; docs/benchmarks.md), at the price of a longer
   * log to replay after a crash.
   */
  readonly checkpointThreshold: string;
  /** How often the rollups and trace rows are brought up to date (default 10 s, as `storage.duckdb.rollupIntervalSeconds`; `rollups.ts`). */
  readonly rollupIntervalSeconds?: number;
}

const CAPABILITIES: Capabilities = Object.freeze({ filters: true, rootCauseFilters: true, entitySelectors: true, analytics: true });

/** The DuckDB store, with a way to run SQL text as written (golden files, diagnostics). */
export interface DuckDbStore extends StorageBackend {
  /** Runs one read-only statement on a read connection; BIGINT values come back as bigint. */
  run(text: string, params: readonly unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Rolls up every filing minute due by `now` (the timer does it as time passes); returns how many. */
  rollUp(now?: number): Promise<number>;
}

export async function openDuckDb(options: DuckDbOptions, log?: Logger): Promise<DuckDbStore> {
  const config: Record<string, string> = {
    threads: String(options.threads),
    checkpoint_threshold: options.checkpointThreshold,
    // A new file is written in storage version 1.2, the first with zstd for text (the documents);
    // a file written before keeps its version, and reads and writes as before.
    storage_compatibility_version: 'v1.2.0',
  };
  if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
  const walBytes = options.path === ':memory:' ? 0 : fileBytes(`${options.path}.wal`);
  const instance = await DuckDBInstance.create(options.path, config);
  const writeConn = await instance.connect();
  for (const ddl of DDL) await writeConn.run(ddl);
  const version = await query(writeConn, sql`SELECT value FROM fluoro_meta WHERE key = 'schema_version'`);
  if (version.length === 0) {
    await execute(writeConn, sql`INSERT INTO fluoro_meta VALUES ('schema_version', ${String(SCHEMA_VERSION)})`);
  } else {
    await migrate(writeConn, Number(version[0]!['value']), options.path);
  }
  let ledger: CommitLedger | null = null;
  if (options.path !== ':memory:') {
    const opened = await CommitLedger.open(writeConn, options.path, walBytes);
    ledger = opened.ledger;
    reportRecovery(opened.report, options.path, log);
  }
  const writer = new DuckDbWriter([await instance.connect(), await instance.connect()], ledger);
  const rootCauses = new DuckDbRootCauses(await instance.connect());
  const pool = await ReadPool.open(instance, options.readConnections, (options.readTimeoutSeconds ?? 30) * 1000);
  let closed = false;
  // Records are written rarely: on the connection that set the schema up, one statement at a time.
  let recordWrites: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = recordWrites.then(work, work);
    recordWrites = next.catch(() => undefined);
    return next;
  };
  // The service graph's rollups, on the same connection, between record writes.
  const rollAll = async (now: number): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await serialized(() => rollUp(writeConn, now));
      if (n === 0) return total;
      total += n;
    }
  };
  const roller = setInterval(
    () => {
      void serialized(() => rollUp(writeConn, Date.now() / 1000)).catch((err: Error) =>
        log?.warn('the service graph rollups could not be brought up to date; graphs are computed from the spans meanwhile', {
          error: err.message,
        }),
      );
    },
    (options.rollupIntervalSeconds ?? 10) * 1000,
  );
  roller.unref();
  const records: RecordStore = {
    list: (kind) =>
      pool.with(async (c) =>
        (await query(c, sql`SELECT name, doc FROM records WHERE kind = ${kind} ORDER BY name`)).map((r) => ({
          name: r['name'] as string,
          doc: r['doc'] as string,
        })),
      ),
    put: (kind, name, doc) =>
      serialized(async () => void (await execute(writeConn, sql`INSERT OR REPLACE INTO records VALUES (${kind}, ${name}, ${doc})`))),
    delete: (kind, name) =>
      serialized(async () => (await execute(writeConn, sql`DELETE FROM records WHERE kind = ${kind} AND name = ${name}`)) > 0),
  };
  return {
    kind: 'duckdb',
    capabilities: CAPABILITIES,
    spans: writer,
    traces: new DuckDbTraces(pool),
    graph: new DuckDbGraph(pool),
    analytics: new DuckDbAnalytics(pool),
    records,
    rootCauses,
    ingestState: new DuckDbIngestState(pool),
    retention: {
      async oldest() {
        const rows = await pool.with((c) => query(c, sql`SELECT min(trace_time) AS t FROM spans`));
        return (rows[0]!['t'] as number | null) ?? null;
      },
      deleteBefore: (before) =>
        serialized(async () => {
          await writeConn.run('BEGIN TRANSACTION');
          let spans: number;
          try {
            spans = await execute(writeConn, sql`DELETE FROM spans WHERE trace_time < ${before}`);
            await execute(writeConn, sql`DELETE FROM root_causes WHERE trace_time < ${before}`);
            await execute(writeConn, sql`DELETE FROM graph_minutes WHERE filed < ${before}`);
            await execute(writeConn, sql`DELETE FROM graph_dirty WHERE filed < ${before}`);
            await execute(writeConn, sql`DELETE FROM trace_rows WHERE trace_time < ${before}`);
            await execute(writeConn, sql`DELETE FROM annotation_rows WHERE trace_time < ${before}`);
            await writeConn.run('COMMIT');
          } catch (err) {
            await writeConn.run('ROLLBACK').catch(() => undefined);
            throw err;
          }
          // Row groups left empty are freed at a checkpoint (and their blocks reused before the file grows).
          await writeConn.run('CHECKPOINT');
          return spans;
        }),
    },
    rollUp: (now = Date.now() / 1000) => rollAll(now),
    run: (text, params) =>
      pool.with(async (c) => (await c.runAndReadAll(text, params as never)).getRowObjectsJS() as Array<Record<string, unknown>>),
    async size(): Promise<StoreSize> {
      const [rows, blocks] = await pool.with(async (c) => [
        await query(c, sql`SELECT count(*)::BIGINT AS n FROM spans`),
        await query(
          c,
          sql`SELECT used_blocks::BIGINT * block_size::BIGINT AS used FROM pragma_database_size() WHERE database_name = current_database()`,
        ),
      ]);
      const wal = fileBytes(`${options.path}.wal`);
      return {
        bytes: fileBytes(options.path) + wal,
        usedBytes: Number(blocks[0]?.['used'] ?? 0) + wal,
        spans: Number(rows[0]!['n']),
      };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(roller);
      try {
        await recordWrites;
        await writer.close();
        await rootCauses.close();
        await writeConn.run('CHECKPOINT').catch((err: Error) => {
          // A full disk, most often: the write-ahead log holds what was committed, and is replayed at the next open.
          log?.warn('the last checkpoint could not be written; the write-ahead log keeps every committed span', {
            error: err.message.split('\n')[0],
          });
        });
      } finally {
        // Also after a failed checkpoint: what was committed is in the write-ahead log.
        pool.close();
        writeConn.closeSync();
        instance.closeSync();
        ledger?.close();
      }
    },
  };
}

/** Says at open what a store that was not closed cleanly recovered, and what it lost. */
function reportRecovery(r: RecoveryReport, path: string, log: Logger | undefined): void {
  if (r.lost > 0) {
    log?.error(
      `the store holds fewer spans than were acknowledged before the last stop: up to ${r.lost} spans are missing ` +
        '(a damaged or truncated write-ahead log, or a database file restored from an older copy)',
      { path, acknowledged: r.acknowledged, recovered: r.recovered, walBytes: r.walBytes },
    );
  } else if (r.walBytes > 0) {
    log?.info('the store was not closed cleanly; its write-ahead log was replayed and every acknowledged span is there', {
      path,
      walBytes: r.walBytes,
      spans: r.recovered,
    });
  }
}

/**
 * Whether DuckDB has invalidated the database: after a fatal error (a checkpoint that could not
 * write, e.g. on a full disk) it refuses every statement until the instance is opened again.
 */
export function isInvalidated(err: unknown): boolean {
  return err instanceof Error && /^FATAL Error|database has been invalidated/.test(err.message);
}

/** Whether DuckDB found a damaged block (its checksum does not match) while reading. */
export function isDamage(err: unknown): boolean {
  return err instanceof Error && /Corrupt database file|checksum .* does not match/i.test(err.message);
}

/** Brings a file written by an earlier Fluoro to this schema version, one version at a time, each in a transaction. */
async function migrate(conn: DuckDBConnection, from: number, path: string): Promise<void> {
  if (from > SCHEMA_VERSION) {
    throw new Error(`${path} has storage schema version ${from}; this Fluoro reads version ${SCHEMA_VERSION} (a newer Fluoro wrote it)`);
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    const steps = MIGRATIONS[v];
    if (!steps)
      throw new Error(`${path} has storage schema version ${v}; this Fluoro reads version ${SCHEMA_VERSION} and cannot migrate from it`);
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const step of steps) await conn.run(step);
      await execute(conn, sql`UPDATE fluoro_meta SET value = ${String(v + 1)} WHERE key = 'schema_version'`);
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

class DuckDbTraces implements TraceReader {
  constructor(private readonly pool: ReadPool) {}

  async getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>> {
    const out = new Map<string, Span[]>();
    if (traceIds.length === 0) return out;
    const rows = await this.pool.with((c) => query(c, sql`SELECT * FROM spans WHERE trace_id IN ${inList([...traceIds])}`));
    for (const r of rows) {
      const span = rowToSpan(r);
      const list = out.get(span.traceId);
      if (list) list.push(span);
      else out.set(span.traceId, [span]);
    }
    for (const [traceId, spans] of out) out.set(traceId, withDocumentResources(spans));
    return out;
  }

  findTraceSummaries(q: SummaryQuery): Promise<SummaryPage> {
    return traceSummaries(this.pool, q);
  }
}

class DuckDbGraph implements ServiceGraphReader {
  constructor(private readonly pool: ReadPool) {}

  getServiceGraph(scope: GraphScope): Promise<ServiceGraph> {
    return this.pool.with((c) => serviceGraph(c, scope));
  }

  getServiceTimeSeries(range: TimeRange, period: number, selector: SelectorPlan): Promise<TimeSeriesPoint[]> {
    const selected = selectorEvents(selector);
    return this.pool.with((c) => serviceTimeSeries(c, range, period, selected));
  }
}

class DuckDbAnalytics implements TraceAnalyticsReader {
  constructor(private readonly pool: ReadPool) {}

  groupTraces(q: TraceGroupQuery): Promise<TraceGroups> {
    return groupTraces(this.pool, q);
  }

  traceStats(q: TraceStatsQuery): Promise<TraceStats> {
    return traceStats(this.pool, q);
  }

  tracePoints(q: TracePointsQuery): Promise<TracePoints> {
    return tracePoints(this.pool, q);
  }

  suggestions(range: TimeRange): Promise<Suggestions> {
    return suggestions(this.pool, range);
  }

  operationStats(q: OperationStatsQuery): Promise<OperationStats[]> {
    return operationStats(this.pool, q);
  }
}

/** Owners are looked up in chunks of this many keys. */
const OWNER_CHUNK = 300;

class DuckDbIngestState implements IngestStateReader {
  constructor(private readonly pool: ReadPool) {}

  async unlinkedSpans(since: number): Promise<Span[]> {
    const rows = await this.pool.with((c) => query(c, sql`SELECT * FROM spans WHERE segment_id IS NULL AND trace_time >= ${since}`));
    return rows.map(rowToSpan);
  }

  async recentTraces(since: number): Promise<string[]> {
    const rows = await this.pool.with((c) => query(c, sql`SELECT DISTINCT trace_id FROM spans WHERE trace_time >= ${since}`));
    return rows.map((r) => r['trace_id'] as string);
  }

  async inProgressKeys(since: number): Promise<SpanKey[]> {
    const rows = await this.pool.with((c) => query(c, sql`SELECT trace_id, id FROM spans WHERE in_progress AND trace_time >= ${since}`));
    return rows.map((r) => ({ traceId: r['trace_id'] as string, id: r['id'] as string }));
  }

  async owners(keys: readonly SpanKey[]): Promise<Map<string, SpanOwner>> {
    const out = new Map<string, SpanOwner>();
    for (let i = 0; i < keys.length; i += OWNER_CHUNK) {
      const chunk = keys.slice(i, i + OWNER_CHUNK);
      const rows = await this.pool.with((c) =>
        query(
          c,
          sql`SELECT trace_id, id, segment_id, service, service_type FROM spans
              WHERE trace_id IN ${inList([...new Set(chunk.map((k) => k.traceId))])} AND id IN ${inList(chunk.map((k) => k.id))}
                AND segment_id IS NOT NULL`,
        ),
      );
      for (const r of rows) {
        out.set((r['trace_id'] as string) + (r['id'] as string), {
          segmentId: r['segment_id'] as string,
          service: r['service'] as string,
          serviceType: r['service_type'] as string,
        });
      }
    }
    return out;
  }
}
