// Shapes of Fluoro's native API (docs/native-api.md).

export interface About {
  version: string;
  listeners: { udp: string | null; http: string | null; otlpHttp?: string | null; otlpGrpc?: string | null; zipkin?: string | null };
}

export interface AnalyzeResponse {
  valid: boolean;
  canonical?: string;
  tokens: Array<{ start: number; end: number; class: string }>;
  diagnostics: Array<{ code: string; message: string; line: number; column: number; start: number; end: number }>;
}

export type GroupBy = 'http.url' | 'http.status' | 'http.method' | 'user' | 'service' | `annotation.${string}` | `annotation[${string}]`;

export interface TraceGroup {
  value: string | number | boolean | null;
  type?: string;
  traces: number;
  share: number;
  responseTimeAvg: number | null;
  faults: number;
  errors: number;
  throttles: number;
  filter: string;
}

export interface GroupsResponse {
  traces: number;
  groups: TraceGroup[];
  truncated: boolean;
}

export interface StatsResponse {
  traces: number;
  period: number;
  responseTime: {
    buckets: Array<{ start: number; end: number; traces: number }>;
    p50?: number | null;
    p90?: number | null;
    p99?: number | null;
    max?: number | null;
  };
  timeSeries: Array<{
    timestamp: number;
    traces: number;
    ok: number;
    errors: number;
    faults: number;
    throttles: number;
    responseTimeAvg: number | null;
  }>;
}

export interface SuggestionsResponse {
  services: Array<{ name: string; type: string }>;
  annotationKeys: Array<{ key: string; type: string }>;
  users: string[];
}
