/**
 * The root causes of one trace, as last worked out (`rootCauses` in @fluoro/core): per category,
 * each root cause as JSON text in the API's shape (`rootCauseJson`).
 */
export interface TraceAnalysis {
  readonly traceId: string;
  readonly traceTime: number;
  readonly causes: Readonly<Record<'fault' | 'error' | 'responsetime', readonly string[]>>;
  /** The trace may have been analysed before (a hint, as `SpanWrite.supersedes` is). */
  readonly replaces: boolean;
}

/**
 * Results derived from stored spans by jobs outside the ingest pipeline (`derived/`): today the
 * root causes that `rootcause.*` filters match against.
 *
 * `write` stores each trace's analysis; it replaces whatever was stored for that trace before
 * (the latest write wins, whole: a cause the new analysis lacks is gone). Idempotent; resolves
 * once durable; no ordering with span writes is promised (analysis trails ingest). A trace never
 * analysed has no root causes, so root-cause filters do not select it.
 */
export interface RootCauseStore {
  write(analyses: readonly TraceAnalysis[]): Promise<void>;
}
