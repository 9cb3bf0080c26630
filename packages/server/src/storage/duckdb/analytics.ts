import type {
  GroupBy,
  RootGroupKind,
  OperationStats,
  OperationStatsQuery,
  Suggestions,
  TimeRange,
  TraceGroupQuery,
  TraceGroups,
  TracePoints,
  TracePointsQuery,
  TraceStats,
  TraceStatsQuery,
} from '../api/index.js';
import { join, sql, type SqlFragment } from '../sql/fragment.js';
import { query, type ReadPool } from './connection.js';
import { inferredCalls, rootSegments } from '../sql/relations.js';
import { matchingTraceRows, matchingTraces, pointsQuery, rowColumn, type TraceRowColumn } from '../sql/traces.js';
import { markedMinutes, rolledTraceRows } from './rollups.js';
import { duckdbDialect } from './dialect.js';

/**
 * Aggregates over selected traces for the console: group-by counts, response-time distribution,
 * activity over time, and autocomplete values. Every query starts from `matchingTraces` (the
 * same selection GetTraceSummaries pages through) and adds per-trace facts of the root segment.
 */

/** Spans filed in the range: every span of a trace carries the time it is filed under. */
function filed(range: TimeRange): SqlFragment {
  return sql`trace_time >= ${range.start} AND trace_time < ${range.end}`;
}

/**
 * CTEs after `matches`: `ts` (the selected traces' spans) and `tf` (per trace: the root
 * segment's URL, status, method, response time and status flags, and whether it was throttled
 * anywhere), plus the trace's filing time.
 */
function traceFacts(q: { range: TimeRange; filter: TraceGroupQuery['filter'] }): SqlFragment {
  return sql`WITH ${matchingTraces({ range: q.range, rangeType: 'TraceId', filter: q.filter }, duckdbDialect)},
    ts AS MATERIALIZED (
      SELECT trace_id, id, parent_id, is_segment, service, service_type, start_time, end_time, error, fault, throttle,
             http_url, http_status, http_method, user_name, annotations, downstream_name, downstream_type
      FROM spans WHERE ${filed(q.range)} AND trace_id IN (SELECT trace_id FROM matches)),
    -- arg_min_null: the earliest root's facts even where they are NULL (see the root-segment-facts case).
    roots AS (
      SELECT trace_id, arg_min_null(http_url, start_time) AS url, arg_min_null(http_status, start_time) AS status,
             arg_min_null(http_method, start_time) AS method, arg_min_null(end_time - start_time, start_time) AS rt,
             arg_min_null(fault, start_time) AS fault, arg_min_null(error, start_time) AS error, arg_min_null(throttle, start_time) AS throttle
      FROM ${rootSegments(sql`ts`, duckdbDialect)} AS r GROUP BY trace_id),
    throttled AS (
      SELECT trace_id, bool_or(throttle) AS any_throttle FROM ts WHERE is_segment OR downstream_name IS NOT NULL GROUP BY trace_id),
    tf AS MATERIALIZED (
      SELECT m.trace_id, m.trace_time, r.url, r.status, r.method, r.rt,
             coalesce(r.fault, false) AS fault, coalesce(r.error, false) AS error, coalesce(r.throttle, false) AS root_throttle,
             coalesce(t.any_throttle, false) AS any_throttle
      FROM matches AS m LEFT JOIN roots AS r USING (trace_id) LEFT JOIN throttled AS t USING (trace_id))`;
}

/** Group-bys by what spans hold, several values per trace: the others are root facts, on trace rows. */
type SpanGroupBy = Exclude<GroupBy, { kind: RootGroupKind }>;

