// The parts of X-Ray's API shapes the console reads (packages/server/model, docs/xray-api.md).

export interface ErrorStatistics {
  ThrottleCount?: number;
  OtherCount?: number;
  TotalCount?: number;
}

export interface SummaryStatistics {
  OkCount?: number;
  ErrorStatistics?: ErrorStatistics;
  FaultStatistics?: { OtherCount?: number; TotalCount?: number };
  TotalCount?: number;
  TotalResponseTime?: number;
}

export interface HistogramEntry {
  /** Seconds. */
  Value: number;
  Count: number;
}

export interface XrayEdge {
  ReferenceId: number;
  StartTime?: number;
  EndTime?: number;
  SummaryStatistics?: SummaryStatistics;
  ResponseTimeHistogram?: HistogramEntry[];
}

export interface XrayService {
  ReferenceId: number;
  Name?: string;
  Names?: string[];
  Root?: boolean;
  Type?: string;
  State?: string;
  StartTime?: number;
  EndTime?: number;
  Edges?: XrayEdge[];
  SummaryStatistics?: SummaryStatistics;
  DurationHistogram?: HistogramEntry[];
  ResponseTimeHistogram?: HistogramEntry[];
}

export interface ServiceGraphResponse {
  StartTime?: number;
  EndTime?: number;
  Services: XrayService[];
  NextToken?: string;
}

export interface ServiceId {
  Name?: string;
  Names?: string[];
  Type?: string;
}

export interface RootCauseEntity {
  Name?: string;
  Coverage?: number;
  Remote?: boolean;
  Exceptions?: Array<{ Name?: string; Message?: string }>;
}

export interface RootCauseService extends ServiceId {
  Inferred?: boolean;
  EntityPath?: RootCauseEntity[];
}

export interface RootCause {
  Services?: RootCauseService[];
  ClientImpacting?: boolean;
}

export interface TraceSummary {
  Id: string;
  StartTime?: number;
  Duration?: number;
  ResponseTime?: number;
  HasFault?: boolean;
  HasError?: boolean;
  HasThrottle?: boolean;
  IsPartial?: boolean;
  Http?: { HttpURL?: string; HttpStatus?: number; HttpMethod?: string; UserAgent?: string; ClientIp?: string };
  Users?: Array<{ UserName?: string; ServiceIds?: ServiceId[] }>;
  ServiceIds?: ServiceId[];
  EntryPoint?: ServiceId;
  FaultRootCauses?: RootCause[];
  ErrorRootCauses?: RootCause[];
  ResponseTimeRootCauses?: RootCause[];
  MatchedEventTime?: number;
}

export interface TraceSummariesResponse {
  TraceSummaries: TraceSummary[];
  ApproximateTime?: number;
  TracesProcessedCount?: number;
  NextToken?: string;
}

export interface BatchGetTracesResponse {
  Traces: Array<{ Id: string; Duration?: number; LimitExceeded?: boolean; Segments: Array<{ Id: string; Document: string }> }>;
  UnprocessedTraceIds?: string[];
  NextToken?: string;
}

/** A sampling rule (`SamplingRule`, docs/sampling.md). FixedRate is 0–1. */
export interface SamplingRule {
  RuleName: string;
  RuleARN?: string;
  ResourceARN: string;
  Priority: number;
  FixedRate: number;
  ReservoirSize: number;
  ServiceName: string;
  ServiceType: string;
  Host: string;
  HTTPMethod: string;
  URLPath: string;
  Version: number;
  Attributes?: Record<string, string>;
}

export interface SamplingRuleRecord {
  SamplingRule: SamplingRule;
  /** Epoch seconds. */
  CreatedAt?: number;
  ModifiedAt?: number;
}

/** `SamplingRuleUpdate`: the rule's name and the members that change. */
export type SamplingRuleUpdate = { RuleName: string } & Partial<Omit<SamplingRule, 'RuleName' | 'RuleARN' | 'Version'>>;

export interface SamplingRulesResponse {
  SamplingRuleRecords: SamplingRuleRecord[];
  NextToken?: string;
}

/** What SDKs reported for one rule in one 10-second window. */
export interface SamplingStatisticSummary {
  RuleName: string;
  /** Start of the window, epoch seconds. */
  Timestamp: number;
  RequestCount: number;
  SampledCount: number;
  BorrowCount: number;
}

export interface SamplingStatisticSummariesResponse {
  SamplingStatisticSummaries: SamplingStatisticSummary[];
  NextToken?: string;
}
