import type { DuckDBAppender } from '@duckdb/node-api';
import type { AnnotationValue, Span } from '@fluoro/core';

/**
 * The DuckDB layout: one `spans` row per segment or subsegment, one `annotations` row per
 * annotation (typed columns, so filters compare numbers as numbers). No indexes and no MAP
 * columns: both slow the appender, and zone maps over insertion order serve time-range scans.
 */
export const SCHEMA_VERSION = 1;

type Append = (a: DuckDBAppender, s: Span) => void;

const text = (a: DuckDBAppender, v: string | null): void => (v === null ? a.appendNull() : a.appendVarchar(v));

/** Column name, SQL type and how to append it from a span, in table order. */
export const SPAN_COLUMNS: ReadonlyArray<readonly [name: string, type: string, append: Append]> = [
  ['trace_id', 'VARCHAR NOT NULL', (a, s) => a.appendVarchar(s.traceId)],
  ['id', 'VARCHAR NOT NULL', (a, s) => a.appendVarchar(s.id)],
  ['parent_id', 'VARCHAR', (a, s) => text(a, s.parentId)],
  ['is_segment', 'BOOLEAN NOT NULL', (a, s) => a.appendBoolean(s.kind === 'segment')],
  ['segment_id', 'VARCHAR', (a, s) => text(a, s.owner?.segmentId ?? null)],
  ['service', 'VARCHAR', (a, s) => text(a, s.owner?.service ?? null)],
  ['service_type', 'VARCHAR', (a, s) => text(a, s.owner?.serviceType ?? null)],
  ['name', 'VARCHAR NOT NULL', (a, s) => a.appendVarchar(s.name)],
  ['start_time', 'DOUBLE NOT NULL', (a, s) => a.appendDouble(s.startTime)],
  ['end_time', 'DOUBLE', (a, s) => (s.endTime === null ? a.appendNull() : a.appendDouble(s.endTime))],
  ['in_progress', 'BOOLEAN NOT NULL', (a, s) => a.appendBoolean(s.inProgress)],
  ['error', 'BOOLEAN NOT NULL', (a, s) => a.appendBoolean(s.error)],
  ['fault', 'BOOLEAN NOT NULL', (a, s) => a.appendBoolean(s.fault)],
  ['throttle', 'BOOLEAN NOT NULL', (a, s) => a.appendBoolean(s.throttle)],
  ['origin', 'VARCHAR', (a, s) => text(a, s.origin)],
  ['namespace', 'VARCHAR', (a, s) => text(a, s.namespace)],
  ['http_method', 'VARCHAR', (a, s) => text(a, s.http?.method ?? null)],
  ['http_url', 'VARCHAR', (a, s) => text(a, s.http?.url ?? null)],
  ['http_status', 'INTEGER', (a, s) => (s.http?.status == null ? a.appendNull() : a.appendInteger(s.http.status))],
  ['http_user_agent', 'VARCHAR', (a, s) => text(a, s.http?.userAgent ?? null)],
  ['http_client_ip', 'VARCHAR', (a, s) => text(a, s.http?.clientIp ?? null)],
  ['user_name', 'VARCHAR', (a, s) => text(a, s.user)],
  ['resource_arn', 'VARCHAR', (a, s) => text(a, s.resourceArn)],
  ['account_id', 'VARCHAR', (a, s) => text(a, s.accountId)],
  ['instance_id', 'VARCHAR', (a, s) => text(a, s.instanceId)],
  ['availability_zone', 'VARCHAR', (a, s) => text(a, s.availabilityZone)],
  ['downstream_name', 'VARCHAR', (a, s) => text(a, s.downstream?.name ?? null)],
  ['downstream_type', 'VARCHAR', (a, s) => text(a, s.downstream?.type ?? null)],
  ['position', 'INTEGER NOT NULL', (a, s) => a.appendInteger(s.position)],
  ['trace_time', 'DOUBLE NOT NULL', (a, s) => a.appendDouble(s.traceTime)],
  ['source', 'VARCHAR NOT NULL', (a, s) => a.appendVarchar(s.source)],
  ['doc', 'VARCHAR NOT NULL', (a, s) => a.appendVarchar(s.doc)],
];

export function appendAnnotation(a: DuckDBAppender, s: Span, key: string, value: AnnotationValue): void {
  a.appendVarchar(s.traceId);
  a.appendVarchar(s.id);
  a.appendVarchar(key);
  if (typeof value === 'string') {
    a.appendVarchar(value);
    a.appendNull();
    a.appendNull();
  } else if (typeof value === 'number') {
    a.appendNull();
    a.appendDouble(value);
    a.appendNull();
  } else {
    a.appendNull();
    a.appendNull();
    a.appendBoolean(value);
  }
  a.appendDouble(s.traceTime);
  a.endRow();
}

export const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS spans (${SPAN_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`,
  `CREATE TABLE IF NOT EXISTS annotations (
     trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, key VARCHAR NOT NULL,
     str_value VARCHAR, num_value DOUBLE, bool_value BOOLEAN, trace_time DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS fluoro_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
];

/** The span columns a reader selects, in `SPAN_COLUMNS` order. */
export const SPAN_COLUMN_LIST = SPAN_COLUMNS.map(([n]) => n).join(', ');
