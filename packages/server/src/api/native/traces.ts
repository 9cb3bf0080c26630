import { annotation, byId, byName, compare, keyword, not, present, print, service, toXrayTraceId } from '@fluoro/core';
import type { TraceFilter } from '../../signals/traces/query.js';
import type {
  GroupsRequest,
  GroupsResponse,
  OperationsRequest,
  OperationsResponse,
  PointsRequest,
  PointsResponse,
  RankBy,
  RankedRequest,
  RankedResponse,
  StatsRequest,
  StatsResponse,
  SuggestionsRequest,
  SuggestionsResponse,
} from '@fluoro/contracts';
import { invalidRequest } from '../../platform/errors/catalog.js';
import { jsonResponse, READ, type HttpRequest, type Router } from '../../platform/http/router.js';
import { checkedRange, type Unvalidated } from '../inputs.js';
import { toTraceSummary } from '../xray/shapes.js';

const RANK_BY: readonly RankBy[] = ['time', 'responsetime', 'duration', 'status', 'method', 'url', 'id'];
import type { GroupBy, OperationKey, TimeRange, TraceGroup, TraceQueries } from '../../signals/traces/query.js';

/** The console's reads. */

/**
 * Aggregates over the traces a filter selects, for the console (docs/native-api.md):
 * `POST /api/v1/traces/groups`, `POST /api/v1/traces/stats`, `POST /api/v1/suggestions`; and
 * `POST /api/v1/traces/ranked`, the first traces of a window in an order over all of them;
 * `POST /api/v1/traces/points`, the slowest of them as the latency scatter draws them;
 * `POST /api/v1/traces/operations`, how long given operations' spans take in a window.
 */
export function mountTracesApi(router: Router, traces: TraceQueries, maxWindowHours: number): void {
  router.add('POST', '/api/v1/traces/groups', READ, async (req) => {
    const body: Unvalidated<GroupsRequest> = await object(req);
    const { range, filter } = selection(body, traces, maxWindowHours);
    const by = groupBy(body['by']);
    const limit = integer(body, 'limit', 50, 1, 1000);
    const result = await traces.groupTraces({ range, filter, by, limit });
    return jsonResponse<GroupsResponse>({
      traces: result.traces,
      groups: result.groups.map((g) => ({ ...g, share: result.traces ? round(g.traces / result.traces) : 0, filter: groupFilter(by, g) })),
      truncated: result.truncated,
    });
  });

  router.add('POST', '/api/v1/traces/ranked', READ, async (req) => {
    const body: Unvalidated<RankedRequest> = await object(req);
    const { range, filter } = selection(body, traces, maxWindowHours);
    const by = body['by'];
    if (typeof by !== 'string' || !RANK_BY.includes(by as RankBy)) throw invalidRequest(`"by" must be one of ${RANK_BY.join(', ')}`);
    const dir = body['dir'] ?? 'desc';
    if (dir !== 'asc' && dir !== 'desc') throw invalidRequest('"dir" must be "asc" or "desc"');
    const limit = integer(body, 'limit', 100, 1, 1000);
    const page = await traces.summaries({ range, rangeType: 'TraceId', filter, limit, after: null, order: { by: by as RankBy, dir } });
    return jsonResponse<RankedResponse>({ traces: page.summaries.map(toTraceSummary), processed: page.tracesProcessed });
  });

  router.add('POST', '/api/v1/traces/points', READ, async (req) => {
    const body: Unvalidated<PointsRequest> = await object(req);
    const { range, filter } = selection(body, traces, maxWindowHours);
    const limit = integer(body, 'limit', 10_000, 1, 10_000);
    const found = await traces.tracePoints({ range, filter, limit });
    return jsonResponse<PointsResponse>({
      traces: found.traces,
      points: found.points.map((p) => ({
        id: toXrayTraceId(p.traceId),
        start: p.start,
        rt: p.responseTime,
        outcome: p.fault ? 'fault' : p.error ? 'error' : 'ok',
      })),
    });
  });

  router.add('POST', '/api/v1/traces/stats', READ, async (req) => {
    const body: Unvalidated<StatsRequest> = await object(req);
    const { range, filter } = selection(body, traces, maxWindowHours);
    const span = range.end - range.start;
    const period = body['period'] === undefined ? defaultPeriod(span) : integer(body, 'period', 60, 1, 86_400);
    if (span / period > 10_000) throw invalidRequest(`"period" ${period} s makes ${Math.ceil(span / period)} buckets; the limit is 10000`);
    return jsonResponse<StatsResponse>({ period, ...(await traces.traceStats({ range, filter, period })) });
  });

  router.add('POST', '/api/v1/traces/operations', READ, async (req) => {
    const body: Unvalidated<OperationsRequest> = await object(req);
    const range = window(body, maxWindowHours);
    const asked = operations(body['operations']);
    const stats = await traces.operationStats({ range, operations: asked });
    return jsonResponse<OperationsResponse>({ operations: stats });
  });

  router.add('POST', '/api/v1/suggestions', READ, async (req) => {
    const body: Unvalidated<SuggestionsRequest> = await object(req);
    return jsonResponse<SuggestionsResponse>(await traces.suggestions(window(body, maxWindowHours)));
  });
}

