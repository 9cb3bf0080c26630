import { buildTraceModel, spanDuration, urlRoute, type Span } from '@fluoro/core';
import type {
  GroupBy,
  OperationStats,
  OperationStatsQuery,
  Suggestions,
  TimeRange,
  TraceGroup,
  TraceGroupQuery,
  TraceGroups,
  TracePoints,
  TracePointsQuery,
  TraceStats,
  TraceStatsQuery,
} from '../api/index.js';
import type { MemoryRootCauses } from './root-causes.js';
import type { SpanTable } from './span-table.js';
import { byIdDesc, selectTraces } from './summaries.js';
import { byText, byTextNullsLast } from './text-order.js';

/**
 * Aggregates over selected traces for the console (analytics.ts in DuckDB). Every query starts
 * from the traces `findTraceSummaries` selects (TimeRangeType TraceId, the same filter) and reads
 * each one's spans filed in the range, from which core's trace model gives the root segment.
 */
interface TraceFacts {
  readonly traceId: string;
  /** Its earliest span start. */
  readonly start: number;
  readonly spans: readonly Span[];
  readonly traceTime: number;
  readonly root: Span | null;
  /** Root-segment response time; null without a (completed) root segment. */
  readonly rt: number | null;
  readonly fault: boolean;
  readonly error: boolean;
  readonly rootThrottle: boolean;
  /** Any segment, or any call to a downstream node, was throttled. */
  readonly anyThrottle: boolean;
  readonly inferredCalls: readonly Span[];
}

const filedIn = (s: Span, range: TimeRange): boolean => s.traceTime >= range.start && s.traceTime < range.end;

function traceFacts(
  table: SpanTable,
  rootCauses: MemoryRootCauses,
  q: { range: TimeRange; filter: TraceGroupQuery['filter'] },
): TraceFacts[] {
  const { matches } = selectTraces(table, rootCauses, { range: q.range, rangeType: 'TraceId', filter: q.filter });
  return matches.map((m) => {
    const spans = (table.trace(m.traceId) ?? []).filter((s) => filedIn(s, q.range));
    const model = buildTraceModel(spans);
    const root = model.root;
    return {
      traceId: m.traceId,
      start: model.startTime,
      spans,
      traceTime: m.traceTime,
      root,
      rt: root ? spanDuration(root) : null,
      fault: root?.fault ?? false,
      error: root?.error ?? false,
      rootThrottle: root?.throttle ?? false,
      anyThrottle: model.throttled,
      inferredCalls: model.inferredCalls,
    };
  });
}

/** A value of the attribute grouped by: `text` orders ties as DuckDB's VARCHAR would. */
interface GroupValue {
  readonly value: string | number | boolean;
  readonly text: string;
  readonly type?: string;
}

/** Each trace's distinct values of the attribute; an empty list puts it in the null group. */
function valuesOf(t: TraceFacts, by: GroupBy): GroupValue[] {
  const http = t.root?.http ?? null;
  const one = (v: string | null): GroupValue[] => (v === null ? [] : [{ value: v, text: v }]);
  switch (by.kind) {
    case 'http.url':
      return one(http?.url ?? null);
    case 'http.route':
      return one(urlRoute(http?.url ?? null));
    case 'http.method':
      return one(http?.method ?? null);
    case 'http.status': {
      const status = http?.status ?? null;
      return status === null ? [] : [{ value: status, text: String(status) }];
    }
    case 'user':
      return distinct(t.spans.flatMap((s) => one(s.user)));
    case 'service': {
      const segments = t.spans.filter((s) => s.kind === 'segment' && s.owner);
      return distinct([
        ...segments.map((s) => ({ value: s.owner!.service, text: s.owner!.service, type: s.owner!.serviceType })),
        ...t.inferredCalls.map((c) => ({ value: c.downstream!.name, text: c.downstream!.name, type: c.downstream!.type })),
      ]);
    }
    case 'annotation': {
      // Typed: the string "2" and the number 2 are different groups (their JSON texts differ).
      const found: GroupValue[] = [];
      for (const s of t.spans) {
        const v = s.annotations[by.key];
        if (v !== undefined) found.push({ value: v, text: JSON.stringify(v) });
      }
      return distinct(found);
    }
  }
}

function distinct(values: GroupValue[]): GroupValue[] {
  const seen = new Map<string, GroupValue>();
  for (const v of values) seen.set(`${v.text}\u0000${v.type ?? ''}`, v);
  return [...seen.values()];
}

interface GroupAcc {
  readonly value: GroupValue | null;
  traces: number;
  rtSum: number;
  rtCount: number;
  faults: number;
  errors: number;
  throttles: number;
}

