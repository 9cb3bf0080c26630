import { parseTraceId } from '@fluoro/core';
import { shop, type ShopFixture } from '../../../../../fixtures/index.js';
import type { StorageBackend } from '../api/index.js';
import { FixtureWriter, type ConformanceTarget } from './harness.js';

/** A store holding fixtures/traces/shop.json, written step by step as the pipeline writes it. */
export interface ShopStore {
  readonly store: StorageBackend;
  readonly fx: ShopFixture;
  /** The fixture's base time (epoch seconds). */
  readonly B: number;
  /** A fixture trace's ID as stored (32 hex). */
  id(k: keyof ShopFixture['traceIds']): string;
  /** Whether T4 read as partial while only its in-progress segment was stored. */
  readonly t4WhileInProgress: { partial: boolean } | null;
}

export async function openShop(target: ConformanceTarget): Promise<ShopStore> {
  const fx = shop();
  const B = fx.base;
  const store = await target.open();
  const writer = await FixtureWriter.start(store);
  let t4WhileInProgress: { partial: boolean } | null = null;
  for (const step of fx.steps) {
    await writer.write(step.documents);
    if (step.label === 'T4 in progress') {
      const page = await store.traces.findTraceSummaries({
        range: { start: B + 40, end: B + 41 },
        rangeType: 'TraceId',
        filter: null,
        limit: 10,
        after: null,
      });
      t4WhileInProgress = { partial: page.summaries[0]!.isPartial };
    }
  }
  await writer.stop();
  return { store, fx, B, id: (k) => parseTraceId(fx.traceIds[k])!, t4WhileInProgress };
}
