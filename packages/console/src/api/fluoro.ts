import { del, get, post } from './client';
import type {
  AboutResponse,
  AnalyzeRequest,
  AnalyzeResponse,
  GroupBy,
  GroupsRequest,
  GroupsResponse,
  Operation,
  OperationsRequest,
  OperationsResponse,
  OperationStats,
  RankBy,
  PointsRequest,
  PointsResponse,
  RankedRequest,
  RankedResponse,
  SessionRequest,
  SessionResponse,
  StatsRequest,
  StatsResponse,
  SuggestionsRequest,
  SuggestionsResponse,
} from '@fluoro/contracts';
import type {
  BatchGetTracesResponse,
  SamplingRule,
  SamplingRuleRecord,
  SamplingRulesResponse,
  SamplingRuleUpdate,
  SamplingStatisticSummariesResponse,
  SamplingStatisticSummary,
  ServiceGraphResponse,
  TraceGraphResponse,
  TraceSummariesResponse,
  XrayService,
} from './xray-types';

/** A query window in epoch seconds, `[start, end)`. */
export interface Window {
  start: number;
  end: number;
}

/**
 * Every page of a paginated X-Ray operation (`NextToken`): the `key` list of each, in order (a
 * page without one adds nothing). At most `maxPages` pages are asked for.
 */
async function allPages<R extends { NextToken?: string }, K extends keyof R>(
  operation: string,
  path: string,
  body: object,
  key: K,
  maxPages: number,
  signal?: AbortSignal,
): Promise<NonNullable<R[K]>> {
  const items: unknown[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const r = await post<R>(operation, path, { ...body, ...(token ? { NextToken: token } : {}) }, signal);
    items.push(...((r[key] ?? []) as unknown[]));
    token = r.NextToken;
    if (!token) break;
  }
  return items as NonNullable<R[K]>;
}

/** Upper bound on graph pages: a graph larger than this is not drawable anyway. */
const MAX_GRAPH_PAGES = 20;

export function getServiceGraph(w: Window, signal?: AbortSignal): Promise<XrayService[]> {
  return allPages<ServiceGraphResponse, 'Services'>(
    'GetServiceGraph',
    '/ServiceGraph',
    { StartTime: w.start, EndTime: w.end },
    'Services',
    MAX_GRAPH_PAGES,
    signal,
  );
}

export async function getTraceGraph(traceIds: string[], signal?: AbortSignal): Promise<XrayService[]> {
  const r = await post<TraceGraphResponse>('GetTraceGraph', '/TraceGraph', { TraceIds: traceIds }, signal);
  return r.Services ?? [];
}

export function getTraceSummaries(
  w: Window,
  filter: string,
  nextToken: string | undefined,
  signal?: AbortSignal,
): Promise<TraceSummariesResponse> {
  return post<TraceSummariesResponse>(
    'GetTraceSummaries',
    '/TraceSummaries',
    {
      StartTime: w.start,
      EndTime: w.end,
      TimeRangeType: 'TraceId',
      ...(filter.trim() ? { FilterExpression: filter } : {}),
      ...(nextToken ? { NextToken: nextToken } : {}),
    },
    signal,
  );
}

/** Every segment document of one trace (all pages), in X-Ray's processed form. */
export async function batchGetTrace(traceId: string, signal?: AbortSignal): Promise<{ id: string | null; documents: string[] }> {
  const traces = await allPages<BatchGetTracesResponse, 'Traces'>(
    'BatchGetTraces',
    '/Traces',
    { TraceIds: [traceId] },
    'Traces',
    100,
    signal,
  );
  return { id: traces.at(-1)?.Id ?? null, documents: traces.flatMap((t) => (t.Segments ?? []).flatMap((s) => s.Document ?? [])) };
}

/** Upper bound on pages of rules (100 each) and statistics (500 windows each): far above any real count. */
const MAX_SAMPLING_PAGES = 100;

/** Every sampling rule, in the order SDKs evaluate them (priority, then name), as Fluoro answers. */
export function getSamplingRules(signal?: AbortSignal): Promise<SamplingRuleRecord[]> {
  return allPages<SamplingRulesResponse, 'SamplingRuleRecords'>(
    'GetSamplingRules',
    '/GetSamplingRules',
    {},
    'SamplingRuleRecords',
    MAX_SAMPLING_PAGES,
    signal,
  );
}

