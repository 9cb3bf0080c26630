import { IN_PROGRESS, type SpanBatch } from '@fluoro/core';
import type { SpanKey, SpanRows } from '../../storage/api/index.js';
import type { RecentKeys } from './recent-keys.js';

export interface Merged {
  /** Every batch taken, with `keep` marking the rows to write. */
  readonly rows: SpanRows[];
  /** Kept rows whose key may already be stored. */
  readonly supersedes: SpanKey[];
  /** Rows kept. */
  readonly written: number;
  /** In-progress versions dropped because a completed one is known. */
  readonly stale: number;
}

/** Packs (batch, row) into one number: rows of a batch stay below this. */
const ROW_SPAN = 2 ** 24;

/**
 * X-Ray's merge rules for the spans of one write: the last version of each key wins, except that
 * an in-progress version never replaces a completed one (UDP may deliver them out of order, and a
 * completed span may have been written before). Keys are marked written now, so that the next
 * batch, prepared while this one is in flight, knows they may be stored (a failed write leaves
 * them marked; superseding a key that is not there is harmless).
 */
export function mergeSpans(batches: readonly SpanBatch[], recent: RecentKeys): Merged {
  const latest = new Map<string, number>();
  const rows: SpanRows[] = batches.map((batch) => ({ batch, keep: new Uint8Array(batch.length) }));
  let stale = 0;
  let written = 0;
  rows.forEach(({ batch, keep }, r) => {
    for (let i = 0; i < batch.length; i++) {
      const key = batch.traceId[i]! + batch.id[i]!;
      const inProgress = (batch.flags[i]! & IN_PROGRESS) !== 0;
      const prev = latest.get(key);
      if (prev !== undefined) {
        const prevRows = rows[Math.floor(prev / ROW_SPAN)]!;
        const prevIndex = prev % ROW_SPAN;
        if (inProgress && (prevRows.batch.flags[prevIndex]! & IN_PROGRESS) === 0) {
          stale++;
          continue;
        }
        prevRows.keep![prevIndex] = 0;
        written--;
      } else if (inProgress && recent.get(batch.traceId[i]!, batch.id[i]!) === false) {
        stale++;
        continue;
      }
      keep![i] = 1;
      written++;
      latest.set(key, r * ROW_SPAN + i);
    }
  });
  const supersedes: SpanKey[] = [];
  for (const { batch, keep } of rows) {
    for (let i = 0; i < batch.length; i++) {
      if (!keep![i]) continue;
      const traceId = batch.traceId[i]!;
      const id = batch.id[i]!;
      if (recent.get(traceId, id) !== undefined) supersedes.push({ traceId, id });
      recent.set(traceId, id, (batch.flags[i]! & IN_PROGRESS) !== 0);
    }
  }
  return { rows, supersedes, written, stale };
}
