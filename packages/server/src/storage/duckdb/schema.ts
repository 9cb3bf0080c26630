import type { DuckDBAppender } from '@duckdb/node-api';
import { ERROR, FAULT, IN_PROGRESS, THROTTLE, type SpanBatch } from '@fluoro/core';
import { NODE_OUTCOMES } from '../../query/plan.js';

/**
 * The DuckDB layout: one `spans` row per span, with the fields queries use as columns,
 * annotations and OpenTelemetry attributes as JSON objects, and each document's text (and its
 * resource) once, on its root span. No indexes and no MAP columns: both slow the appender, and
 * zone maps over insertion order serve time-range scans.
 *
 * Version 3 added the OpenTelemetry columns (`resource` … `span_kind`), at the end so that a
 * version-2 file gains them with `ALTER TABLE … ADD COLUMN` (`MIGRATIONS`). Version 4 added the
 * service graph's rollups (`graph_minutes`, `graph_dirty`): a file from before has every filing
 * minute of its spans marked to be rolled up. Version 5 added `trace_rows` (one row per trace,
 * kept with the rollups): a file from before has every filing minute marked again. Version 6 added
 * the trace rows' `nodes`, and marks every minute again. Version 7 added the trace rows' `root_route`
 * (the root URL's route) and `throttled`, and marks every minute again. Version 8 added
 * `annotation_rows` (each span's annotations, typed), and marks the minutes with annotations.
 * Version 9 added the trace rows' `fault_nodes`, `error_nodes` and `throttle_nodes`, and marks
 * every minute again.
 */
export const SCHEMA_VERSION = 9;

/** Added in version 3; defaults make rows written before them read as X-Ray spans do. */
const OTEL_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['resource', 'VARCHAR'],
  ['scope_name', 'VARCHAR'],
  ['scope_version', 'VARCHAR'],
  ['attributes', 'VARCHAR'],
  ['events', 'VARCHAR'],
  ['links', 'VARCHAR'],
  ['status_code', 'UTINYINT DEFAULT 0'],
  ['status_message', 'VARCHAR'],
  ['span_kind', 'UTINYINT DEFAULT 0'],
];

/** A trace row's nodes: its services and the inferred nodes it calls, as one text (`NODES` in sql/dialect.ts). */
const NODES_TYPE = 'VARCHAR';

/** Statements that bring a file from the version in the key to the next one. */
export const MIGRATIONS: Readonly<Record<number, readonly string[]>> = {
  8: [
    ...NODE_OUTCOMES.map((o) => `ALTER TABLE trace_rows ADD COLUMN IF NOT EXISTS ${o}_nodes ${NODES_TYPE}`),
    `INSERT INTO graph_dirty SELECT DISTINCT floor(trace_time / 60) * 60 FROM spans`,
  ],
  7: [`INSERT INTO graph_dirty SELECT DISTINCT floor(trace_time / 60) * 60 FROM spans WHERE annotations IS NOT NULL`],
  6: [
    `ALTER TABLE trace_rows ADD COLUMN IF NOT EXISTS root_route VARCHAR`,
    `ALTER TABLE trace_rows ADD COLUMN IF NOT EXISTS throttled BOOLEAN`,
    `INSERT INTO graph_dirty SELECT DISTINCT floor(trace_time / 60) * 60 FROM spans`,
  ],
  5: [
    `ALTER TABLE trace_rows ADD COLUMN IF NOT EXISTS nodes ${NODES_TYPE}`,
    `INSERT INTO graph_dirty SELECT DISTINCT floor(trace_time / 60) * 60 FROM spans`,
  ],
  4: [`INSERT INTO graph_dirty SELECT DISTINCT floor(trace_time / 60) * 60 FROM spans`],
  3: [`INSERT INTO graph_dirty SELECT DISTINCT floor(trace_time / 60) * 60 FROM spans`],
  2: [
    ...OTEL_COLUMNS.map(([n, t]) => `ALTER TABLE spans ADD COLUMN ${n} ${t}`),
    // Rows written before: spans of X-Ray documents as version 3 derives their kind and status.
    `UPDATE spans SET span_kind = CASE WHEN is_segment THEN 2 WHEN downstream_name IS NOT NULL THEN 3 ELSE 1 END,
                      status_code = CASE WHEN fault THEN 2 ELSE 0 END`,
  ],
};

