import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend, TraceAnalysis } from '../api/index.js';
import { traceFilter, type ConformanceTarget } from './harness.js';
import { openShop, type ShopStore } from './shop.js';

/** The root-cause store contract (`RootCauseStore`): the latest analysis of a trace wins, whole. */
export function rootCauseCases(target: ConformanceTarget): void {
  describe(`root causes: ${target.name}`, () => {
    let s: ShopStore;
    let store: StorageBackend;
    const matching = async (expression: string): Promise<string[]> => {
      const page = await store.traces.findTraceSummaries({
        range: { start: s.B, end: s.B + 100 },
        rangeType: 'TraceId',
        filter: traceFilter(expression),
        limit: 100,
        after: null,
      });
      return page.summaries.map((x) => x.traceId).sort();
    };
    const cause = (service: string): string =>
      JSON.stringify({
        Services: [{ Name: service, Names: [service], Type: 'service', Inferred: false, EntityPath: [] }],
        ClientImpacting: true,
      });
    const analysis = (traceId: string, fault: string[], replaces: boolean): TraceAnalysis => ({
      traceId,
      traceTime: s.B + 10,
      replaces,
      causes: { fault, error: [], responsetime: [] },
    });
    beforeAll(async () => {
      s = await openShop(target);
      store = s.store;
    });
    afterAll(async () => {
      await s?.store.close();
    });

    it('selects nothing by root cause before a trace is analysed', async () => {
      expect(await matching('rootcause.fault.service { name = "cart" }')).toEqual([]);
    });

    it('stores an analysis, and a later one replaces it whole', async () => {
      await store.rootCauses.write([analysis(s.id('T1'), [cause('cart'), cause('dynamo')], false)]);
      expect(await matching('rootcause.fault.service { name = "cart" }')).toEqual([s.id('T1')]);
      expect(await matching('rootcause.fault.service { name = "dynamo" }')).toEqual([s.id('T1')]);
      await store.rootCauses.write([analysis(s.id('T1'), [cause('cart')], true)]);
      expect(await matching('rootcause.fault.service { name = "dynamo" }')).toEqual([]);
      expect(await matching('rootcause.fault.service { name = "cart" }')).toEqual([s.id('T1')]);
    });

    it('is idempotent', async () => {
      const again = analysis(s.id('T2'), [cause('payments')], true);
      await store.rootCauses.write([again]);
      await store.rootCauses.write([again]);
      expect(await matching('rootcause.json = #[{"Services": [{"Name": "payments"}]}]')).toEqual([s.id('T2')]);
      await store.rootCauses.write([]);
    });
  });
}
