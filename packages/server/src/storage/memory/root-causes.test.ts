import { buildTraceModel, rootCauseJson, rootCauses, type Span } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import { filterTraces } from '../../../../../fixtures/index.js';
import { toSpans } from '../conformance/harness.js';
import { MemoryRootCauses, NO_ROOT_CAUSES, rootCauseFromJson } from './root-causes.js';

describe('rootCauseFromJson', () => {
  // Every root cause of the filter fixture: faults at several depths, exceptions, inferred nodes, coverage.
  const byTrace = new Map<string, Span[]>();
  for (const step of filterTraces().steps)
    for (const s of step.documents.flatMap(toSpans)) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  const causes = [...byTrace.values()].flatMap((spans) => {
    const rc = rootCauses(buildTraceModel(spans));
    return [...rc.fault, ...rc.error, ...rc.responseTime];
  });

  it('inverts rootCauseJson: the stored document reads back as it was written', () => {
    expect(causes.some((c) => c.services.some((s) => s.entityPath.some((e) => e.exceptions.length > 0)))).toBe(true);
    expect(causes.some((c) => c.services.some((s) => s.entityPath.some((e) => e.coverage !== null)))).toBe(true);
    for (const c of causes) {
      const text = JSON.stringify(rootCauseJson(c));
      // The API shape gives response-time entities no exceptions, which no checked filter can ask
      // about (rootcause.responsetime.exception is refused): all else reads back as it was.
      const observable = {
        ...c,
        services: c.services.map((s) => ({
          ...s,
          entityPath: s.entityPath.map((e) => (e.coverage === null ? e : { ...e, exceptions: [] })),
        })),
      };
      expect(rootCauseFromJson(text)).toEqual(observable);
      expect(rootCauseJson(rootCauseFromJson(text))).toEqual(JSON.parse(text));
    }
  });

  it('keeps the latest analysis of a trace, within the bounds it is looked up in', async () => {
    const store = new MemoryRootCauses();
    const doc = JSON.stringify(rootCauseJson(causes[0]!));
    await store.write([{ traceId: 't', traceTime: 100, replaces: false, causes: { fault: [doc], error: [doc], responsetime: [] } }]);
    await store.write([{ traceId: 't', traceTime: 100, replaces: false, causes: { fault: [], error: [doc], responsetime: [] } }]);
    expect(store.of('t', { start: 0, end: 200 })).toEqual({ fault: [], error: [causes[0]], responseTime: [] });
    expect(store.of('t', { start: 101, end: 200 })).toBe(NO_ROOT_CAUSES);
    expect(store.of('unknown', { start: 0, end: 200 })).toBe(NO_ROOT_CAUSES);
  });
});
