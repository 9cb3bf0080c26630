/**
 * The storage contracts as tests: one case file per contract, each fed by the shared fixtures.
 * Every backend runs them all against a real instance of itself (`<backend>/conformance.test.ts`);
 * a backend exists when they are green.
 */
import { analyticsCases } from './analytics.case.js';
import { rootCauseCases } from './derived.case.js';
import { filterCases } from './filters.case.js';
import { graphCases } from './graph.case.js';
import type { ConformanceTarget } from './harness.js';
import { ingestStateCases } from './ingest-state.case.js';
import { otelFieldCases } from './otel-fields.case.js';
import { recordCases } from './records.case.js';
import { retentionCases } from './retention.case.js';
import { rootFactCases } from './root-facts.case.js';
import { routeCases } from './routes.case.js';
import { traceReaderCases } from './traces.case.js';
import { traceWriterCases } from './writes.case.js';

export type { ConformanceTarget } from './harness.js';

export function runConformance(target: ConformanceTarget): void {
  traceReaderCases(target);
  traceWriterCases(target);
  otelFieldCases(target);
  graphCases(target);
  analyticsCases(target);
  ingestStateCases(target);
  rootCauseCases(target);
  recordCases(target);
  retentionCases(target);
  rootFactCases(target);
  routeCases(target);
  filterCases(target);
}
