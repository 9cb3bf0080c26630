import { defineSettings, setting } from '../config/settings.js';
import { LOG_LEVELS } from './telemetry/logger.js';

/** Where Fluoro keeps its data, where its main HTTP listener is, and how it logs. */
export const PLATFORM_SETTINGS = defineSettings({
  dataDir: setting.string({ default: './fluoro-data', description: 'Directory for the embedded store (created if missing).' }),
  http: setting.address({
    default: '127.0.0.1:2000',
    description: 'HTTP address for the X-Ray API, health, metrics and console (OTLP/HTTP and Zipkin are served there too).',
  }),
  logLevel: setting.enum({ values: LOG_LEVELS, default: 'info', description: 'Least severe log level written to stderr.' }),
  logFormat: setting.enum({ values: ['text', 'json'], default: 'text', description: 'Log line format.' }),
});
