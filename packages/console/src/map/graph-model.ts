import type { HistogramEntry, SummaryStatistics, XrayService } from '../api/xray-types';
import { blockCondition, edgeSelector, serviceSelector, withBlock, type Status } from '../filter/expressions';
import { activeMinutes, quantile, type Traffic } from './signals';

/**
 * The service map's model, from `GetServiceGraph` / `GetTraceGraph`: nodes with their health
 * split and rates, edges with their traffic, and the filter expression that selects the traces
 * behind each. Pure; the map and its tests share it.
 */

export type NodeKind = 'client' | 'service' | 'aws' | 'database' | 'remote';

export interface Health {
  total: number;
  ok: number;
  /** 4xx other than 429. */
  error: number;
  /** 5xx. */
  fault: number;
  /** 429 (counted inside X-Ray's ErrorStatistics; here apart, as the ring shows it). */
  throttle: number;
  /** Seconds; null without requests. */
  avgResponseTime: number | null;
  /** Seconds, from the response-time histogram; null without one. */
  p95: number | null;
  /** Minutes with traffic it is averaged over (`activeMinutes`). */
  minutes: number;
  /** Requests per minute over those minutes, not over the whole window. */
  perMinute: number;
}

export interface MapNode {
  id: string;
  /** As the graph numbers the node (Fluoro always does; the model lets it be left out). */
  referenceId: number | undefined;
  name: string;
  type: string;
  kind: NodeKind;
  /** Sent no segments of its own (State unknown): inferred from calls to it. */
  inferred: boolean;
  root: boolean;
  health: Health;
  histogram: HistogramEntry[];
  /** Another node has the same name: filters must name the type too. */
  ambiguous: boolean;
}

export interface MapEdge {
  id: string;
  source: string;
  target: string;
  sourceName: string;
  targetName: string;
  fromClient: boolean;
  health: Health;
  histogram: HistogramEntry[];
}

export interface MapGraph {
  nodes: MapNode[];
  edges: MapEdge[];
}

export function kindOf(type: string): NodeKind {
  if (type === 'client') return 'client';
  if (type === 'remote') return 'remote';
  if (type.startsWith('Database::')) return 'database';
  if (
    type === 'service' ||
    /^AWS::(EC2::Instance|ECS::Container|EKS::Container|ElasticBeanstalk::Environment|Lambda::Function|AppRunner)/.test(type)
  )
    return 'service';
  if (type.startsWith('AWS::')) return 'aws';
  return 'service';
}

const ZERO: SummaryStatistics = { OkCount: 0, TotalCount: 0, TotalResponseTime: 0 };

/** A node's or an edge's health: its statistics, its histogram and the minutes it had traffic in. */
export function healthOf(stats: SummaryStatistics | undefined, histogram: readonly HistogramEntry[], minutes: number): Health {
  const s = stats ?? ZERO;
  const total = s.TotalCount ?? 0;
  const throttle = s.ErrorStatistics?.ThrottleCount ?? 0;
  const errorAll = s.ErrorStatistics?.TotalCount ?? 0;
  const fault = s.FaultStatistics?.TotalCount ?? 0;
  return {
    total,
    ok: s.OkCount ?? 0,
    error: Math.max(0, errorAll - throttle),
    fault,
    throttle,
    avgResponseTime: total > 0 ? (s.TotalResponseTime ?? 0) / total : null,
    p95: quantile(histogram, 0.95),
    minutes,
    perMinute: minutes > 0 ? total / minutes : 0,
  };
}

function sumStats(list: Array<SummaryStatistics | undefined>): SummaryStatistics {
  const out = {
    OkCount: 0,
    TotalCount: 0,
    TotalResponseTime: 0,
    ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 },
    FaultStatistics: { OtherCount: 0, TotalCount: 0 },
  };
  for (const s of list) {
    if (!s) continue;
    out.OkCount += s.OkCount ?? 0;
    out.TotalCount += s.TotalCount ?? 0;
    out.TotalResponseTime += s.TotalResponseTime ?? 0;
    out.ErrorStatistics.ThrottleCount += s.ErrorStatistics?.ThrottleCount ?? 0;
    out.ErrorStatistics.OtherCount += s.ErrorStatistics?.OtherCount ?? 0;
    out.ErrorStatistics.TotalCount += s.ErrorStatistics?.TotalCount ?? 0;
    out.FaultStatistics.OtherCount += s.FaultStatistics?.OtherCount ?? 0;
    out.FaultStatistics.TotalCount += s.FaultStatistics?.TotalCount ?? 0;
  }
  return out;
}

function mergeHistograms(list: Array<HistogramEntry[] | undefined>): HistogramEntry[] {
  const m = new Map<number, number>();
  for (const h of list) for (const { Value = 0, Count = 0 } of h ?? []) m.set(Value, (m.get(Value) ?? 0) + Count);
  return [...m].sort((a, b) => a[0] - b[0]).map(([Value, Count]) => ({ Value, Count }));
}

/** First start and last end of a client node's edges (it has no times of its own). */
function span(edges: ReadonlyArray<{ StartTime?: number; EndTime?: number }>): [number | undefined, number | undefined] {
  const starts = edges.map((e) => e.StartTime).filter((t): t is number => t !== undefined);
  const ends = edges.map((e) => e.EndTime).filter((t): t is number => t !== undefined);
  return [starts.length ? Math.min(...starts) : undefined, ends.length ? Math.max(...ends) : undefined];
}