export function groupTraces(table: SpanTable, rootCauses: MemoryRootCauses, q: TraceGroupQuery): TraceGroups {
  const facts = traceFacts(table, rootCauses, q);
  const groups = new Map<string, GroupAcc>();
  for (const t of facts) {
    const values = valuesOf(t, q.by);
    for (const value of values.length > 0 ? values : [null]) {
      const key = value ? `${value.text}\u0000${value.type ?? ''}` : '\u0001null';
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { value, traces: 0, rtSum: 0, rtCount: 0, faults: 0, errors: 0, throttles: 0 }));
      g.traces++;
      if (t.rt !== null) {
        g.rtSum += t.rt;
        g.rtCount++;
      }
      if (t.fault) g.faults++;
      if (t.error) g.errors++;
      if (t.anyThrottle) g.throttles++;
    }
  }
  // Most traces first; ties by value (nulls last), then by type so that the order is total.
  const sorted = [...groups.values()].sort(
    (a, b) =>
      b.traces - a.traces ||
      byTextNullsLast(a.value?.text ?? null, b.value?.text ?? null) ||
      byTextNullsLast(a.value?.type ?? null, b.value?.type ?? null),
  );
  return {
    traces: facts.length,
    truncated: sorted.length > q.limit,
    groups: sorted.slice(0, q.limit).map((g): TraceGroup => ({
      value: g.value?.value ?? null,
      ...(q.by.kind === 'service' && g.value?.type ? { type: g.value.type } : {}),
      traces: g.traces,
      responseTimeAvg: g.rtCount > 0 ? g.rtSum / g.rtCount : null,
      faults: g.faults,
      errors: g.errors,
      throttles: g.throttles,
    })),
  };
}

/**
 * Bucket width: 1, 2 or 5 × a power of ten, the smallest such that 100 buckets reach the largest
 * response time (0.001 when there is none above 0). The power of ten is parsed rather than
 * computed: `Math.pow(10, -4)` is 0.00009999999999999999 in V8, DuckDB's `pow` gives 1e-4.
 */
export function bucketWidth(max: number | null): number {
  if (max === null || !(max / 100 > 0)) return 0.001;
  const x = max / 100;
  const p = Number(`1e${Math.floor(Math.log10(x))}`);
  const r = x / p;
  return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * p;
}

