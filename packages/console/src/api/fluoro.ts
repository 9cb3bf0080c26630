import { get, post } from './client';
import type { About, AnalyzeResponse, GroupBy, GroupsResponse, StatsResponse, SuggestionsResponse } from './native-types';
import type {
  BatchGetTracesResponse,
  SamplingRule,
  SamplingRuleRecord,
  SamplingRulesResponse,
  SamplingRuleUpdate,
  SamplingStatisticSummariesResponse,
  SamplingStatisticSummary,
  ServiceGraphResponse,
  TraceSummariesResponse,
  XrayService,
} from './xray-types';

/** A query window in epoch seconds, `[start, end)`. */
export interface Window {
  start: number;
  end: number;
}

/** Upper bound on graph pages: a graph larger than this is not drawable anyway. */
const MAX_GRAPH_PAGES = 20;

export async function getServiceGraph(w: Window, signal?: AbortSignal): Promise<XrayService[]> {
  const services: XrayService[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_GRAPH_PAGES; page++) {
    const r = await post<ServiceGraphResponse>('GetServiceGraph', '/ServiceGraph', { StartTime: w.start, EndTime: w.end, ...(token ? { NextToken: token } : {}) }, signal);
    services.push(...r.Services);
    token = r.NextToken;
    if (!token) break;
  }
  return services;
}

export async function getTraceGraph(traceIds: string[], signal?: AbortSignal): Promise<XrayService[]> {
  const r = await post<ServiceGraphResponse>('GetTraceGraph', '/TraceGraph', { TraceIds: traceIds }, signal);
  return r.Services;
}

export function getTraceSummaries(w: Window, filter: string, nextToken: string | undefined, signal?: AbortSignal): Promise<TraceSummariesResponse> {
  return post<TraceSummariesResponse>(
    'GetTraceSummaries',
    '/TraceSummaries',
    { StartTime: w.start, EndTime: w.end, TimeRangeType: 'TraceId', ...(filter.trim() ? { FilterExpression: filter } : {}), ...(nextToken ? { NextToken: nextToken } : {}) },
    signal,
  );
}

/** Every segment document of one trace (all pages), in X-Ray's processed form. */
export async function batchGetTrace(traceId: string, signal?: AbortSignal): Promise<{ id: string | null; documents: string[] }> {
  const documents: string[] = [];
  let id: string | null = null;
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const r = await post<BatchGetTracesResponse>('BatchGetTraces', '/Traces', { TraceIds: [traceId], ...(token ? { NextToken: token } : {}) }, signal);
    for (const t of r.Traces) {
      id = t.Id;
      for (const s of t.Segments) documents.push(s.Document);
    }
    token = r.NextToken;
    if (!token) break;
  }
  return { id, documents };
}

/** Upper bound on pages of rules (100 each) and statistics (500 windows each): far above any real count. */
const MAX_SAMPLING_PAGES = 100;

/** Every sampling rule, in the order SDKs evaluate them (priority, then name), as Fluoro answers. */
export async function getSamplingRules(signal?: AbortSignal): Promise<SamplingRuleRecord[]> {
  const records: SamplingRuleRecord[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_SAMPLING_PAGES; page++) {
    const r = await post<SamplingRulesResponse>('GetSamplingRules', '/GetSamplingRules', token ? { NextToken: token } : {}, signal);
    records.push(...r.SamplingRuleRecords);
    token = r.NextToken;
    if (!token) break;
  }
  return records;
}

/** What SDKs reported per rule and 10-second window over the last hour, oldest first. */
export async function getSamplingStatistics(signal?: AbortSignal): Promise<SamplingStatisticSummary[]> {
  const out: SamplingStatisticSummary[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_SAMPLING_PAGES; page++) {
    const r = await post<SamplingStatisticSummariesResponse>('GetSamplingStatisticSummaries', '/SamplingStatisticSummaries', token ? { NextToken: token } : {}, signal);
    out.push(...r.SamplingStatisticSummaries);
    token = r.NextToken;
    if (!token) break;
  }
  return out;
}

export const createSamplingRule = (rule: Omit<SamplingRule, 'RuleARN'>) => post<{ SamplingRuleRecord: SamplingRuleRecord }>('CreateSamplingRule', '/CreateSamplingRule', { SamplingRule: rule });

export const updateSamplingRule = (update: SamplingRuleUpdate) => post<{ SamplingRuleRecord: SamplingRuleRecord }>('UpdateSamplingRule', '/UpdateSamplingRule', { SamplingRuleUpdate: update });

export const deleteSamplingRule = (ruleName: string) => post<{ SamplingRuleRecord: SamplingRuleRecord }>('DeleteSamplingRule', '/DeleteSamplingRule', { RuleName: ruleName });

export const getAbout = (signal?: AbortSignal) => get<About>('About', '/api/v1/about', signal);

export const analyzeFilterRemote = (expression: string, signal?: AbortSignal) =>
  post<AnalyzeResponse>('Filter analysis', '/api/v1/filter/analyze', { expression, entitySelector: false }, signal);

export const getGroups = (w: Window, filter: string, by: GroupBy, limit: number, signal?: AbortSignal) =>
  post<GroupsResponse>('Group traces', '/api/v1/traces/groups', { start: w.start, end: w.end, by, limit, ...(filter.trim() ? { filter } : {}) }, signal);

export const getStats = (w: Window, filter: string, signal?: AbortSignal) =>
  post<StatsResponse>('Trace statistics', '/api/v1/traces/stats', { start: w.start, end: w.end, ...(filter.trim() ? { filter } : {}) }, signal);

export const getSuggestions = (w: Window, signal?: AbortSignal) => post<SuggestionsResponse>('Suggestions', '/api/v1/suggestions', { start: w.start, end: w.end }, signal);
