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