/** `(trace_id, value, vtype)` rows: each trace's values of the attribute grouped by. */
function values(by: SpanGroupBy): SqlFragment {
  switch (by.kind) {
    case 'user':
      return sql`SELECT DISTINCT trace_id, user_name AS value, NULL AS vtype FROM ts WHERE user_name IS NOT NULL`;
    case 'service':
      return sql`SELECT DISTINCT trace_id, service AS value, service_type AS vtype FROM ts WHERE is_segment
                 UNION SELECT DISTINCT trace_id, downstream_name, downstream_type FROM ${inferredCalls(sql`ts`, duckdbDialect)}`;
    case 'annotation': {
      const path = `$."${by.key}"`;
      return sql`SELECT DISTINCT trace_id, CAST(json_extract(annotations, ${path}) AS VARCHAR) AS value, json_type(annotations, ${path}) AS vtype
                 FROM ts WHERE contains(annotations, ${`${JSON.stringify(by.key)}:`}) AND json_type(annotations, ${path}) IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE', 'BOOLEAN')`;
    }
  }
}

/** Group-bys that are one root-segment fact per trace: trace rows hold them (the column, and its type for values). */
const ROW_GROUPS: Record<RootGroupKind, { column: TraceRowColumn; vtype: string | null }> = {
  'http.url': { column: 'url', vtype: null },
  'http.route': { column: 'route', vtype: null },
  'http.status': { column: 'status', vtype: 'number' },
  'http.method': { column: 'method', vtype: null },
};

const isRootGroup = (by: GroupBy): by is { readonly kind: RootGroupKind } => by.kind in ROW_GROUPS;

export async function groupTraces(pool: ReadPool, q: TraceGroupQuery): Promise<TraceGroups> {
  const by = q.by;
  const rows = await pool.with(async (c) => {
    if (isRootGroup(by)) {
      const fromRows = ROW_GROUPS[by.kind];
      // One value per trace, on its row: no span is read but those of marked minutes.
      const traceRows = rolledTraceRows(await markedMinutes(c));
      const selection = { range: q.range, rangeType: 'TraceId' as const, filter: q.filter };
      const columns: TraceRowColumn[] = [fromRows.column, 'rt', 'fault', 'error', 'throttled'];
      return query(
        c,
        sql`WITH ${matchingTraceRows(selection, duckdbDialect, traceRows, columns)},
          g AS (SELECT CAST(${rowColumn(fromRows.column)} AS VARCHAR) AS value, ${fromRows.vtype} AS vtype, count(*)::INTEGER AS traces,
                       avg(root_rt) AS rt, count(*) FILTER (WHERE root_fault)::INTEGER AS faults,
                       count(*) FILTER (WHERE root_error)::INTEGER AS errors, count(*) FILTER (WHERE throttled)::INTEGER AS throttles
                FROM matches GROUP BY 1, 2)
          SELECT *, (SELECT count(*) FROM matches)::INTEGER AS total FROM g ORDER BY traces DESC, value NULLS LAST LIMIT ${q.limit + 1}`,
      );
    }
    return query(
      c,
      sql`${traceFacts(q)},
        v AS (${values(by)}),
        g AS (SELECT v.value, v.vtype, count(*)::INTEGER AS traces, avg(tf.rt) AS rt,
                     count(*) FILTER (WHERE tf.fault)::INTEGER AS faults, count(*) FILTER (WHERE tf.error)::INTEGER AS errors,
                     count(*) FILTER (WHERE tf.any_throttle)::INTEGER AS throttles
              FROM tf LEFT JOIN v USING (trace_id) GROUP BY v.value, v.vtype)
        SELECT *, (SELECT count(*) FROM tf)::INTEGER AS total FROM g ORDER BY traces DESC, value NULLS LAST LIMIT ${q.limit + 1}`,
    );
  });
  const total = (rows[0]?.['total'] as number | undefined) ?? 0;
  return {
    traces: total,
    truncated: rows.length > q.limit,
    groups: rows.slice(0, q.limit).map((r) => ({
      value: groupValue(r['value'] as string | null, r['vtype'] as string | null, q.by),
      ...(q.by.kind === 'service' && r['vtype'] ? { type: r['vtype'] as string } : {}),
      traces: r['traces'] as number,
      responseTimeAvg: (r['rt'] as number | null) ?? null,
      faults: r['faults'] as number,
      errors: r['errors'] as number,
      throttles: r['throttles'] as number,
    })),
  };
}

function groupValue(value: string | null, vtype: string | null, by: GroupBy): string | number | boolean | null {
  if (value === null) return null;
  if (by.kind === 'annotation') return JSON.parse(value) as string | number | boolean;
  if (by.kind === 'http.status') return Number(value);
  return value;
}

