import { join } from 'node:path';
import type { StorageBackend } from './api/index.js';
import type { DuckDbOptions } from './duckdb/backend.js';

/** The store's part of the configuration (the `storage` settings) and where the data directory is. */
export interface StoreConfig {
  readonly dataDir: string;
  readonly storage: { readonly kind: 'duckdb'; readonly duckdb: Omit<DuckDbOptions, 'path'> };
}

/**
 * Storage backends by kind, each loaded only when configured (DuckDB's native module is not
 * loaded by a Fluoro that stores elsewhere).
 */
export async function openStore(config: StoreConfig): Promise<StorageBackend> {
  switch (config.storage.kind) {
    case 'duckdb': {
      const { openDuckDb } = await import('./duckdb/backend.js');
      return openDuckDb({ path: join(config.dataDir, 'fluoro.duckdb'), ...config.storage.duckdb });
    }
  }
}
