import { buildTraceModel, rootCauses, type AnnotationValue, type RootCauses, type ServiceRef, type Span, type TraceSummary } from '@fluoro/core';
import { TRACE_SPREAD_SECONDS, type SummaryCursor, type SummaryPage, type SummaryQuery } from '../api.js';
import { inList, join, sql, type SqlFragment } from '../sql.js';
import { query, type ReadPool, type Row } from './connection.js';
import { candidatePredicate, compileFilter } from './filter-sql.js';
import { inferredCalls, rootSegments } from './relations.js';
import { rowToSpan } from './rows.js';

/** Which spans put a trace in the window, and the time each trace is matched (and ordered) on. */
function window(q: SummaryQuery): { where: SqlFragment; matched: SqlFragment } {
  const { start, end } = q.range;
  switch (q.rangeType) {
    case 'TraceId':
      // Filed by the second in the trace ID, ordered by the trace's real start (sub-second).
      return { where: sql`trace_time >= ${start} AND trace_time < ${end}`, matched: sql`min(start_time)` };
    case 'Event':
      return {
        where: sql`start_time < ${end} AND coalesce(end_time, start_time) >= ${start}`,
        matched: sql`max(greatest(start_time, ${start}))`,
      };
    case 'Service':
      return { where: sql`is_segment AND end_time >= ${start} AND end_time < ${end}`, matched: sql`max(end_time)` };
  }
}

function after(cursor: SummaryCursor | null): SqlFragment {
  return cursor ? sql`AND (matched < ${cursor.time} OR (matched = ${cursor.time} AND trace_id < ${cursor.traceId}))` : sql``;
}

/**
 * The page: trace IDs newest first. Unfiltered, one grouped scan of the window. Filtered, the
 * traces of the window that can match (candidates) are read whole, their spans given `is_root`
 * and the segment that answers each (`callee_*`), aggregated per trace, and tested.
 */
function pageQuery(q: SummaryQuery, w: { where: SqlFragment; matched: SqlFragment }): SqlFragment {
  const win = sql`SELECT trace_id, ${w.matched} AS matched FROM spans WHERE ${w.where} GROUP BY trace_id`;
  const order = sql`ORDER BY matched DESC, trace_id DESC LIMIT ${q.limit + 1}`;
  if (!q.filter) return sql`SELECT trace_id, matched FROM (${win}) WHERE true ${after(q.after)} ${order}`;
  const bounds = { start: q.range.start - TRACE_SPREAD_SECONDS, end: q.range.end + TRACE_SPREAD_SECONDS };
  const f = compileFilter(q.filter, bounds);
  const near = sql`start_time >= ${bounds.start} AND start_time < ${bounds.end}`;
  return sql`
    WITH win AS (${win}),
    cand AS (SELECT trace_id, matched FROM win WHERE ${candidatePredicate(f.candidates, near)}),
    s0 AS (SELECT * FROM spans WHERE ${near} AND trace_id IN (SELECT trace_id FROM cand)),
    callee AS (SELECT trace_id, parent_id, service AS callee_service, service_type AS callee_type, account_id AS callee_account
               FROM s0 WHERE is_segment AND parent_id IS NOT NULL),
    s AS (SELECT s0.*, (s0.is_segment AND p.id IS NULL) AS is_root, c.callee_service, c.callee_type, c.callee_account
          FROM s0 LEFT JOIN (SELECT trace_id, id FROM s0) AS p ON p.trace_id = s0.trace_id AND p.id = s0.parent_id
                  LEFT JOIN callee AS c ON c.trace_id = s0.trace_id AND c.parent_id = s0.id),
    facts AS (SELECT trace_id, ${join([...f.aggregates])} FROM s GROUP BY trace_id)
    SELECT trace_id, matched FROM facts JOIN cand USING (trace_id)
    WHERE ${f.predicate} ${after(q.after)} ${order}`;
}

/**
 * Two steps: find the page (see `pageQuery`), then compute the summaries of just those traces.
 * Aggregating every trace in the window in full would cost ten times as much for a page of 100.
 */
