/**
 * The demo's centralized sampling rule. The X-Ray SDK services ask Fluoro which requests to
 * record (GetSamplingRules, then GetSamplingTargets every 10 s with their counts), as they would
 * ask X-Ray; every shop trace enters at `frontend`, and the services it calls follow the decision
 * it sends in `X-Amzn-Trace-Id`. Fluoro's Default rule records 1 request a second and 5 % of the
 * rest, so the shop adds one that records them all, which the Sampling page then shows with the
 * SDKs' live counts. A rule of that name already there is left as it is (edit it on the Sampling
 * page to watch sampling take effect).
 */
export const DEMO_RULE = {
  RuleName: 'fluoro-demo-shop',
  Priority: 1000,
  FixedRate: 1,
  ReservoirSize: 0,
  ServiceName: 'frontend',
  ServiceType: '*',
  Host: '*',
  HTTPMethod: '*',
  URLPath: '*',
  ResourceARN: '*',
  Version: 1,
} as const;

/** Creates the demo's rule on the Fluoro at `http` (host:port) unless it is there: what was done, for the log. */
export async function ensureDemoRule(http: string): Promise<'created' | 'kept'> {
  const call = async (operation: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`http://${http}/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${operation}: ${res.status} ${String(json['message'] ?? '')}`.trim());
    return json;
  };
  let token: string | undefined;
  do {
    const page = await call('GetSamplingRules', token ? { NextToken: token } : {});
    const records = (page['SamplingRuleRecords'] ?? []) as Array<{ SamplingRule?: { RuleName?: string } }>;
    if (records.some((r) => r.SamplingRule?.RuleName === DEMO_RULE.RuleName)) return 'kept';
    token = page['NextToken'] as string | undefined;
  } while (token);
  await call('CreateSamplingRule', { SamplingRule: DEMO_RULE });
  return 'created';
}