/** What SDKs reported per rule and 10-second window over the last hour, oldest first. */
export function getSamplingStatistics(signal?: AbortSignal): Promise<SamplingStatisticSummary[]> {
  return allPages<SamplingStatisticSummariesResponse, 'SamplingStatisticSummaries'>(
    'GetSamplingStatisticSummaries',
    '/SamplingStatisticSummaries',
    {},
    'SamplingStatisticSummaries',
    MAX_SAMPLING_PAGES,
    signal,
  );
}

export const createSamplingRule = (rule: Omit<SamplingRule, 'RuleARN'>) =>
  post<{ SamplingRuleRecord: SamplingRuleRecord }>('CreateSamplingRule', '/CreateSamplingRule', { SamplingRule: rule });

export const updateSamplingRule = (update: SamplingRuleUpdate) =>
  post<{ SamplingRuleRecord: SamplingRuleRecord }>('UpdateSamplingRule', '/UpdateSamplingRule', { SamplingRuleUpdate: update });

export const deleteSamplingRule = (ruleName: string) =>
  post<{ SamplingRuleRecord: SamplingRuleRecord }>('DeleteSamplingRule', '/DeleteSamplingRule', { RuleName: ruleName });

export const getAbout = (signal?: AbortSignal) => get<AboutResponse>('About', '/api/v1/about', signal);

export const getSession = () => get<SessionResponse>('Session', '/api/v1/session');
export const signIn = (request: SessionRequest) => post<SessionResponse>('Sign-in', '/api/v1/session', request);
export const signOut = () => del<SessionResponse>('Sign-out', '/api/v1/session');

export const analyzeFilterRemote = (expression: string, signal?: AbortSignal) =>
  post<AnalyzeResponse>(
    'Filter analysis',
    '/api/v1/filter/analyze',
    { expression, entitySelector: false } satisfies AnalyzeRequest,
    signal,
  );

export const getGroups = (w: Window, filter: string, by: GroupBy, limit: number, signal?: AbortSignal) =>
  post<GroupsResponse>(
    'Group traces',
    '/api/v1/traces/groups',
    { start: w.start, end: w.end, by, limit, ...(filter.trim() ? { filter } : {}) } satisfies GroupsRequest,
    signal,
  );

/** The first `limit` traces of the window in an order over all of them (not over a loaded page). */
export const getRankedTraces = (w: Window, filter: string, by: RankBy, dir: 'asc' | 'desc', limit: number, signal?: AbortSignal) =>
  post<RankedResponse>(
    'Ranked traces',
    '/api/v1/traces/ranked',
    { start: w.start, end: w.end, by, dir, limit, ...(filter.trim() ? { filter } : {}) } satisfies RankedRequest,
    signal,
  );

export const getTracePoints = (w: Window, filter: string, limit: number, signal?: AbortSignal) =>
  post<PointsResponse>(
    'Trace points',
    '/api/v1/traces/points',
    { start: w.start, end: w.end, limit, ...(filter.trim() ? { filter } : {}) } satisfies PointsRequest,
    signal,
  );

export const getStats = (w: Window, filter: string, signal?: AbortSignal) =>
  post<StatsResponse>(
    'Trace statistics',
    '/api/v1/traces/stats',
    { start: w.start, end: w.end, ...(filter.trim() ? { filter } : {}) } satisfies StatsRequest,
    signal,
  );

export const getSuggestions = (w: Window, signal?: AbortSignal) =>
  post<SuggestionsResponse>('Suggestions', '/api/v1/suggestions', { start: w.start, end: w.end } satisfies SuggestionsRequest, signal);

/** How long operations' spans take in the window (`POST /api/v1/traces/operations`), 500 operations a request. */
export async function getOperationStats(w: Window, operations: readonly Operation[], signal?: AbortSignal): Promise<OperationStats[]> {
  const chunks: Array<readonly Operation[]> = [];
  for (let i = 0; i < operations.length; i += 500) chunks.push(operations.slice(i, i + 500));
  const answers = await Promise.all(
    chunks.map((chunk) =>
      post<OperationsResponse>(
        'Operation durations',
        '/api/v1/traces/operations',
        { start: w.start, end: w.end, operations: chunk } satisfies OperationsRequest,
        signal,
      ),
    ),
  );
  return answers.flatMap((a) => a.operations);
}
