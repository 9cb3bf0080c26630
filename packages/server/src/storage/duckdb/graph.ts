import type { DuckDBConnection } from '@duckdb/node-api';
import type { ServiceGraph } from '@fluoro/core';
import type { GraphScope, TimeSeriesPoint } from '../api/index.js';
import { assembleGraph, assembleTimeSeries, type GraphEvents } from '../graph-assembly.js';
import type { SqlFragment } from '../sql/fragment.js';
import { graphEvents } from '../sql/graph.js';
import { query } from './connection.js';
import { duckdbDialect } from './dialect.js';
import { markedMinutes, rolledGraphEvents, rollsUp } from './rollups.js';

/** A row of the graph-event query as counted events. */
function counted(r: Record<string, unknown>): GraphEvents & { timestamp: number } {
  const isEdge = r['kind'] === 'edge';
  return {
    kind: r['kind'] as GraphEvents['kind'],
    a: { name: r['a_name'] as string, type: r['a_type'] as string },
    b: isEdge ? { name: r['b_name'] as string, type: r['b_type'] as string } : null,
    count: r['n'] as number,
    faults: r['faults'] as number,
    throttles: r['throttles'] as number,
    errors: r['errors'] as number,
    responseTime: r['response_time'] as number,
    firstStart: r['first_start'] as number,
    lastEnd: r['last_end'] as number,
    accountId: (r['account_id'] as string | null) ?? null,
    bucket: r['bucket'] as number,
    timestamp: r['ts'] as number,
  };
}

/** From the rollups where the window is whole minutes (`rolledGraphEvents`), else from the spans. */
export async function serviceGraph(conn: DuckDBConnection, scope: GraphScope): Promise<ServiceGraph> {
  const events =
    'range' in scope && rollsUp(scope.range)
      ? rolledGraphEvents(scope.range, await markedMinutes(conn))
      : graphEvents(scope, duckdbDialect);
  return assembleGraph((await query(conn, events)).map(counted));
}

/**
 * Statistics of selected nodes or edges per time bucket (GetTimeSeriesServiceStatistics). The
 * selector is a predicate over graph events (`selectorEvents`); its kind says which statistics
 * the buckets carry.
 */
export async function serviceTimeSeries(
  conn: DuckDBConnection,
  range: { start: number; end: number },
  period: number,
  selector: { kind: 'service' | 'edge'; where: SqlFragment },
): Promise<TimeSeriesPoint[]> {
  const options = { period, where: selector.where };
  const events = rollsUp(range, period)
    ? rolledGraphEvents(range, await markedMinutes(conn), options)
    : graphEvents({ range }, duckdbDialect, options);
  const rows = await query(conn, events);
  return assembleTimeSeries(rows.map(counted), selector.kind);
}
