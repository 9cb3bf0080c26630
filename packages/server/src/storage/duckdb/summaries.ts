import type { AnnotationValue, ServiceRef, TraceSummary } from '@fluoro/core';
import type { SummaryCursor, SummaryPage, SummaryQuery } from '../api.js';
import { inList, sql, type SqlFragment } from '../sql.js';
import { query, type ReadPool, type Row } from './connection.js';
import { inferredCalls, rootSegments } from './relations.js';

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
  return cursor ? sql`HAVING matched < ${cursor.time} OR (matched = ${cursor.time} AND trace_id < ${cursor.traceId})` : sql``;
}

/**
 * Two steps: find the page (trace IDs newest first, one grouped scan of the window), then compute
 * the summaries of just those traces. Aggregating every trace in the window in full would cost
 * ten times as much for a page of 100.
 */
export async function traceSummaries(pool: ReadPool, q: SummaryQuery): Promise<SummaryPage> {
  const w = window(q);
  const [page, processed] = await Promise.all([
    pool.with((c) =>
      query(
        c,
        sql`SELECT trace_id, ${w.matched} AS matched FROM spans WHERE ${w.where}
            GROUP BY trace_id ${after(q.after)}
            ORDER BY matched DESC, trace_id DESC LIMIT ${q.limit + 1}`,
      ),
    ),
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
  const [totals, roots, facts, annotations] = await Promise.all([
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
  ]);

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

  return ids.filter((id) => byTrace.has(id)).map((id) => toSummary(id, byTrace.get(id)!, matched.get(id)!));
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

function toSummary(traceId: string, d: Draft, matchedTime: number): TraceSummary {
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
  };
}
