import { join } from 'node:path';
import type { StorageBackend } from './api/index.js';
import type { StorageConfig } from './config.js';

/**
 * Storage backends by kind, each loaded only when configured (DuckDB's native module is not
 * loaded by a Fluoro that stores elsewhere). A backend keeps its files under `dataDir`.
 */
export async function openStore(config: StorageConfig, dataDir: string): Promise<StorageBackend> {
  switch (config.kind) {
    case 'duckdb': {
      const { openDuckDb } = await import('./duckdb/backend.js');
      return openDuckDb({ path: join(dataDir, 'fluoro.duckdb'), ...config.duckdb });
    }
  }
}