/** From trace rows, as ranked pages are (`pointsQuery`). */
export async function tracePoints(pool: ReadPool, q: TracePointsQuery): Promise<TracePoints> {
  const rows = rolledTraceRows(await pool.with(markedMinutes));
  const found = await pool.with((c) =>
    query(c, pointsQuery({ range: q.range, rangeType: 'TraceId', filter: q.filter }, q.limit, duckdbDialect, rows)),
  );
  return {
    traces: Number(found[0]?.['total'] ?? 0),
    points: found
      .filter((r) => r['rt'] !== null)
      .map((r) => ({
        traceId: r['trace_id'] as string,
        start: r['matched'] as number,
        responseTime: r['rt'] as number,
        fault: r['fault'] === true,
        error: r['error'] === true,
      })),
  };
}

export async function traceStats(pool: ReadPool, q: TraceStatsQuery): Promise<TraceStats> {
  const { start, end } = q.range;
  // Bucket width: 1, 2 or 5 × a power of ten, so that 100 buckets reach the largest response time.
  const rows = await pool.with((c) =>
    query(
      c,
      sql`${traceFacts(q)},
        m AS (SELECT max(rt) / 100 AS x FROM tf),
        p AS (SELECT x, pow(10, floor(log10(x))) AS p FROM m WHERE x > 0),
        w AS (SELECT coalesce((SELECT (CASE WHEN x / p <= 1 THEN 1 WHEN x / p <= 2 THEN 2 WHEN x / p <= 5 THEN 5 ELSE 10 END) * p FROM p), 0.001) AS width)
        SELECT 'q' AS kind, 0::BIGINT AS k, count(*)::INTEGER AS n, max(rt) AS a,
               quantile_cont(rt, 0.5) AS b, quantile_cont(rt, 0.9) AS c, quantile_cont(rt, 0.99) AS d,
               0::INTEGER AS faults, 0::INTEGER AS errors, 0::INTEGER AS throttles
        FROM tf
        UNION ALL
        SELECT 't', floor((trace_time - ${start}) / ${q.period})::BIGINT, count(*)::INTEGER, avg(rt), NULL, NULL, NULL,
               count(*) FILTER (WHERE fault)::INTEGER,
               count(*) FILTER (WHERE NOT fault AND (root_throttle OR error))::INTEGER,
               count(*) FILTER (WHERE NOT fault AND root_throttle)::INTEGER
        FROM tf GROUP BY 2
        UNION ALL
        SELECT 'h', floor(rt / w.width)::BIGINT, count(*)::INTEGER, any_value(w.width), NULL, NULL, NULL, 0, 0, 0
        FROM tf, w WHERE rt IS NOT NULL GROUP BY 2`,
    ),
  );
  const summary = rows.find((r) => r['kind'] === 'q')!;
  const max = (summary['a'] as number | null) ?? null;
  const histogram = rows.filter((r) => r['kind'] === 'h');
  const width = (histogram[0]?.['a'] as number | undefined) ?? 0;
  const buckets: Array<{ start: number; end: number; traces: number }> = [];
  if (max !== null && width > 0) {
    // The largest value sits on its bucket's upper edge when max / width is whole: fold it in.
    const last = Math.max(0, Math.ceil(max / width) - 1);
    const counts = new Array<number>(last + 1).fill(0);
    for (const r of histogram) counts[Math.min(last, Number(r['k']))]! += r['n'] as number;
    counts.forEach((traces, k) => buckets.push({ start: round(k * width), end: round((k + 1) * width), traces }));
  }
  const series = new Map(rows.filter((r) => r['kind'] === 't').map((r) => [Number(r['k']), r]));
  const timeSeries = [];
  for (let k = 0; start + k * q.period < end; k++) {
    const r = series.get(k);
    const traces = (r?.['n'] as number | undefined) ?? 0;
    const faults = (r?.['faults'] as number | undefined) ?? 0;
    const errors = (r?.['errors'] as number | undefined) ?? 0;
    timeSeries.push({
      timestamp: start + k * q.period,
      traces,
      ok: traces - faults - errors,
      errors,
      faults,
      throttles: (r?.['throttles'] as number | undefined) ?? 0,
      responseTimeAvg: (r?.['a'] as number | null | undefined) ?? null,
    });
  }
  return {
    traces: summary['n'] as number,
    responseTime: {
      buckets,
      p50: (summary['b'] as number | null) ?? null,
      p90: (summary['c'] as number | null) ?? null,
      p99: (summary['d'] as number | null) ?? null,
      max,
    },
    timeSeries,
  };
}

