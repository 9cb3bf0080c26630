import { defineSettings, setting } from '../config/settings.js';

/** Limits of the HTTP APIs. */
export const API_SETTINGS = defineSettings({
  api: {
    maxBodyBytes: setting.bytes({ default: 8 * 1024 ** 2, min: 64 * 1024, description: 'Largest request body accepted by the HTTP API.' }),
    bodiesInFlightBytes: setting.bytes({
      default: 256 * 1024 ** 2,
      min: 1024 ** 2,
      description:
        'Request bodies held in memory at once by all HTTP listeners together; past it requests are answered 429 with Retry-After.',
    }),
    maxConnections: setting.int({
      default: 1024,
      min: 1,
      max: 1_000_000,
      description: 'Open connections each HTTP listener accepts; further ones are closed at once.',
    }),
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
