import { join } from 'node:path';
import type { FluoroConfig } from '../config/schema.js';
import type { StorageBackend } from './api.js';

/**
 * Storage backends by kind, each loaded only when configured (DuckDB's native module is not
 * loaded by a Fluoro that stores elsewhere).
 */
export async function openStore(config: FluoroConfig): Promise<StorageBackend> {
  switch (config.storage.kind) {
    case 'duckdb': {
      const { openDuckDb } = await import('./duckdb/backend.js');
      return openDuckDb({ path: join(config.dataDir, 'fluoro.duckdb'), ...config.storage.duckdb });
    }
  }
}
