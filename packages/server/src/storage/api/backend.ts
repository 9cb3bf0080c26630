import type { TraceAnalyticsReader } from './analytics-store.js';
import type { Capabilities } from './capabilities.js';
import type { RootCauseStore } from './derived-store.js';
import type { ServiceGraphReader } from './graph-store.js';
import type { IngestStateReader } from './ingest-state.js';
import type { RecordStore } from './record-store.js';
import type { RetentionStore } from './retention-store.js';
import type { TraceReader, TraceWriter } from './trace-store.js';

export interface StoreSize {
  /** Bytes of the store's files on disk (0 for memory). */
  readonly bytes: number;
  /**
   * Bytes the stored data occupies: what `retention.maxBytes` bounds. Below `bytes` when deleted
   * data left free space in a file that is reused before it grows.
   */
  readonly usedBytes: number;
  readonly spans: number;
}

/**
 * One store: a contract per concern, each with its own conformance cases
 * (`storage/conformance/`). A backend exists when it passes every case of the contracts it
 * implements, for the capabilities it declares.
 */
export interface StorageBackend {
  readonly kind: string;
  readonly capabilities: Capabilities;
  readonly spans: TraceWriter;
  readonly traces: TraceReader;
  readonly graph: ServiceGraphReader;
  readonly analytics: TraceAnalyticsReader;
  readonly records: RecordStore;
  readonly rootCauses: RootCauseStore;
  readonly ingestState: IngestStateReader;
  readonly retention: RetentionStore;
  /**
   * A fault found in the stored data that needs the operator (a damaged block of the file), once a
   * read met it; null while none has. Health reports it.
   */
  damage?(): string | null;
  /** Current size (0 bytes for memory) and number of stored spans. */
  size(): Promise<StoreSize>;
  /** Flushes and releases the store. Idempotent; no other call may follow it. */
  close(): Promise<void>;
}
