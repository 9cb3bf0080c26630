import { statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CheckedFilter, ServiceGraph, Span, SpanOwner } from '@fluoro/core';
import type {
  Capabilities,
  GraphScope,
  IngestStateReader,
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
} from '../api/index.js';
import { groupTraces, suggestions, traceStats } from './analytics.js';
import { inList, sql } from '../sql.js';
import { execute, query, ReadPool } from './connection.js';
import { rowToSpan } from './rows.js';
import { entitySelector, serviceGraph, serviceTimeSeries } from './graph.js';
import { DDL, SCHEMA_VERSION } from './schema.js';
import { traceSummaries } from './summaries.js';
import { DuckDbRootCauses, DuckDbWriter } from './writer.js';
export interface DuckDbOptions {
  /** Database file; `:memory:` for a throw-away store. */
  readonly path: string;
  /** DuckDB worker threads. */
  readonly threads: number;
  /** DuckDB memory limit, e.g. `1GB`; empty for DuckDB's default (80% of RAM). */
  readonly memoryLimit: string;
  /** Concurrent read connections. */
  readonly readConnections: number;
  /**
   * Write-ahead log size that triggers a checkpoint. Large checkpoints cost a third as much per
   * span as DuckDB's default 16 MB ones (measured; docs/benchmarks.md), at the price of a longer
   * log to replay after a crash.
   */
  readonly checkpointThreshold: string;
}

const CAPABILITIES: Capabilities = Object.freeze({ filters: true, rootCauseFilters: true, entitySelectors: true, analytics: true });

export async function openDuckDb(options: DuckDbOptions): Promise<StorageBackend> {
  const config: Record<string, string> = { threads: String(options.threads), checkpoint_threshold: options.checkpointThreshold };
  if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
  const instance = await DuckDBInstance.create(options.path, config);
  const writeConn = await instance.connect();
  for (const ddl of DDL) await writeConn.run(ddl);
  const version = await query(writeConn, sql`SELECT value FROM fluoro_meta WHERE key = 'schema_version'`);
  if (version.length === 0) {
    await writeConn.run(`INSERT INTO fluoro_meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
  } else if (Number(version[0]!['value']) !== SCHEMA_VERSION) {
    throw new Error(
      `${options.path} has storage schema version ${String(version[0]!['value'])}; this Fluoro reads version ${SCHEMA_VERSION}`,
    );
  }
  const writer = new DuckDbWriter([await instance.connect(), await instance.connect()]);
  const rootCauses = new DuckDbRootCauses(await instance.connect());
  const pool = await ReadPool.open(instance, options.readConnections);
  let closed = false;
  // Records are written rarely: on the connection that set the schema up, one statement at a time.
  let recordWrites: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = recordWrites.then(work, work);
    recordWrites = next.catch(() => undefined);
    return next;
  };
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
    async size(): Promise<StoreSize> {
      const rows = await pool.with((c) => query(c, sql`SELECT count(*)::BIGINT AS n FROM spans`));
      return { bytes: fileBytes(options.path) + fileBytes(`${options.path}.wal`), spans: Number(rows[0]!['n']) };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await writer.close();
      await rootCauses.close();
      await writeConn.run('CHECKPOINT');
      pool.close();
      writeConn.closeSync();
      instance.closeSync();
    },
  };
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

  // Async so that a selector refused by `entitySelector` rejects the promise rather than throwing.
  async getServiceTimeSeries(range: TimeRange, period: number, selector: CheckedFilter | null): Promise<TimeSeriesPoint[]> {
    const selected = entitySelector(selector);
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

  suggestions(range: TimeRange): Promise<Suggestions> {
    return suggestions(this.pool, range);
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
