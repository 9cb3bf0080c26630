import { buildTraceModel, rootCauseJson, rootCauses, type RootCause, type Span } from '@fluoro/core';
import type { TraceAnalysis } from '../../storage/api/index.js';

/** A trace's root causes (`rootCauses` in @fluoro/core), serialized in the API's shape for storing. */
export function analyzeTrace(traceId: string, spans: readonly Span[], replaces: boolean): TraceAnalysis {
  let traceTime = Infinity;
  for (const s of spans) traceTime = Math.min(traceTime, s.traceTime);
  const causes = rootCauses(buildTraceModel(spans));
  const docs = (list: readonly RootCause[]): string[] => list.map((c) => JSON.stringify(rootCauseJson(c)));
  return {
    traceId,
    traceTime,
    replaces,
    causes: { fault: docs(causes.fault), error: docs(causes.error), responsetime: docs(causes.responseTime) },
  };
}
