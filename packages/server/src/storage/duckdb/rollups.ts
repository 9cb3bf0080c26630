import type { DuckDBConnection } from '@duckdb/node-api';
import { TRACE_SPREAD_SECONDS, type TimeRange } from '../api/index.js';
import { inList, join, sql, type SqlFragment } from '../sql/fragment.js';
import { filedNear, graphEvents } from '../sql/graph.js';
import { rowColumn, traceRowsOf, type TraceRowColumn, type TraceRows } from '../sql/traces.js';
import { execute, query } from './connection.js';
import { duckdbDialect, NUMBER_TYPES } from './dialect.js';

/**
 * The service graph's rollups: `graph_minutes` holds, per filing minute of traces (`filed`), the
 * graph events of those whole traces grouped by the minute they started in, exactly as
 * `graphEvents` counts them. Since a window's events are related within whole traces, the events
 * of whole minutes add up: a window of whole minutes is the sum of its minutes' rows, for every
 * filing minute that is rolled up, plus the events of the traces filed in minutes that are not
 * (`graph_dirty`: written since their last roll-up, marked in the same transaction as the spans),
 * computed from the spans. Either way the answer is what a scan of the spans gives.
 *
 * `trace_rows` is kept the same way: per filing minute, one row per trace (`traceRowsOf`), which
 * trace summaries and most filters read instead of the spans (`rolledTraceRows`); and
 * `annotation_rows`, one row per annotation of each span (`annotationRowsOf`), which annotation
 * filters read instead of the spans' JSON.
 */

/** Filing minutes are rolled up once this long past their end (late segments mostly come by then). */
export const SETTLE_SECONDS = 30;

/** Most filing minutes one round rolls up (a file migrated from before the rollups has them all to do). */
const ROUND_MINUTES = 30;

/**
 * Rolls up the filing minutes marked dirty that ended at least `SETTLE_SECONDS` before `now`,
 * oldest first, each in its own transaction on `conn`: its rows replaced by its traces' events, its
 * marks cleared. Marks made by writes the transaction does not see stay (their spans are not in
 * its snapshot either), so the minute is rolled up again. Returns how many minutes were rolled up.
 */
