import { spanBatchOf } from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../api/index.js';
import { toSpans, type ConformanceTarget } from './harness.js';
import { openShop, type ShopStore } from './shop.js';

/** The ingest-state contract (`IngestStateReader`): what the pipeline reads back after a restart. */
export function ingestStateCases(target: ConformanceTarget): void {
  describe(`ingest state: ${target.name}`, () => {
    let s: ShopStore;
    let store: StorageBackend;
    let B: number;
    let id: ShopStore['id'];
    beforeAll(async () => {
      s = await openShop(target);
      ({ store, B, id } = s);
    });
    afterAll(async () => {
      await s?.store.close();
    });

    it('gives back the spans stored without an owner, whole', async () => {
      const unlinked = await store.ingestState.unlinkedSpans(B);
      expect(unlinked.map((x) => [x.traceId, x.name, x.owner])).toEqual([[id('T6'), 'ghost', null]]);
      expect(unlinked[0]!.doc).not.toBeNull();
      expect(await store.ingestState.unlinkedSpans(B + 1000)).toEqual([]);
    });

    it('lists the traces filed since a time', async () => {
      expect((await store.ingestState.recentTraces(B)).sort()).toEqual(
        ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'].map((k) => id(k as 'T1')).sort(),
      );
      expect((await store.ingestState.recentTraces(B + 65)).sort()).toEqual([id('T7')]);
    });

    it('reads the owners of stored spans by key, leaving out unknown and unlinked ones', async () => {
      const owners = await store.ingestState.owners([
        { traceId: id('T5'), id: '0500000000000003' },
        { traceId: id('T1'), id: '0100000000000001' },
        { traceId: id('T6'), id: '0600000000000002' },
        { traceId: id('T1'), id: 'ffffffffffffffff' },
      ]);
      expect(Object.fromEntries(owners)).toEqual({
        [id('T5') + '0500000000000003']: { segmentId: '0500000000000001', service: 'frontend', serviceType: 'service' },
        [id('T1') + '0100000000000001']: { segmentId: '0100000000000001', service: 'frontend', serviceType: 'service' },
      });
      expect(await store.ingestState.owners([])).toEqual(new Map());
    });

    it('lists spans still in progress', async () => {
      const open = {
        type: 'subsegment',
        name: 'long',
        id: '0900000000000001',
        trace_id: '1-6955b9aa-000000000000000000abc009',
        parent_id: '0900000000000000',
        start_time: B + 170,
        in_progress: true,
      };
      await store.spans.write({ rows: [{ batch: spanBatchOf(toSpans(open)) }], supersedes: [] });
      expect(await store.ingestState.inProgressKeys(B)).toEqual([{ traceId: '6955b9aa000000000000000000abc009', id: '0900000000000001' }]);
    });
  });
}
