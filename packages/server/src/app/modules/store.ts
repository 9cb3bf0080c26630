import type { FluoroConfig } from '../../config/schema.js';
import type { StorageBackend } from '../../storage/api/index.js';
import { openStore } from '../../storage/registry.js';
import { defineModule } from '../module.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';

/**
 * The configured store, under the data directory; closed last of all. (The daemon role will put a
 * forwarding store here: one that ships batches to a remote Fluoro instead of keeping them.)
 */
export const storeModule = defineModule({
  name: 'store',
  provides: ['store'],
  async start(_given, { config, dataDir, log, metrics }) {
    const store = await openStoreOrExplain(config, dataDir, log, metrics);
    metrics.gauge('fluoro_store_size_bytes', 'Bytes the store occupies on disk.', async () => (await store.size()).bytes);
    metrics.gauge('fluoro_store_spans', 'Spans stored.', async () => (await store.size()).spans);
    metrics.gauge(
      'fluoro_store_used_bytes',
      'Bytes the stored data occupies (what retention.maxBytes bounds).',
      async () => (await store.size()).usedBytes,
    );
    return { provides: { store }, stop: { close: () => store.close() } };
  },
});

async function openStoreOrExplain(config: FluoroConfig, dataDir: string, log: Logger, metrics: Metrics): Promise<StorageBackend> {
  try {
    return await openStore(config.storage, dataDir, log, metrics);
  } catch (err) {
    const message = (err as Error).message;
    // DuckDB's words for a file another process holds ("Could not set lock on file …: Conflicting
    // lock is held"); a bare /lock/ also matched "block" in a damaged file's message.
    if (/could not set lock|conflicting lock/i.test(message)) {
      throw new Error(`the data directory ${dataDir} is in use by another process (is another Fluoro running?): ${message}`);
    }
    if (
      /corrupt|checksum|not a valid DuckDB database|invalid (database )?(header|block)|unexpected end of file|failed to read/i.test(message)
    ) {
      throw new Error(
        `the store in ${dataDir} is damaged and cannot be opened: ${message}. Move the directory aside to start with an empty store, or restore it from a backup`,
      );
    }
    throw new Error(`cannot open the store in ${dataDir}: ${message}`);
  }
}
