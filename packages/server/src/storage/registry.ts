import { join } from 'node:path';
import type { StorageBackend } from './api/index.js';
import type { StorageConfig } from './config.js';
import type { Logger } from '../platform/telemetry/logger.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import { openRecovering } from './recovering-store.js';

/**
 * Storage backends by kind, each loaded only when configured (DuckDB's native module is not
 * loaded by a Fluoro that stores elsewhere). A backend keeps its files under `dataDir`.
 */
export async function openStore(config: StorageConfig, dataDir: string, log: Logger, metrics: Metrics): Promise<StorageBackend> {
  switch (config.kind) {
    case 'duckdb': {
      const { openDuckDb, isDamage, isInvalidated } = await import('./duckdb/backend.js');
      const options = { path: join(dataDir, 'fluoro.duckdb'), ...config.duckdb };
      return openRecovering(
        () => openDuckDb(options, log),
        { isFatal: isInvalidated, isDamage, writeWaitMs: 10_000, retryMs: 1000 },
        log,
        metrics,
      );
    }
  }
}
