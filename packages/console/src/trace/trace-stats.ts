/**
 * Where a trace's time went, per service and per operation (service and span name). A span's
 * self time is its duration minus the time covered by its children (its subsegments and the
 * segments answering its calls, clipped to it, overlaps counted once): the time it spent in
 * itself. Pure, so it is tested without a browser.
 */
import type { TimelineModel, TimelineSpan } from './timeline-model';

export interface StatRow {
  /** Service group key, and for an operation the span name after it. */
  key: string;
  service: string;
  /** origin, `remote`, or `service` (as the timeline's groups). */
  serviceType: string;
  /** The span name; null in the per-service table. */
  operation: string | null;
  count: number;
  /**
   * Sum of the spans' durations, a span inside another of the same row (a nested subsegment of
   * the same service, a recursive operation) not counted again.
   */
  total: number;
  /** Sum of the spans' self times. */
  self: number;
  /** self over the trace's duration; spans running in parallel can add up past 1. */
  share: number;
}

export interface TraceStats {
  /** Seconds from the first start to the last end. */
  duration: number;
  services: StatRow[];
  operations: StatRow[];
}

const endOf = (s: TimelineSpan, model: TimelineModel) => Math.max(s.start, s.end ?? model.end);

/** Every span's self time in seconds (an in-progress span lasts until the trace's end). */
export function selfTimes(model: TimelineModel): Map<string, number> {
  const kids = new Map<string, TimelineSpan[]>();
  for (const s of model.spans.values()) {
    if (!s.parentId || s.parentId === s.id || !model.spans.has(s.parentId)) continue;
    const list = kids.get(s.parentId) ?? [];
    list.push(s);
    kids.set(s.parentId, list);
  }
  const out = new Map<string, number>();
  for (const s of model.spans.values()) {
    const start = s.start;
    const end = endOf(s, model);
    const intervals = (kids.get(s.id) ?? [])
      .map((c) => [Math.max(c.start, start), Math.min(endOf(c, model), end)] as const)
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    let covered = 0;
    let curA = -Infinity;
    let curB = -Infinity;
    for (const [a, b] of intervals) {
      if (a > curB) {
        if (curB > curA) covered += curB - curA;
        curA = a;
        curB = b;
      } else curB = Math.max(curB, b);
    }
    if (curB > curA) covered += curB - curA;
    out.set(s.id, Math.max(0, end - start - covered));
  }
  return out;
}

/** The per-service and per-operation tables, by self time, largest first. */
export function traceStats(model: TimelineModel): TraceStats {
  const self = selfTimes(model);
  const duration = Math.max(0, model.end - model.start);
  const groups = new Map(model.groups.map((g) => [g.key, g]));
  const services = new Map<string, StatRow>();
  const operations = new Map<string, StatRow>();
  const row = (table: Map<string, StatRow>, key: string, s: TimelineSpan, operation: string | null): StatRow => {
    let r = table.get(key);
    if (!r) {
      const g = groups.get(s.group);
      r = { key, service: g?.name ?? s.group, serviceType: g?.type ?? 'service', operation, count: 0, total: 0, self: 0, share: 0 };
      table.set(key, r);
    }
    return r;
  };
  // Whether an ancestor of `s` has the same key: its time is in that ancestor's total already.
  const insideSame = (s: TimelineSpan, keyOf: (x: TimelineSpan) => string): boolean => {
    const key = keyOf(s);
    let p = s.parentId ? model.spans.get(s.parentId) : undefined;
    for (let steps = 0; p && steps < model.spans.size; steps++) {
      if (keyOf(p) === key) return true;
      p = p.parentId ? model.spans.get(p.parentId) : undefined;
    }
    return false;
  };
  const serviceKey = (x: TimelineSpan) => x.group;
  const operationKey = (x: TimelineSpan) => `${x.group}\u0000${x.name}`;
  for (const s of model.spans.values()) {
    const d = endOf(s, model) - s.start;
    const mine = self.get(s.id) ?? 0;
    for (const [table, keyOf, operation] of [
      [services, serviceKey, null],
      [operations, operationKey, s.name],
    ] as const) {
      const r = row(table, keyOf(s), s, operation);
      r.count++;
      r.self += mine;
      if (!insideSame(s, keyOf)) r.total += d;
    }
  }
  const finish = (table: Map<string, StatRow>) =>
    sortStats(
      [...table.values()].map((r) => ({ ...r, share: duration > 0 ? r.self / duration : 0 })),
      'self',
      true,
    );
  return { duration, services: finish(services), operations: finish(operations) };
}

export type StatColumn = 'service' | 'operation' | 'count' | 'total' | 'self' | 'share';

/** Sorted by one column (names alphabetically), ties by self time then name. */
export function sortStats(rows: readonly StatRow[], column: StatColumn, descending: boolean): StatRow[] {
  const dir = descending ? -1 : 1;
  const value = (r: StatRow): number | string =>
    column === 'service' ? r.service : column === 'operation' ? (r.operation ?? '') : r[column];
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return c * dir || b.self - a.self || a.key.localeCompare(b.key);
  });
}
