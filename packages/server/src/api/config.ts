import { defineSettings, setting } from '../config/settings.js';

/** Limits of the HTTP APIs. */
export const API_SETTINGS = defineSettings({
  api: {
    maxBodyBytes: setting.bytes({ default: 8 * 1024 ** 2, min: 64 * 1024, description: 'Largest request body accepted by the HTTP API.' }),
    summariesPageSize: setting.int({ default: 100, min: 1, max: 10_000, description: 'Trace summaries per GetTraceSummaries page.' }),
    maxQueryWindowHours: setting.int({
      default: 24,
      min: 1,
      max: 24 * 366,
      description: 'Longest StartTime–EndTime window GetTraceSummaries and GetServiceGraph accept.',
    }),
  },
});
