import { parseFilter, type CheckedFilter, type CheckOptions, type Expr, type ServiceGraph, type Span } from '@fluoro/core';
import { planFilter } from '../../query/filter-planner.js';
import type { SelectorPlan, TraceFilter } from '../../query/plan.js';
import { InvalidSelector, planSelector } from '../../query/selector-planner.js';
import { invalidRequest } from '../../platform/errors/catalog.js';
import {
  UnsupportedByStore,
  type Capabilities,
  type GraphScope,
  type OperationStats,
  type OperationStatsQuery,
  type StorageBackend,
  type Suggestions,
  type SummaryPage,
  type SummaryQuery,
  type TimeRange,
  type TimeSeriesPoint,
  type TraceGroupQuery,
  type TraceGroups,
  type TraceStats,
  type TraceStatsQuery,
  type TracePoints,
  type TracePointsQuery,
} from '../../storage/api/index.js';

export type {
  GraphScope,
  GroupBy,
  OperationKey,
  SummaryCursor,
  TimeRange,
  TimeRangeType,
  TimeSeriesPoint,
  TraceGroup,
} from '../../storage/api/index.js';
export type { TraceFilter } from '../../query/plan.js';

/** A filter expression a user sent, checked, with the member of the request it came in. */
export interface FilterInput {
  readonly text: string;
  /** The request member it came in, for messages: `FilterExpression`, `filter`… */
  readonly member: string;
}

/**
 * The trace signal's read side: what the APIs call, and the one place where a request is held to
 * what the store declares (`Capabilities`). Filters are parsed and checked here; a backend only
 * ever sees checked filters it can serve.
 */
export class TraceQueries {
  constructor(private readonly store: StorageBackend) {}

  get storeKind(): string {
    return this.store.kind;
  }

  /**
   * A filter expression, parsed, checked and planned for the store, or InvalidRequestException
   * saying where it is wrong (StoreUnsupported when the store cannot evaluate it).
   */
  filter(input: FilterInput): TraceFilter {
    this.#require('filters', input.member);
    const expr = this.#checked(input, {});
    if (usesRootCauses(expr)) this.#require('rootCauseFilters', input.member);
    return { expr, plan: planFilter(expr) };
  }

  /** An entity selector (GetTimeSeriesServiceStatistics), checked and planned; none: the requests entering the system. */
  selector(input: FilterInput | null): SelectorPlan {
    if (!input) return planSelector(null);
    this.#require('entitySelectors', input.member);
    const expr = this.#checked(input, { entitySelector: true });
    try {
      return planSelector(expr);
    } catch (err) {
      if (err instanceof InvalidSelector) throw invalidRequest(`${input.member}: ${err.message}`);
      throw err;
    }
  }

  #checked(input: FilterInput, options: CheckOptions): CheckedFilter {
    const result = parseFilter(input.text, options);
    if (!result.ok) throw invalidRequest(`${input.member}: ${result.message}`);
    return result.filter;
  }

  getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>> {
    return this.store.traces.getTraces(traceIds);
  }

  summaries(query: SummaryQuery): Promise<SummaryPage> {
    return this.store.traces.findTraceSummaries(query);
  }

  /** A window's graph is over whole minutes (`graphWindow`); given traces' graph over all they hold. */
  serviceGraph(scope: GraphScope): Promise<ServiceGraph> {
    return this.store.graph.getServiceGraph('range' in scope ? { range: graphWindow(scope.range) } : scope);
  }

  timeSeries(range: TimeRange, period: number, selector: SelectorPlan): Promise<TimeSeriesPoint[]> {
    return this.store.graph.getServiceTimeSeries(graphWindow(range), period, selector);
  }

  groupTraces(query: TraceGroupQuery, member = 'traces/groups'): Promise<TraceGroups> {
    this.#require('analytics', member);
    return this.store.analytics.groupTraces(query);
  }

  traceStats(query: TraceStatsQuery, member = 'traces/stats'): Promise<TraceStats> {
    this.#require('analytics', member);
    return this.store.analytics.traceStats(query);
  }

  tracePoints(query: TracePointsQuery, member = 'traces/points'): Promise<TracePoints> {
    this.#require('analytics', member);
    return this.store.analytics.tracePoints(query);
  }

  suggestions(range: TimeRange, member = 'suggestions'): Promise<Suggestions> {
    this.#require('analytics', member);
    return this.store.analytics.suggestions(range);
  }

  operationStats(query: OperationStatsQuery, member = 'traces/operations'): Promise<OperationStats[]> {
    this.#require('analytics', member);
    return this.store.analytics.operationStats(query);
  }

  #require(capability: keyof Capabilities, member: string): void {
    if (!this.store.capabilities[capability]) throw new UnsupportedByStore(capability, this.store.kind, member);
  }
}

function usesRootCauses(e: Expr): boolean {
  switch (e.kind) {
    case 'and':
    case 'or':
      return usesRootCauses(e.left) || usesRootCauses(e.right);
    case 'not':
      return usesRootCauses(e.operand);
    case 'rootcause':
    case 'rootcausejson':
      return true;
    default:
      return false;
  }
}

/**
 * The window a service graph or its time series covers: whole minutes, the start rounded down and
 * the end up (X-Ray's graph statistics are per minute too), so that a store can answer from
 * per-minute rollups exactly.
 */
export function graphWindow(range: TimeRange): TimeRange {
  return { start: Math.floor(range.start / 60) * 60, end: Math.ceil(range.end / 60) * 60 };
}