/**
 * A node's id: its name and type (and account, where it has one), so that a link to it (the
 * `selected` parameter) and its place on the map survive other nodes coming and going, which
 * renumber X-Ray's ReferenceIds.
 */
export function nodeId(s: XrayService): string {
  const id = `${s.Name ?? ''}|${s.Type ?? 'service'}`;
  return s.AccountId ? `${id}|${s.AccountId}` : id;
}

/**
 * Builds the map model. Rates are per minute over the minutes each node and edge had traffic in
 * the window (`traffic`: the window, and the minutes any request entered); without `traffic`,
 * over the `windowSeconds` of a window ending now.
 */
export function buildGraph(services: readonly XrayService[], windowSeconds: number, traffic?: Traffic): MapGraph {
  const minutes = (first: number | undefined, last: number | undefined) =>
    traffic ? activeMinutes(first, last, traffic) : windowSeconds / 60;
  const byRef = new Map(services.map((s) => [s.ReferenceId, s]));
  const nameCount = new Map<string, number>();
  for (const s of services) if (s.Type !== 'client') nameCount.set(s.Name ?? '', (nameCount.get(s.Name ?? '') ?? 0) + 1);
  const nodes: MapNode[] = services.map((s) => {
    const type = s.Type ?? 'service';
    const kind = kindOf(type);
    // A client node has no statistics of its own: it is what its edges (into the root) saw.
    const stats = kind === 'client' ? sumStats((s.Edges ?? []).map((e) => e.SummaryStatistics)) : s.SummaryStatistics;
    const histogram =
      kind === 'client' ? mergeHistograms((s.Edges ?? []).map((e) => e.ResponseTimeHistogram)) : (s.ResponseTimeHistogram ?? []);
    const [first, last] = kind === 'client' ? span(s.Edges ?? []) : [s.StartTime, s.EndTime];
    return {
      id: nodeId(s),
      referenceId: s.ReferenceId,
      name: s.Name ?? '(unnamed)',
      type,
      kind,
      inferred: kind !== 'client' && s.State !== 'active',
      root: s.Root === true,
      health: healthOf(stats, histogram, minutes(first, last)),
      histogram,
      ambiguous: (nameCount.get(s.Name ?? '') ?? 0) > 1,
    };
  });
  const edges: MapEdge[] = [];
  for (const s of services) {
    for (const e of s.Edges ?? []) {
      const target = byRef.get(e.ReferenceId);
      if (!target) continue;
      edges.push({
        id: `${nodeId(s)}->${nodeId(target)}`,
        source: nodeId(s),
        target: nodeId(target),
        sourceName: s.Name ?? '',
        targetName: target.Name ?? '',
        fromClient: s.Type === 'client',
        health: healthOf(e.SummaryStatistics, e.ResponseTimeHistogram ?? [], minutes(e.StartTime, e.EndTime)),
        histogram: e.ResponseTimeHistogram ?? [],
      });
    }
  }
  return { nodes, edges };
}

/**
 * The traces behind a node: `service("cart") { fault }`. A client node stands for the requests
 * entering its root service, which the language writes as the edge from the client:
 * `edge("frontend", "frontend")`.
 */
export function nodeFilter(n: MapNode, statuses: readonly Status[], range: readonly [number, number] | null): string {
  const selector = n.kind === 'client' ? edgeSelector(n.name, n.name) : serviceSelector(n.name, n.type, n.ambiguous);
  return withBlock(selector, blockCondition(statuses, range));
}

/** The calls on an edge: `edge("a", "b") { responsetime >= 0.5 AND responsetime <= 2 }`. */
export function edgeFilter(e: MapEdge, statuses: readonly Status[], range: readonly [number, number] | null): string {
  const from = e.fromClient ? e.targetName : e.sourceName;
  return withBlock(edgeSelector(from, e.targetName), blockCondition(statuses, range));
}

export interface Bin {
  start: number;
  end: number;
  count: number;
}

const NICE = [1, 2, 5];

/** A width of 1, 2 or 5 × 10^k seconds that cuts `[0, max]` into at most `maxBins` bins. */
export function niceWidth(max: number, maxBins: number): number {
  const raw = Math.max(max, 1e-6) / maxBins;
  const exp = Math.floor(Math.log10(raw));
  for (const n of NICE) {
    const w = n * 10 ** exp;
    if (w >= raw) return w;
  }
  return 10 ** (exp + 1);
}

/** Re-bins a per-millisecond X-Ray histogram into at most `maxBins` equal bins from 0. */
export function binHistogram(h: readonly HistogramEntry[], maxBins = 40): Bin[] {
  if (h.length === 0) return [];
  const max = Math.max(...h.map((e) => e.Value ?? 0));
  const w = niceWidth(max, maxBins);
  const n = Math.max(1, Math.floor(max / w) + 1);
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ start: i * w, end: (i + 1) * w, count: 0 }));
  for (const { Value = 0, Count = 0 } of h) bins[Math.min(n - 1, Math.floor(Value / w + 1e-9))]!.count += Count;
  return bins;
}