/** Column names and types, in table order; `appendRow` appends them in the same order. */
export const SPAN_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['trace_id', 'VARCHAR NOT NULL'],
  ['id', 'VARCHAR NOT NULL'],
  ['parent_id', 'VARCHAR'],
  ['is_segment', 'BOOLEAN NOT NULL'],
  ['segment_id', 'VARCHAR'],
  ['service', 'VARCHAR'],
  ['service_type', 'VARCHAR'],
  ['name', 'VARCHAR NOT NULL'],
  ['start_time', 'DOUBLE NOT NULL'],
  ['end_time', 'DOUBLE'],
  ['in_progress', 'BOOLEAN NOT NULL'],
  ['error', 'BOOLEAN NOT NULL'],
  ['fault', 'BOOLEAN NOT NULL'],
  ['throttle', 'BOOLEAN NOT NULL'],
  ['http_method', 'VARCHAR'],
  ['http_url', 'VARCHAR'],
  ['http_status', 'INTEGER'],
  ['http_user_agent', 'VARCHAR'],
  ['http_client_ip', 'VARCHAR'],
  ['user_name', 'VARCHAR'],
  ['resource_arn', 'VARCHAR'],
  ['account_id', 'VARCHAR'],
  ['instance_id', 'VARCHAR'],
  ['availability_zone', 'VARCHAR'],
  // JSON text, typed VARCHAR: DuckDB's JSON functions read it all the same, and appending is a
  // third cheaper without the JSON type's validation.
  ['annotations', 'VARCHAR'],
  ['exceptions', 'VARCHAR'],
  ['downstream_name', 'VARCHAR'],
  ['downstream_type', 'VARCHAR'],
  ['trace_time', 'DOUBLE NOT NULL'],
  ['source', 'VARCHAR NOT NULL'],
  ['doc_id', 'VARCHAR NOT NULL'],
  // Document text compresses about 11 to 1 with zstd, 2.6 to 1 with DuckDB's default FSST (files of storage version 1.2 and later).
  ['doc', 'VARCHAR USING COMPRESSION zstd'],
  ...OTEL_COLUMNS,
];

/**
 * The columns `rowToTraceSpan` reads (`TraceSpan`): every column but the document's (`source`,
 * `doc_id`, `doc`) and the OpenTelemetry detail, which are as wide again to scan.
 */
export const TRACE_SPAN_COLUMNS: readonly string[] = SPAN_COLUMNS.map(([n]) => n).filter(
  (n) => !['source', 'doc_id', 'doc'].includes(n) && !OTEL_COLUMNS.some(([o]) => o === n),
);

function text(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}

/** Row `i` of a batch, straight-line: this runs for every span written, on the main thread. */
export function appendRow(a: DuckDBAppender, b: SpanBatch, i: number): void {
  a.appendVarchar(b.traceId[i]!);
  a.appendVarchar(b.id[i]!);
  text(a, b.parentId[i]!);
  a.appendBoolean(b.isSegment[i] === 1);
  text(a, b.segmentId[i]!);
  text(a, b.service[i]!);
  text(a, b.serviceType[i]!);
  a.appendVarchar(b.name[i]!);
  a.appendDouble(b.startTime[i]!);
  const end = b.endTime[i]!;
  if (Number.isNaN(end)) a.appendNull();
  else a.appendDouble(end);
  const flags = b.flags[i]!;
  a.appendBoolean((flags & IN_PROGRESS) !== 0);
  a.appendBoolean((flags & ERROR) !== 0);
  a.appendBoolean((flags & FAULT) !== 0);
  a.appendBoolean((flags & THROTTLE) !== 0);
  text(a, b.httpMethod[i]!);
  text(a, b.httpUrl[i]!);
  const status = b.httpStatus[i]!;
  if (status < 0) a.appendNull();
  else a.appendInteger(status);
  text(a, b.httpUserAgent[i]!);
  text(a, b.httpClientIp[i]!);
  text(a, b.user[i]!);
  text(a, b.resourceArn[i]!);
  text(a, b.accountId[i]!);
  text(a, b.instanceId[i]!);
  text(a, b.availabilityZone[i]!);
  text(a, b.annotations[i]!);
  text(a, b.exceptions[i]!);
  text(a, b.downstreamName[i]!);
  text(a, b.downstreamType[i]!);
  a.appendDouble(b.traceTime[i]!);
  a.appendVarchar(b.source[i]!);
  a.appendVarchar(b.docId[i]!);
  text(a, b.doc[i]!);
  text(a, b.resource[i]!);
  text(a, b.scopeName[i]!);
  text(a, b.scopeVersion[i]!);
  text(a, b.attributes[i]!);
  text(a, b.events[i]!);
  text(a, b.links[i]!);
  a.appendUTinyInt(b.statusCode[i]!);
  text(a, b.statusMessage[i]!);
  a.appendUTinyInt(b.spanKind[i]!);
  a.endRow();
}

