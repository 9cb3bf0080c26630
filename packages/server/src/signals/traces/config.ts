import { defineSettings, setting, type ConfigOf } from '../../config/settings.js';

/** The trace pipeline's queue between the receivers and the store, and how it is written in batches. */
export const PIPELINE_SETTINGS = defineSettings({
  ingest: {
    queueMaxSpans: setting.int({
      default: 200_000,
      min: 1_000,
      max: 10_000_000,
      description: 'Spans waiting to be written before receivers shed load (UDP drops, HTTP 429).',
    }),
    queueMaxBytes: setting.bytes({
      default: 256 * 1024 ** 2,
      min: 1024 ** 2,
      description: 'Document bytes waiting to be written before receivers shed load.',
    }),
    batchMaxSpans: setting.int({
      default: 10_000,
      min: 1,
      max: 1_000_000,
      description: 'Most spans written to the store in one transaction.',
    }),
    flushIntervalMs: setting.int({
      default: 200,
      min: 1,
      max: 60_000,
      description: 'How long a partial batch waits for more spans when no HTTP client is waiting for it.',
    }),
  },
});

/** The `ingest` queue and batch settings: what the trace pipeline is configured with. */
export type PipelineConfig = ConfigOf<typeof PIPELINE_SETTINGS>['ingest'];

/** How long and how much the store keeps (`retention.ts`). */
export const RETENTION_SETTINGS = defineSettings({
  retention: {
    maxAge: setting.duration({
      default: 30 * 86_400,
      description:
        'Traces filed longer ago than this are deleted, whole hours at a time, oldest first (X-Ray keeps traces 30 days). 0 keeps them however old.',
    }),
    maxBytes: setting.bytes({
      default: 0,
      min: 0,
      description:
        'Most bytes the stored data may occupy (the DuckDB file reuses space freed inside it before it grows); past it the oldest hours of traces are deleted while ingest goes on. 0 for no bound.',
    }),
    checkSeconds: setting.int({ default: 60, min: 1, max: 3600, description: 'How often retention is applied.' }),
  },
});

export type RetentionConfig = ConfigOf<typeof RETENTION_SETTINGS>['retention'];
