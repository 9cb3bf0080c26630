import { defineSettings, setting } from '../config/settings.js';

/** Limits of the HTTP APIs. */
export const API_SETTINGS = defineSettings({
  api: {
    maxBodyBytes: setting.bytes({ default: 8 * 1024 ** 2, min: 64 * 1024, description: 'Largest request body accepted by the HTTP API.' }),
    maxHeaderBytes: setting.bytes({
      default: 16 * 1024,
      min: 4 * 1024,
      description: 'Longest request line and headers accepted by every HTTP listener (longer: 431).',
    }),
    allowedHosts: setting.list({
      description:
        'Host names the HTTP listeners answer besides loopback names and the bound address (`*`: any). Guards against DNS rebinding; list the names a reverse proxy or a cluster uses.',
    }),
    allowedOrigins: setting.list({
      description:
        "Origins (`https://grafana.example.com`) whose web pages may send writes (POST, PUT, DELETE) besides the listener's own.",
    }),
    summariesPageSize: setting.int({ default: 100, min: 1, max: 10_000, description: 'Trace summaries per GetTraceSummaries page.' }),
    maxQueryWindowHours: setting.int({
      default: 24,
      min: 1,
      max: 24 * 366,
      description: 'Longest StartTime–EndTime window GetTraceSummaries and GetServiceGraph accept.',
    }),
  },
});
