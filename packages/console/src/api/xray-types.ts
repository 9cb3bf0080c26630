// The X-Ray API's shapes under the names the console uses: the types generated from the API
// model (@fluoro/contracts, packages/server/model), where every response member is optional.
import type * as Xray from '@fluoro/contracts';

export type { HistogramEntry, SamplingRuleUpdate, TraceSummary } from '@fluoro/contracts';

/** A node's or an edge's statistics (`ServiceStatistics`, `EdgeStatistics`: the same members). */
export type SummaryStatistics = Xray.ServiceStatistics;
export type XrayService = Xray.Service;
export type RootCause = Xray.FaultRootCause | Xray.ErrorRootCause | Xray.ResponseTimeRootCause;

export type ServiceGraphResponse = Xray.GetServiceGraphResult;
export type TraceGraphResponse = Xray.GetTraceGraphResult;
export type TraceSummariesResponse = Xray.GetTraceSummariesResult;
export type BatchGetTracesResponse = Xray.BatchGetTracesResult;

// Where the sampling pages rely on a member the model leaves optional, the type says so. Each
// holds for what Fluoro answers (packages/server/src/sampling: its records have every member).

/** A sampling rule as the console writes it and Fluoro answers it: named (the model also allows a rule given by ARN). */
export type SamplingRule = Xray.SamplingRule & { RuleName: string };
/** A rule record as Fluoro answers it: with its rule. */
export type SamplingRuleRecord = Xray.SamplingRuleRecord & { SamplingRule: SamplingRule };
/** What SDKs reported for one rule in one 10-second window: Fluoro sends every member. */
export type SamplingStatisticSummary = Required<Xray.SamplingStatisticSummary>;

export type SamplingRulesResponse = Xray.GetSamplingRulesResult & { SamplingRuleRecords?: SamplingRuleRecord[] };
export type SamplingStatisticSummariesResponse = Xray.GetSamplingStatisticSummariesResult & {
  SamplingStatisticSummaries?: SamplingStatisticSummary[];
};