/** DuckDB's `quantile_cont`: linear interpolation between the closest ranks of sorted values. */
export function quantileCont(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rn = (sorted.length - 1) * q;
  const lo = Math.floor(rn);
  const hi = Math.ceil(rn);
  if (lo === hi) return sorted[lo]!;
  return sorted[lo]! + (rn - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Bucket edges without floating-point noise (0.30000000000000004), as DuckDB's reader does. */
function edge(x: number): number {
  return Number(x.toPrecision(12));
}

export function tracePoints(table: SpanTable, rootCauses: MemoryRootCauses, q: TracePointsQuery): TracePoints {
  const facts = traceFacts(table, rootCauses, q);
  const timed = facts.filter((t): t is TraceFacts & { rt: number } => t.rt !== null);
  timed.sort((a, b) => b.rt - a.rt || byIdDesc(a, b));
  return {
    traces: facts.length,
    points: timed
      .slice(0, q.limit)
      .map((t) => ({ traceId: t.traceId, start: t.start, responseTime: t.rt, fault: t.fault, error: t.error })),
  };
}

export function traceStats(table: SpanTable, rootCauses: MemoryRootCauses, q: TraceStatsQuery): TraceStats {
  const facts = traceFacts(table, rootCauses, q);
  const rts = facts.map((t) => t.rt).filter((rt): rt is number => rt !== null);
  rts.sort((a, b) => a - b);
  const max = rts.length > 0 ? rts[rts.length - 1]! : null;
  const buckets: Array<{ start: number; end: number; traces: number }> = [];
  if (max !== null) {
    const width = bucketWidth(max);
    // The largest value sits on its bucket's upper edge when max / width is whole: fold it in.
    const last = Math.max(0, Math.ceil(max / width) - 1);
    const counts = new Array<number>(last + 1).fill(0);
    for (const rt of rts) {
      const k = Math.floor(rt / width);
      // A negative response time (clock skew) lies before the first bucket; DuckDB drops it too.
      if (k >= 0) counts[Math.min(last, k)]!++;
    }
    counts.forEach((traces, k) => buckets.push({ start: edge(k * width), end: edge((k + 1) * width), traces }));
  }
  const { start, end } = q.range;
  const series = new Map<number, { traces: number; faults: number; errors: number; throttles: number; rtSum: number; rtCount: number }>();
  for (const t of facts) {
    const k = Math.floor((t.traceTime - start) / q.period);
    let b = series.get(k);
    if (!b) series.set(k, (b = { traces: 0, faults: 0, errors: 0, throttles: 0, rtSum: 0, rtCount: 0 }));
    b.traces++;
    // The root segment's outcome: fault > error (a throttle is an error); a trace without a root
    // segment has neither and counts as ok.
    if (t.fault) b.faults++;
    else if (t.rootThrottle || t.error) b.errors++;
    if (!t.fault && t.rootThrottle) b.throttles++;
    if (t.rt !== null) {
      b.rtSum += t.rt;
      b.rtCount++;
    }
  }
  const timeSeries = [];
  for (let k = 0; start + k * q.period < end; k++) {
    const b = series.get(k);
    timeSeries.push({
      timestamp: start + k * q.period,
      traces: b?.traces ?? 0,
      ok: b ? b.traces - b.faults - b.errors : 0,
      errors: b?.errors ?? 0,
      faults: b?.faults ?? 0,
      throttles: b?.throttles ?? 0,
      responseTimeAvg: b && b.rtCount > 0 ? b.rtSum / b.rtCount : null,
    });
  }
  return {
    traces: facts.length,
    responseTime: {
      buckets,
      p50: quantileCont(rts, 0.5),
      p90: quantileCont(rts, 0.9),
      p99: quantileCont(rts, 0.99),
      max,
    },
    timeSeries,
  };
}

/** Counts by key, most first, ties by name then by the rest of the key; at most `limit`. */
function top<T>(counts: Map<string, { item: T; n: number }>, name: (t: T) => string, rest: (t: T) => string, limit: number): T[] {
  return [...counts.values()]
    .sort((a, b) => b.n - a.n || byText(name(a.item), name(b.item)) || byText(rest(a.item), rest(b.item)))
    .slice(0, limit)
    .map((c) => c.item);
}

function count<T>(counts: Map<string, { item: T; n: number }>, key: string, item: T): void {
  const c = counts.get(key);
  if (c) c.n++;
  else counts.set(key, { item, n: 1 });
}

/**
 * Services count their segments and the calls standing for inferred nodes; annotation keys the
 * spans carrying them (per value type); users the traces they appear in. All over spans filed in
 * the range, each trace's inferred calls relative to its spans filed there.
 */
export function suggestions(table: SpanTable, range: TimeRange): Suggestions {
  type Service = { name: string; type: string };
  type Key = { key: string; type: 'string' | 'number' | 'boolean' };
  const services = new Map<string, { item: Service; n: number }>();
  const keys = new Map<string, { item: Key; n: number }>();
  const users = new Map<string, { item: string; n: number }>();
  for (const [, all] of table.traces()) {
    const spans = all.filter((s) => filedIn(s, range));
    if (spans.length === 0) continue;
    const traceUsers = new Set<string>();
    for (const s of spans) {
      if (s.kind === 'segment' && s.owner) {
        const { service: name, serviceType: type } = s.owner;
        count(services, `${type}\u0000${name}`, { name, type });
      }
      for (const [key, value] of Object.entries(s.annotations)) {
        const type = typeof value as Key['type'];
        count(keys, `${type}\u0000${key}`, { key, type });
      }
      if (s.user !== null) traceUsers.add(s.user);
    }
    for (const c of buildTraceModel(spans).inferredCalls)
      count(services, `${c.downstream!.type}\u0000${c.downstream!.name}`, { ...c.downstream! });
    for (const u of traceUsers) count(users, u, u);
  }
  return {
    services: top(
      services,
      (s) => s.name,
      (s) => s.type,
      500,
    ),
    annotationKeys: top(
      keys,
      (k) => k.key,
      (k) => k.type,
      500,
    ),
    users: top(
      users,
      (u) => u,
      () => '',
      100,
    ),
  };
}

/**
 * Duration quantiles per operation (analytics.ts in DuckDB): the completed, linked spans filed in
 * the range, grouped by owning service and name, each group's durations sorted for `quantileCont`.
 */
export function operationStats(table: SpanTable, q: OperationStatsQuery): OperationStats[] {
  const key = (service: string, name: string) => `${service}\u0000${name}`;
  const durations = new Map<string, number[]>(q.operations.map((o) => [key(o.service, o.name), []]));
  for (const [, spans] of table.traces()) {
    for (const s of spans) {
      if (!s.owner || s.endTime === null || s.inProgress || !filedIn(s, q.range)) continue;
      durations.get(key(s.owner.service, s.name))?.push(s.endTime - s.startTime);
    }
  }
  return q.operations.map((o) => {
    const sorted = durations.get(key(o.service, o.name))!.sort((a, b) => a - b);
    return {
      service: o.service,
      name: o.name,
      count: sorted.length,
      p50: quantileCont(sorted, 0.5),
      p95: quantileCont(sorted, 0.95),
      p99: quantileCont(sorted, 0.99),
    };
  });
}
