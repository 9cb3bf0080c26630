import { parseFilter, parseTraceId } from '@fluoro/core';
import { filterTraces } from '../../../../../fixtures/index.js';
import { planFilter } from '../../query/filter-planner.js';
import type { TraceFilter } from '../../query/plan.js';
import { planSelector } from '../../query/selector-planner.js';
import type { SummaryQuery } from '../api/index.js';
import type { SqlDialect } from './dialect.js';
import type { SqlFragment } from './fragment.js';
import { graphEvents, selectorEvents } from './graph.js';
import { pageQuery, processedQuery, rowsAnswer, spanTraceRows } from './traces.js';

/**
 * The queries whose SQL is golden-tested per dialect (`golden/<dialect>/<name>.sql`), over the
 * window of fixtures/traces/filters.json so that the DuckDB files can be executed against it.
 * Together they use every form a filter plan has: root-segment facts, any-span values, typed
 * annotations, service and edge blocks (with the root and callee joins), whole-trace quantities,
 * root causes at each level, root-cause patterns, negation, and sets of candidates. The `rows-`
 * cases are the same selections answered from trace rows (computed from the spans here, as a
 * store computes those of the minutes it has not rolled up).
 */
export interface GoldenCase {
  readonly name: string;
  /** The filter expression, for filter cases (the DuckDB files are checked against the evaluator). */
  readonly filter?: string;
  build(d: SqlDialect): SqlFragment;
}

const fx = filterTraces();
// The X-Ray traces and the OTLP ones after them.
export const GOLDEN_WINDOW = { start: fx.base, end: fx.otlpWindow.end };

export function goldenFilter(text: string): TraceFilter {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return { expr: parsed.filter, plan: planFilter(parsed.filter) };
}

function summaries(
  filter: TraceFilter | null,
  rangeType: SummaryQuery['rangeType'] = 'TraceId',
  after: SummaryQuery['after'] = null,
): SummaryQuery {
  return { range: GOLDEN_WINDOW, rangeType, filter, limit: 1000, after };
}

const FILTERS: ReadonlyArray<[name: string, filter: string]> = [
  ['filter-ok', 'ok'],
  ['filter-not-ok', '!ok'],
  ['filter-root-facts', 'responsetime > 1 AND http.status = 500'],
  [
    'filter-url-method',
    'http.url CONTAINS "/api/" AND http.method = "GET" AND http.useragent BEGINSWITH "curl" OR http.clientip ENDSWITH ".1"',
  ],
  ['filter-route', 'http.route = "/api/products/{id}" OR service("backend.example.com") { http.route BEGINSWITH "/v1/" }'],
  ['filter-any-span-user', 'user = "u1"'],
  ['filter-annotations', 'annotation.tier = "gold" AND annotation.items >= 2 AND annotation[vip] = true'],
  ['filter-annotation-present', 'annotation.tier'],
  ['filter-service-block', 'service("backend.example.com") { fault }'],
  [
    'filter-service-nodes',
    'service("backend.example.com") OR service(id(type: "AWS::DynamoDB::Table")) OR !service(id(name: "api.example.com", account.id: "123456789012"))',
  ],
  ['filter-service-by-type', 'service(id(type: "AWS::DynamoDB::Table")) { throttle }'],
  ['filter-service-root', 'service() { root AND responsetime > 0.5 }'],
  ['filter-edge-block', 'edge("api.example.com", "backend.example.com") { error OR fault }'],
  ['filter-throttle-partial', 'throttle AND !partial'],
  ['filter-inferred', 'inferred'],
  ['filter-duration', 'duration > 1.5'],
  ['filter-rootcause-service', 'rootcause.fault.service { name = "backend.example.com" AND last }'],
  ['filter-rootcause-entity', 'rootcause.responsetime.entity { coverage > 0.5 AND !remote }'],
  ['filter-rootcause-exception', 'rootcause.error.exception { message CONTAINS "timeout" OR index = 0 }'],
  ['filter-rootcause-json', 'rootcause.json = #[{"Services": [{"Name": "api.example.com", "Inferred": false}], "ClientImpacting": true}]'],
  ['filter-trace-id', fx.traceIds['F1']!],
  ['filter-candidate-sets', 'service("orders") { fault } OR rootcause.fault.service { name = "backend.example.com" }'],
];

export const GOLDEN_CASES: readonly GoldenCase[] = [
  { name: 'summaries-trace-id', build: (d) => pageQuery(summaries(null), d) },
  { name: 'summaries-event', build: (d) => pageQuery(summaries(null, 'Event'), d) },
  {
    name: 'summaries-service-after-cursor',
    build: (d) => pageQuery(summaries(null, 'Service', { time: fx.base + 100, traceId: parseTraceId(fx.traceIds['F1']!)! }), d),
  },
  { name: 'summaries-processed', build: (d) => processedQuery(summaries(null), d) },
  ...FILTERS.map(([name, filter]) => ({ name, filter, build: (d: SqlDialect) => pageQuery(summaries(goldenFilter(filter)), d) })),
  { name: 'rows-summaries-trace-id', build: (d) => pageQuery(summaries(null), d, spanTraceRows(d)) },
  { name: 'rows-summaries-processed', build: (d) => processedQuery(summaries(null), d, spanTraceRows(d)) },
  ...FILTERS.filter(([, filter]) => rowsAnswer(summaries(goldenFilter(filter)))).map(([name, filter]) => ({
    name: `rows-${name}`,
    filter,
    build: (d: SqlDialect) => pageQuery(summaries(goldenFilter(filter)), d, spanTraceRows(d)),
  })),
  { name: 'graph-window', build: (d) => graphEvents({ range: GOLDEN_WINDOW }, d) },
  {
    name: 'graph-traces',
    build: (d) => graphEvents({ traceIds: [parseTraceId(fx.traceIds['F1']!)!, parseTraceId(fx.traceIds['F2']!)!] }, d),
  },
  ...(
    [
      ['selector-client', null],
      ['selector-service', 'service("api.example.com")'],
      ['selector-service-id', 'service(id(name: "random-name", type: "AWS::Lambda::Function"))'],
      ['selector-edges', 'edge("api.example.com", "backend.example.com") OR edge("frontend", "orders")'],
    ] as const
  ).map(([name, selector]) => ({
    name,
    build: (d: SqlDialect) => {
      const parsed = selector === null ? null : parseFilter(selector, { entitySelector: true });
      if (parsed && !parsed.ok) throw new Error(parsed.message);
      return graphEvents({ range: GOLDEN_WINDOW }, d, {
        period: 60,
        where: selectorEvents(planSelector(parsed ? parsed.filter : null)).where,
      });
    },
  })),
];
