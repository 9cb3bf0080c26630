/**
 * What a backend can answer besides storing and reading whole traces. The zero value (every field
 * false) is the least capable backend. Backends declare these; the trace query service
 * (`signals/traces/query.ts`) is the one place that reads them, and it refuses a request a
 * backend cannot serve (`UnsupportedByStore`) rather than approximating it.
 */
export interface Capabilities {
  /** X-Ray filter expressions in trace summaries and trace analytics. */
  readonly filters: boolean;
  /** `rootcause.*` and `rootcause.json` in filters: the backend reads the root causes it stores. */
  readonly rootCauseFilters: boolean;
  /** Entity selectors in service time series (GetTimeSeriesServiceStatistics). */
  readonly entitySelectors: boolean;
  /** Trace analytics: group-by counts, response-time distribution, suggestions, operation durations. */
  readonly analytics: boolean;
}

export const NO_CAPABILITIES: Capabilities = Object.freeze({
  filters: false,
  rootCauseFilters: false,
  entitySelectors: false,
  analytics: false,
});

/** How a capability is named when a request needs it and the backend lacks it. */
export const CAPABILITY_LABEL: Readonly<Record<keyof Capabilities, string>> = {
  filters: 'filter expressions',
  rootCauseFilters: 'root-cause filters (rootcause.*)',
  entitySelectors: 'entity selectors',
  analytics: 'trace analytics',
};