/** Bucket edges without floating-point noise (0.30000000000000004). */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

export async function suggestions(pool: ReadPool, range: TimeRange): Promise<Suggestions> {
  const w = filed(range);
  const [services, keys, users] = await Promise.all([
    pool.with((c) =>
      query(
        c,
        sql`WITH s AS (SELECT * FROM spans WHERE ${w})
            SELECT name, type, sum(n) AS n FROM (
              SELECT service AS name, service_type AS type, count(*) AS n FROM s WHERE is_segment GROUP BY 1, 2
              UNION ALL SELECT downstream_name, downstream_type, count(*) FROM ${inferredCalls(sql`s`, duckdbDialect)} GROUP BY 1, 2)
            GROUP BY 1, 2 ORDER BY n DESC, name LIMIT 500`,
      ),
    ),
    pool.with((c) =>
      query(
        c,
        sql`SELECT a.key, CASE json_type(a.value) WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' ELSE 'number' END AS type, count(*) AS n
            FROM spans AS s, json_each(s.annotations) AS a
            WHERE ${w} AND s.annotations IS NOT NULL AND json_type(a.value) IN ('VARCHAR', 'BOOLEAN', 'UBIGINT', 'BIGINT', 'DOUBLE')
            GROUP BY 1, 2 ORDER BY n DESC, a.key LIMIT 500`,
      ),
    ),
    pool.with((c) =>
      query(
        c,
        sql`SELECT user_name, count(DISTINCT trace_id) AS n FROM spans WHERE ${w} AND user_name IS NOT NULL GROUP BY 1 ORDER BY n DESC, user_name LIMIT 100`,
      ),
    ),
  ]);
  return {
    services: services.map((r) => ({ name: r['name'] as string, type: r['type'] as string })),
    annotationKeys: keys.map((r) => ({ key: r['key'] as string, type: r['type'] as 'string' | 'number' | 'boolean' })),
    users: users.map((r) => r['user_name'] as string),
  };
}

/**
 * Duration quantiles per operation over the spans filed in the range: one scan reading six
 * columns (filing time, service, name, start, end, in progress), joined to the operations asked
 * (a VALUES list, so the hash join's build side is at most 500 rows), one `quantile_cont` over a
 * list of fractions per group (exact: DuckDB sorts each group's durations).
 */
export async function operationStats(pool: ReadPool, q: OperationStatsQuery): Promise<OperationStats[]> {
  if (q.operations.length === 0) return [];
  const ops = join(q.operations.map((o) => sql`(${o.service}, ${o.name})`));
  const rows = await pool.with((c) =>
    query(
      c,
      sql`WITH ops(service, name) AS (VALUES ${ops})
          SELECT s.service, s.name, count(*)::INTEGER AS n, quantile_cont(s.end_time - s.start_time, [0.5, 0.95, 0.99]) AS q
          FROM spans AS s JOIN ops ON s.service = ops.service AND s.name = ops.name
          WHERE ${filed(q.range)} AND s.end_time IS NOT NULL AND NOT s.in_progress
          GROUP BY s.service, s.name`,
    ),
  );
  const found = new Map(rows.map((r) => [`${r['service'] as string}\u0000${r['name'] as string}`, r]));
  return q.operations.map((o) => {
    const r = found.get(`${o.service}\u0000${o.name}`);
    const [p50, p95, p99] = (r?.['q'] as number[] | undefined) ?? [null, null, null];
    return {
      service: o.service,
      name: o.name,
      count: (r?.['n'] as number | undefined) ?? 0,
      p50: p50 ?? null,
      p95: p95 ?? null,
      p99: p99 ?? null,
    };
  });
}
