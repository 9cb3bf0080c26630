import type { Span, SpanOwner } from '@fluoro/core';
import type { SpanKey } from './trace-store.js';

/**
 * What the trace pipeline reads back from the store: after a restart, the state it keeps in
 * memory (spans in progress, subsegments waiting for their segment), and owners it no longer
 * remembers. Reads see every resolved write; results are in no particular order.
 */
export interface IngestStateReader {
  /** Stored spans whose owner (segment, service) is unknown, of traces filed since `since`. */
  unlinkedSpans(since: number): Promise<Span[]>;

  /** Trace IDs filed since `since` (for re-analysing what a crash may have left unanalysed). */
  recentTraces(since: number): Promise<string[]>;

  /** Keys of spans stored while in progress, of traces filed since `since`. */
  inProgressKeys(since: number): Promise<SpanKey[]>;

  /** The owners of stored spans, by `traceId + id`; unknown keys and spans without an owner are absent. */
  owners(keys: readonly SpanKey[]): Promise<Map<string, SpanOwner>>;
}