export async function traceSummaries(pool: ReadPool, q: SummaryQuery): Promise<SummaryPage> {
  const w = window(q);
  const [page, processed] = await Promise.all([
    pool.with((c) => query(c, pageQuery(q, w))),
    pool.with((c) => query(c, sql`SELECT count(DISTINCT trace_id)::INTEGER AS n FROM spans WHERE ${w.where}`)),
  ]);
  const more = page.length > q.limit;
  const rows = more ? page.slice(0, q.limit) : page;
  const matched = new Map(rows.map((r) => [r['trace_id'] as string, r['matched'] as number]));
  const summaries = await summarize(pool, [...matched.keys()], matched);
  const last = rows[rows.length - 1];
  return {
    summaries,
    tracesProcessed: processed[0]!['n'] as number,
    next: more && last ? { time: last['matched'] as number, traceId: last['trace_id'] as string } : null,
  };
}

async function summarize(pool: ReadPool, ids: string[], matched: Map<string, number>): Promise<TraceSummary[]> {
  if (ids.length === 0) return [];
  const inIds = inList(ids);
  const t = sql`(SELECT * FROM spans WHERE trace_id IN ${inIds})`;
  const [totals, roots, facts, annotations, spanRows] = await Promise.all([
    pool.with((c) =>
      query(
        c,
        sql`SELECT trace_id, min(start_time) AS start, max(coalesce(end_time, start_time)) AS last_end,
                   bool_or(in_progress) AS partial, coalesce(bool_or(throttle) FILTER (WHERE is_segment OR downstream_name IS NOT NULL), false) AS throttle,
                   count(*)::INTEGER AS revision
            FROM ${t} GROUP BY trace_id`,
      ),
    ),
    pool.with((c) =>
      query(
        c,
        sql`SELECT seg.trace_id, seg.service, seg.service_type, seg.account_id, seg.start_time, seg.end_time,
                   seg.error, seg.fault, seg.http_url, seg.http_status, seg.http_method, seg.http_user_agent, seg.http_client_ip
            FROM ${rootSegments(t)} AS seg ORDER BY seg.start_time`,
      ),
    ),
    pool.with((c) =>
      query(
        c,
        sql`WITH t AS ${t}
            SELECT 'service' AS kind, trace_id, service AS a, service_type AS b, account_id AS c FROM t WHERE is_segment
            UNION SELECT 'service', trace_id, downstream_name, downstream_type, NULL FROM ${inferredCalls(sql`t`)}
            UNION SELECT 'user', trace_id, user_name, service, service_type FROM t WHERE user_name IS NOT NULL
            UNION SELECT 'arn', trace_id, resource_arn, NULL, NULL FROM t WHERE resource_arn IS NOT NULL
            UNION SELECT 'instance', trace_id, instance_id, NULL, NULL FROM t WHERE instance_id IS NOT NULL
            UNION SELECT 'az', trace_id, availability_zone, NULL, NULL FROM t WHERE availability_zone IS NOT NULL`,
      ),
    ),
    pool.with((c) =>
      query(
        c,
        sql`SELECT DISTINCT s.trace_id, a.key, a.atom, s.service, s.service_type
            FROM ${t} AS s, json_each(s.annotations) AS a
            WHERE s.annotations IS NOT NULL
            ORDER BY a.key`,
      ),
    ),
    // Root causes are worked out from the page's traces (a tree walk, not an aggregate).
    pool.with((c) => query(c, sql`SELECT * FROM ${t}`)),
  ]);
  const spansByTrace = new Map<string, Span[]>();
  for (const r of spanRows) {
    const span = rowToSpan(r);
    const list = spansByTrace.get(span.traceId);
    if (list) list.push(span);
    else spansByTrace.set(span.traceId, [span]);
  }

  const byTrace = new Map<string, Draft>();
  for (const r of totals) {
    const id = r['trace_id'] as string;
    byTrace.set(id, {
      row: r,
      root: null,
      services: new Map(),
      users: new Map(),
      annotations: new Map(),
      arns: [],
      instances: [],
      zones: [],
    });
  }
  for (const r of roots) {
    const d = byTrace.get(r['trace_id'] as string);
    if (d && !d.root) d.root = r; // earliest root wins (rows are ordered by start time)
  }
  for (const r of facts) {
    const d = byTrace.get(r['trace_id'] as string);
    if (!d) continue;
    const a = r['a'] as string;
    switch (r['kind']) {
      case 'service':
        d.services.set(`${r['b']}\u0000${a}`, { name: a, type: r['b'] as string, accountId: (r['c'] as string | null) ?? null });
        break;
      case 'user':
        addService(d.users, a, r['b'], r['c']);
        break;
      case 'arn':
        d.arns.push(a);
        break;
      case 'instance':
        d.instances.push(a);
        break;
      case 'az':
        d.zones.push(a);
        break;
    }
  }
  for (const r of annotations) {
    const d = byTrace.get(r['trace_id'] as string);
    if (!d) continue;
    const value = JSON.parse(r['atom'] as string) as AnnotationValue;
    addService(d.annotations, `${r['key']}\u0000${typeof value}\u0000${String(value)}`, r['service'], r['service_type'], { key: r['key'] as string, value });
  }

  return ids
    .filter((id) => byTrace.has(id))
    .map((id) => toSummary(id, byTrace.get(id)!, matched.get(id)!, rootCauses(buildTraceModel(spansByTrace.get(id) ?? []))));
}