async function object(req: HttpRequest): Promise<Record<string, unknown>> {
  const body = await req.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('the request body must be a JSON object');
  return body as Record<string, unknown>;
}

function window(body: Record<string, unknown>, maxHours: number): TimeRange {
  for (const key of ['start', 'end']) {
    if (typeof body[key] !== 'number' || !Number.isFinite(body[key]))
      throw invalidRequest(`"${key}" must be a time in epoch seconds (a number)`);
  }
  return checkedRange(body['start'] as number, body['end'] as number, maxHours, ['start', 'end']);
}

function selection(
  body: Record<string, unknown>,
  traces: TraceQueries,
  maxHours: number,
): { range: TimeRange; filter: TraceFilter | null } {
  const range = window(body, maxHours);
  const text = body['filter'];
  if (text !== undefined && typeof text !== 'string') throw invalidRequest('"filter" must be a string (a filter expression)');
  return { range, filter: text?.trim() ? traces.filter({ text, member: 'filter' }) : null };
}

function integer(body: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const v = body[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw invalidRequest(`"${key}" must be a whole number from ${min} to ${max}`);
  return v;
}

/** Operations per request at most: a trace of thousands of spans has far fewer distinct ones. */
const MAX_OPERATIONS = 500;
/** Longest service or span name asked about (X-Ray's subsegment names are at most 250 characters). */
const MAX_NAME = 1024;

/** The operations asked, checked, duplicates dropped (the first one kept, in order). */
function operations(v: unknown): OperationKey[] {
  if (!Array.isArray(v)) throw invalidRequest('"operations" must be a list of {"service": …, "name": …} objects');
  if (v.length > MAX_OPERATIONS) throw invalidRequest(`"operations" holds ${v.length} operations; the limit is ${MAX_OPERATIONS}`);
  const seen = new Map<string, OperationKey>();
  v.forEach((o: unknown, i) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw invalidRequest(`"operations[${i}]" must be an object with "service" and "name" (strings)`);
    const fields = o as Record<string, unknown>;
    for (const key of ['service', 'name']) {
      const text = fields[key];
      if (typeof text !== 'string' || text.length === 0 || text.length > MAX_NAME)
        throw invalidRequest(`"operations[${i}].${key}" must be a string of 1 to ${MAX_NAME} characters`);
    }
    const op = { service: fields['service'] as string, name: fields['name'] as string };
    const key = `${op.service}\u0000${op.name}`;
    if (!seen.has(key)) seen.set(key, op);
  });
  return [...seen.values()];
}

const SIMPLE_BY = ['http.url', 'http.route', 'http.status', 'http.method', 'user', 'service'] as const;

function groupBy(v: unknown): GroupBy {
  if (typeof v !== 'string') throw invalidRequest(`"by" must be one of ${SIMPLE_BY.join(', ')} or annotation.<key>`);
  if ((SIMPLE_BY as readonly string[]).includes(v)) return { kind: v as (typeof SIMPLE_BY)[number] };
  const m = /^annotation(?:\.([A-Za-z0-9_.]+)|\[([A-Za-z0-9_.]+)\])$/.exec(v);
  if (m) return { kind: 'annotation', key: (m[1] ?? m[2])! };
  throw invalidRequest(`"by" must be one of ${SIMPLE_BY.join(', ')} or annotation.<key>, not ${JSON.stringify(v)}`);
}

/** The smallest of these periods that gives at most 120 buckets. */
const PERIODS = [1, 5, 10, 15, 30, 60, 300, 900, 1800, 3600];

function defaultPeriod(span: number): number {
  return PERIODS.find((p) => span / p <= 120) ?? Math.ceil(span / 120 / 3600) * 3600;
}

/** A filter expression that selects a group's traces (to AND with the current filter). */
export function groupFilter(by: GroupBy, g: Pick<TraceGroup, 'value' | 'type'>): string {
  if (by.kind === 'service') {
    // The traces that touch no node at all: no segment, no call to an inferred one.
    if (g.value === null) return print(not(service(null)));
    const name = String(g.value);
    return print(service(g.type ? byId({ name, type: g.type }) : byName(name)));
  }
  const field = by.kind === 'annotation' ? annotation(by.key) : keyword(by.kind);
  return print(g.value === null ? not(present(field)) : compare(field, '=', g.value));
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
