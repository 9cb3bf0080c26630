import type { RootCause, RootCauseEntity, RootCauses } from '@fluoro/core';
import type { RootCauseStore, TimeRange, TraceAnalysis } from '../api/index.js';

export const NO_ROOT_CAUSES: RootCauses = Object.freeze({ fault: [], error: [], responseTime: [] });

/**
 * The root causes written through `rootCauses.write`, parsed back into core's shape so that
 * `evaluate` judges `rootcause.*` filters on what was stored, not on a fresh analysis: a trace
 * never analysed has none, and an analysis that lags the spans is what filters see.
 */
export class MemoryRootCauses implements RootCauseStore {
  readonly #byTrace = new Map<string, { traceTime: number; causes: RootCauses }>();

  async write(analyses: readonly TraceAnalysis[]): Promise<void> {
    // Parse everything first: a malformed document fails the write before any of it is applied.
    const parsed = analyses.map((a) => ({
      traceId: a.traceId,
      traceTime: a.traceTime,
      causes: {
        fault: a.causes.fault.map(rootCauseFromJson),
        error: a.causes.error.map(rootCauseFromJson),
        responseTime: a.causes.responsetime.map(rootCauseFromJson),
      },
    }));
    // The latest analysis of a trace wins whole, whatever `replaces` hints.
    for (const { traceId, traceTime, causes } of parsed) this.#byTrace.set(traceId, { traceTime, causes });
  }

  /**
   * A trace's stored root causes. As DuckDB's root-cause lookups, only analyses filed within
   * `bounds` (the query window widened by the trace spread) count.
   */
  of(traceId: string, bounds: TimeRange): RootCauses {
    const stored = this.#byTrace.get(traceId);
    if (!stored || stored.traceTime < bounds.start || stored.traceTime >= bounds.end) return NO_ROOT_CAUSES;
    return stored.causes;
  }

  deleteBefore(before: number): void {
    for (const [traceId, { traceTime }] of this.#byTrace) if (traceTime < before) this.#byTrace.delete(traceId);
  }

  clear(): void {
    this.#byTrace.clear();
  }
}

/** The API shape `rootCauseJson` (@fluoro/core) writes; fields a document lacks read as empty. */
interface RootCauseDoc {
  readonly Services?: ReadonlyArray<{
    readonly Name: string;
    readonly Type: string;
    readonly Inferred?: boolean;
    readonly AccountId?: string;
    readonly EntityPath?: ReadonlyArray<{
      readonly Name: string;
      readonly Remote?: boolean;
      readonly Coverage?: number;
      readonly Exceptions?: ReadonlyArray<{ readonly Name: string; readonly Message: string }>;
    }>;
  }>;
  readonly ClientImpacting?: boolean;
}

/**
 * The inverse of `rootCauseJson`: `rootCauseJson(rootCauseFromJson(JSON.stringify(rootCauseJson(c))))`
 * equals `rootCauseJson(c)`, so `rootcause.json` patterns see exactly the stored document.
 * Response-time entities carry `Coverage`, fault and error entities `Exceptions`; a response-time
 * entity's exceptions, which the API shape drops, read back empty (the checker refuses
 * `rootcause.responsetime.exception`, so no filter can tell).
 */
export function rootCauseFromJson(text: string): RootCause {
  const doc = JSON.parse(text) as RootCauseDoc;
  return {
    services: (doc.Services ?? []).map((s) => ({
      name: s.Name,
      type: s.Type,
      accountId: s.AccountId ?? null,
      inferred: s.Inferred ?? false,
      entityPath: (s.EntityPath ?? []).map((e): RootCauseEntity =>
        e.Coverage !== undefined
          ? { name: e.Name, exceptions: [], remote: e.Remote ?? false, coverage: e.Coverage }
          : {
              name: e.Name,
              exceptions: (e.Exceptions ?? []).map((x) => ({ name: x.Name, message: x.Message })),
              remote: e.Remote ?? false,
              coverage: null,
            },
      ),
    })),
    clientImpacting: doc.ClientImpacting ?? false,
  };
}