interface Draft {
  row: Row;
  root: Row | null;
  services: Map<string, ServiceRef>;
  users: Map<string, Grouped>;
  annotations: Map<string, Grouped>;
  arns: string[];
  instances: string[];
  zones: string[];
}

interface Grouped {
  services: ServiceRef[];
  extra?: { key: string; value: AnnotationValue };
}

function addService(map: Map<string, Grouped>, key: string, name: unknown, type: unknown, extra?: Grouped['extra']): void {
  let g = map.get(key);
  if (!g) {
    g = extra ? { services: [], extra } : { services: [] };
    map.set(key, g);
  }
  if (typeof name === 'string' && typeof type === 'string' && !g.services.some((s) => s.name === name && s.type === type)) {
    g.services.push({ name, type, accountId: null });
  }
}

function toSummary(traceId: string, d: Draft, matchedTime: number, causes: RootCauses): TraceSummary {
  const start = d.row['start'] as number;
  const root = d.root;
  const rootEnd = root?.['end_time'] as number | null | undefined;
  const hasHttp = root && (root['http_url'] ?? root['http_status'] ?? root['http_method'] ?? root['http_user_agent'] ?? root['http_client_ip']) != null;
  const entry: ServiceRef | null = root
    ? { name: root['service'] as string, type: root['service_type'] as string, accountId: (root['account_id'] as string | null) ?? null }
    : null;
  return {
    traceId,
    startTime: start,
    duration: Math.max(0, (d.row['last_end'] as number) - start),
    responseTime: root && rootEnd != null ? rootEnd - (root['start_time'] as number) : null,
    hasFault: root ? (root['fault'] as boolean) : false,
    hasError: root ? (root['error'] as boolean) : false,
    hasThrottle: d.row['throttle'] as boolean,
    isPartial: d.row['partial'] as boolean,
    http: hasHttp
      ? {
          url: (root['http_url'] as string | null) ?? null,
          status: (root['http_status'] as number | null) ?? null,
          method: (root['http_method'] as string | null) ?? null,
          userAgent: (root['http_user_agent'] as string | null) ?? null,
          clientIp: (root['http_client_ip'] as string | null) ?? null,
        }
      : null,
    annotations: [...d.annotations.values()].map((g) => ({ key: g.extra!.key, value: g.extra!.value, services: g.services })),
    users: [...d.users].map(([name, g]) => ({ name, services: g.services })),
    services: [...d.services.values()],
    entryPoint: entry,
    resourceArns: d.arns,
    instanceIds: d.instances,
    availabilityZones: d.zones,
    revision: d.row['revision'] as number,
    matchedTime,
    rootCauses: causes,
  };
}
