import { API_SETTINGS } from '../api/config.js';
import { ROOT_CAUSE_SETTINGS } from '../derived/root-causes/config.js';
import { OTEL_INGEST_SETTINGS } from '../ingest/otel/config.js';
import { XRAY_INGEST_SETTINGS } from '../ingest/xray/config.js';
import { PIPELINE_SETTINGS, RETENTION_SETTINGS } from '../signals/traces/config.js';
import { PLATFORM_SETTINGS } from '../platform/config.js';
import { AUTH_SETTINGS } from '../platform/auth/config.js';
import { SAMPLING_SETTINGS } from '../sampling/config.js';
import { STORAGE_SETTINGS } from '../storage/config.js';
import { composeSettings, materialise, settingsOf, type ConfigOf, type KeyedSetting } from './settings.js';

export { getPath, setPath } from './settings.js';

/**
 * Fluoro's whole configuration schema: the settings each module declares in its own `config.ts`,
 * composed (the order here is the order of help and docs). Every setting can come from the config
 * file (nested or dotted keys), an environment variable (`FLUORO_` + the key in upper snake case)
 * or a flag (`--` + the key in kebab case); flags win over the environment, which wins over the
 * file. `docs/configuration.md` is generated from here.
 */
export const SCHEMA = composeSettings(
  PLATFORM_SETTINGS,
  PIPELINE_SETTINGS,
  XRAY_INGEST_SETTINGS,
  OTEL_INGEST_SETTINGS,
  ROOT_CAUSE_SETTINGS,
  SAMPLING_SETTINGS,
  API_SETTINGS,
  AUTH_SETTINGS,
  STORAGE_SETTINGS,
  RETENTION_SETTINGS,
);

/** The validated configuration, as inferred from the schema. */
export type FluoroConfig = ConfigOf<typeof SCHEMA>;

/** Every setting with its dotted key, in the schema's order. */
export const SETTINGS: readonly KeyedSetting[] = settingsOf(SCHEMA);

/** `ingest.queueMaxSpans` → `FLUORO_INGEST_QUEUE_MAX_SPANS`. */
export function envName(key: string): string {
  return `FLUORO_${key
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

/** `ingest.queueMaxSpans` → `--ingest.queue-max-spans`; top-level `dataDir` → `--data-dir`. */
export function flagName(key: string): string {
  return `--${key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

export function defaultConfig(): FluoroConfig {
  return materialise(SCHEMA);
}

/** The configuration reference as a Markdown table (docs/configuration.md embeds it). */
export function renderConfigReference(): string {
  const rows = SETTINGS.map(
    (s) => `| \`${s.key}\` | \`${flagName(s.key)}\` | \`${envName(s.key)}\` | \`${s.show(s.default)}\` | ${s.format} | ${s.description} |`,
  );
  return ['| Key | Flag | Environment | Default | Values | Meaning |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
