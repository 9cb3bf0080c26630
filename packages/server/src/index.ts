export { startFluoro } from './app.js';
export type { RunningFluoro } from './app.js';
export { loadConfig, ConfigError } from './config/load.js';
export { defaultConfig, SETTINGS, renderConfigReference } from './config/schema.js';
export type { FluoroConfig } from './config/schema.js';
export { createLogger, silentLogger } from './platform/telemetry/logger.js';
export type { Logger } from './platform/telemetry/logger.js';
export type { StorageBackend, TraceWriter, TraceReader, Capabilities } from './storage/api/index.js';
