import { defineSettings, setting, type ConfigOf } from '../config/settings.js';

/** Which backend stores spans, and each backend's own settings. */
export const STORAGE_SETTINGS = defineSettings({
  storage: {
    kind: setting.enum({ values: ['duckdb'], default: 'duckdb', description: 'Storage backend.' }),
    duckdb: {
      threads: setting.int({ default: 2, min: 1, max: 256, description: 'DuckDB worker threads.' }),
      memoryLimit: setting.string({
        default: '2GB',
        description:
          "DuckDB's memory limit (cache and query memory; large queries spill to disk beyond it). Empty for DuckDB's default, 80% of RAM.",
        allowEmpty: true,
      }),
      readConnections: setting.int({
        default: 4,
        min: 1,
        max: 12,
        description:
          'DuckDB connections serving concurrent API reads; further reads wait. Each holds one of the threads the binding runs statements on, so writes always keep theirs (docs/security.md).',
      }),
      readTimeoutSeconds: setting.int({
        default: 30,
        min: 1,
        max: 3600,
        description: 'Longest a read (an API query) may run before it is interrupted and answered 503 QueryTimeout.',
      }),
      rollupIntervalSeconds: setting.int({
        default: 10,
        min: 1,
        max: 3600,
        description:
          "How often the service graph's rollups and the trace rows take in the filing minutes written since (each minute once it is 30 s past its end). Queries read the spans of minutes not yet taken in.",
      }),
      checkpointThreshold: setting.string({
        default: '256MB',
        description:
          'Write-ahead log size at which DuckDB checkpoints into the database file. Larger is cheaper per span; smaller replays faster after a crash.',
      }),
    },
  },
});

/** The `storage` section of the configuration. */
export type StorageConfig = ConfigOf<typeof STORAGE_SETTINGS>['storage'];