export async function rollUp(conn: DuckDBConnection, now: number, limit = ROUND_MINUTES): Promise<number> {
  const due = await query(
    conn,
    sql`SELECT DISTINCT filed FROM graph_dirty WHERE filed + 60 + ${SETTLE_SECONDS} <= ${now} ORDER BY filed LIMIT ${limit}`,
  );
  for (const row of due) {
    const filed = row['filed'] as number;
    await conn.run('BEGIN TRANSACTION');
    try {
      await execute(conn, sql`DELETE FROM graph_minutes WHERE filed = ${filed}`);
      const minute = sql`trace_time >= ${filed} AND trace_time < ${filed + 60}`;
      const events = graphEvents({ filed: minute }, duckdbDialect, { period: 60 });
      await execute(
        conn,
        sql`INSERT INTO graph_minutes
            SELECT ${filed}, ts, kind, a_name, a_type, b_name, b_type, bucket, n, faults, throttles, errors,
                   response_time, first_start, last_end, account_id
            FROM (${events})`,
      );
      await execute(conn, sql`DELETE FROM trace_rows WHERE filed = ${filed}`);
      await execute(conn, sql`INSERT INTO trace_rows BY NAME SELECT ${filed} AS filed, * FROM (${traceRowsOf(minute, duckdbDialect)})`);
      await execute(conn, sql`DELETE FROM annotation_rows WHERE filed = ${filed}`);
      await execute(conn, sql`INSERT INTO annotation_rows BY NAME SELECT ${filed} AS filed, * FROM (${annotationRowsOf(minute)})`);
      await execute(conn, sql`DELETE FROM graph_dirty WHERE filed = ${filed}`);
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return due.length;
}

/** Whether a window is answered from the rollups: whole minutes, and periods of whole minutes. */
export function rollsUp(range: TimeRange, period?: number): boolean {
  return range.start % 60 === 0 && range.end % 60 === 0 && (period === undefined || period % 60 === 0);
}

/**
 * The filing minutes marked now. A query reads them first and splits by them (rolled-up minutes
 * from the rollups, marked ones from their spans): written as ranges of filing time, they let the
 * scan of the spans skip all but those minutes. A minute marked after they were read is answered
 * from its last roll-up, until the next query.
 */
export async function markedMinutes(conn: DuckDBConnection): Promise<number[]> {
  const rows = await query(conn, sql`SELECT DISTINCT filed FROM graph_dirty ORDER BY filed`);
  return rows.map((r) => r['filed'] as number);
}

/** Marked minutes in one statement as ranges; past this many runs, as a list of values. */
const MAX_RUNS = 64;

/** Whether `column` (a filing time, or a filing minute) lies in one of the minutes. */
function inMinutes(minutes: readonly number[], column: SqlFragment): SqlFragment {
  if (minutes.length === 0) return sql`false`;
  const runs: Array<[number, number]> = [];
  for (const m of minutes) {
    const last = runs[runs.length - 1];
    if (last && last[1] === m) last[1] = m + 60;
    else runs.push([m, m + 60]);
  }
  if (runs.length > MAX_RUNS) return sql`floor(${column} / 60) * 60 IN ${inList([...minutes])}`;
  return sql`(${join(
    runs.map(([a, b]) => sql`(${column} >= ${a} AND ${column} < ${b})`),
    sql` OR `,
  )})`;
}

/**
 * The rows `graphEvents` gives for a window of whole minutes (`rollsUp`), from the rollups and
 * the spans of the filing minutes marked (`markedMinutes`): same columns, same groups, same sums.
 */
export function rolledGraphEvents(
  range: TimeRange,
  marked: readonly number[],
  options: { period?: number; where?: SqlFragment } = {},
): SqlFragment {
  const where = options.where ?? sql`true`;
  const ts = options.period ? sql`floor(minute / ${options.period}) * ${options.period}` : sql`0`;
  const fresh = graphEvents(
    { filed: sql`${filedNear(range)} AND ${inMinutes(marked, sql`trace_time`)}`, window: range },
    duckdbDialect,
    options,
  );
  return sql`
    WITH rolled AS (
      SELECT kind, a_name, a_type, b_name, b_type, ${ts} AS ts, bucket, n, faults, throttles, errors,
             response_time, first_start, last_end, account_id
      FROM graph_minutes
      WHERE minute >= ${range.start} AND minute < ${range.end}
        AND filed >= ${range.start - TRACE_SPREAD_SECONDS} AND filed < ${range.end + TRACE_SPREAD_SECONDS}
        AND NOT ${inMinutes(marked, sql`filed`)} AND ${where}
    )
    SELECT kind, a_name, a_type, b_name, b_type, ts, bucket,
           sum(n)::INTEGER AS n, sum(faults)::INTEGER AS faults, sum(throttles)::INTEGER AS throttles,
           sum(errors)::INTEGER AS errors, sum(response_time) AS response_time,
           min(first_start) AS first_start, max(last_end) AS last_end, max(account_id) AS account_id
    FROM (SELECT * FROM rolled UNION ALL BY NAME SELECT * FROM (${fresh}))
    GROUP BY ALL`;
}

/**
 * The trace rows of the traces filed where `filed` holds: those of the rolled-up filing minutes
 * from `trace_rows`, those of the marked ones (`markedMinutes`) computed from their spans.
 */
export function rolledTraceRows(marked: readonly number[]): TraceRows {
  const rows = (filed: SqlFragment, facts: readonly TraceRowColumn[]): SqlFragment => {
    const columns = [sql`trace_id, trace_time, first_start, last_end`, ...facts.map(rowColumn)];
    return sql`(SELECT ${join(columns)} FROM trace_rows WHERE ${filed} AND NOT ${inMinutes(marked, sql`filed`)}
     UNION ALL BY NAME (${traceRowsOf(sql`${filed} AND ${inMinutes(marked, sql`trace_time`)}`, duckdbDialect, facts)}))`;
  };
  // The same split for the annotations of the spans where `where` holds (a predicate on `start_time`).
  const annotations = (where: SqlFragment): SqlFragment =>
    sql`(SELECT ${ANNOTATION_COLUMNS} FROM annotation_rows WHERE ${where} AND NOT ${inMinutes(marked, sql`filed`)}
     UNION ALL BY NAME (SELECT ${ANNOTATION_COLUMNS} FROM (${annotationRowsOf(sql`${where} AND ${inMinutes(marked, sql`trace_time`)}`)})))`;
  return Object.assign(rows, { annotations });
}

const ANNOTATION_COLUMNS = sql`trace_id, trace_time, start_time, key, str, num, bool`;

/**
 * The annotations of the spans where `where` holds, a row each (`TraceRows.annotations` in sql/traces.ts):
 * its span's trace, filing time and start, the key, and the value in the column of its JSON type
 * (a number of any of DuckDB's JSON number types in `num`), as `jsonMember` reads them.
 */
export function annotationRowsOf(where: SqlFragment): SqlFragment {
  return sql`SELECT trace_id, trace_time, start_time, a.key AS key,
                    CASE WHEN a.type = 'VARCHAR' THEN a.value ->> '$' END AS str,
                    CASE WHEN a.type IN ${NUMBER_TYPES} THEN CAST(a.value ->> '$' AS DOUBLE) END AS num,
                    CASE WHEN a.type = 'BOOLEAN' THEN CAST(a.value ->> '$' AS BOOLEAN) END AS bool
             FROM spans, json_each(spans.annotations) AS a
             WHERE ${where} AND spans.annotations IS NOT NULL`;
}
