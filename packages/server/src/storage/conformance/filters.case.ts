import { buildTraceModel, evaluate, parseFilter, rootCauses, type TraceModel } from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterCorpus, filterTraces } from '../../../../../fixtures/index.js';
import { analyzeTrace } from '../../derived/root-causes/analysis.js';
import { planFilter } from '../../query/filter-planner.js';
import type { StorageBackend, TraceAnalysis } from '../api/index.js';
import { FixtureWriter, type ConformanceTarget } from './harness.js';

/**
 * Filters, evaluated by the store, select exactly the traces the in-memory evaluator selects, for
 * every valid expression of the corpus, over fixtures/traces/filters.json.
 */
export function filterCases(target: ConformanceTarget): void {
  describe(`filters (differential): ${target.name}`, () => {
    const fx = filterTraces();
    const corpus = filterCorpus();
    let store: StorageBackend;
    const models = new Map<string, TraceModel>();

    beforeAll(async () => {
      store = await target.open();
      const writer = await FixtureWriter.start(store);
      const traceIds = new Set<string>();
      for (const step of fx.steps) for (const s of await writer.write(step.documents)) traceIds.add(s.traceId);
      for (const request of fx.otlp) for (const s of await writer.writeOtlp(request)) traceIds.add(s.traceId);
      await writer.stop();
      // What the analyzer would write once each trace goes quiet (stored spans, after linking).
      const stored = await store.traces.getTraces([...traceIds]);
      const analyses: TraceAnalysis[] = [];
      for (const [traceId, spans] of stored) {
        models.set(traceId, buildTraceModel(spans));
        analyses.push(analyzeTrace(traceId, spans, false));
      }
      await store.rootCauses.write(analyses);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('has every fixture trace in the window', async () => {
      const page = await store.traces.findTraceSummaries({
        range: { start: fx.base, end: fx.otlpWindow.end },
        rangeType: 'TraceId',
        filter: null,
        limit: 1000,
        after: null,
      });
      expect(page.summaries.map((s) => s.traceId).sort()).toEqual([...models.keys()].sort());
    });

    it.each(corpus.valid)('%s', async (text) => {
      const parsed = parseFilter(text);
      if (!parsed.ok) throw new Error(parsed.message);
      const expected = [...models]
        .filter(([, m]) => evaluate(parsed.filter, m, rootCauses(m)))
        .map(([id]) => id)
        .sort();
      const page = await store.traces.findTraceSummaries({
        range: { start: fx.base, end: fx.otlpWindow.end },
        rangeType: 'TraceId',
        filter: { expr: parsed.filter, plan: planFilter(parsed.filter) },
        limit: 1000,
        after: null,
      });
      expect(page.summaries.map((s) => s.traceId).sort()).toEqual(expected);
    });
  });
}