export const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS spans (${SPAN_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`,
  `CREATE TABLE IF NOT EXISTS fluoro_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  // One row per root cause of a trace: category fault, error or responsetime, and the root cause
  // in the API's shape (Services, EntityPath, Exceptions or Coverage).
  // Named documents other than spans (sampling rules): see RecordStore.
  `CREATE TABLE IF NOT EXISTS records (kind VARCHAR NOT NULL, name VARCHAR NOT NULL, doc VARCHAR NOT NULL, PRIMARY KEY (kind, name))`,
  // Spans committed so far, one row per committed batch: compared at open with what was
  // acknowledged (CommitLedger), it tells what a damaged write-ahead log lost.
  `CREATE TABLE IF NOT EXISTS fluoro_ledger (spans BIGINT NOT NULL)`,
  // The service graph's events per filing minute of their traces (`filed`) and minute of their
  // start, as graphEvents counts them (see rollups.ts); `graph_dirty` names the filing minutes
  // written since they were last rolled up, marked in the transaction that wrote the spans.
  `CREATE TABLE IF NOT EXISTS graph_minutes (
     filed DOUBLE NOT NULL, minute DOUBLE NOT NULL, kind VARCHAR NOT NULL, a_name VARCHAR, a_type VARCHAR,
     b_name VARCHAR, b_type VARCHAR, bucket DOUBLE, n INTEGER, faults INTEGER, throttles INTEGER, errors INTEGER,
     response_time DOUBLE, first_start DOUBLE, last_end DOUBLE, account_id VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS graph_dirty (filed DOUBLE NOT NULL)`,
  // One row per trace of each rolled-up filing minute (`traceRowsOf`): summaries and filters read them.
  `CREATE TABLE IF NOT EXISTS trace_rows (
     filed DOUBLE NOT NULL, trace_id VARCHAR NOT NULL, trace_time DOUBLE NOT NULL, first_start DOUBLE, last_end DOUBLE,
     root_ok BOOLEAN, root_error BOOLEAN, root_fault BOOLEAN, root_rt DOUBLE, root_status INTEGER,
     root_url VARCHAR, root_route VARCHAR, root_method VARCHAR, root_useragent VARCHAR, root_clientip VARCHAR, nodes ${NODES_TYPE},
     throttled BOOLEAN, ${NODE_OUTCOMES.map((o) => `${o}_nodes ${NODES_TYPE}`).join(', ')})`,
  // One row per annotation of each span of each rolled-up filing minute, its value in the column of
  // its type (`annotationRowsOf`): annotation filters read these instead of the spans' JSON.
  `CREATE TABLE IF NOT EXISTS annotation_rows (
     filed DOUBLE NOT NULL, trace_id VARCHAR NOT NULL, trace_time DOUBLE NOT NULL, start_time DOUBLE NOT NULL,
     key VARCHAR NOT NULL, str VARCHAR, num DOUBLE, bool BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS root_causes (
     trace_id VARCHAR NOT NULL, trace_time DOUBLE NOT NULL, category VARCHAR NOT NULL, cause_index INTEGER NOT NULL, doc VARCHAR NOT NULL)`,
];
