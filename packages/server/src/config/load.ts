import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { envName, flagName, getPath, SCHEMA, SETTINGS, type FluoroConfig } from './schema.js';
import { materialise, type KeyedSetting } from './settings.js';

/** Start-up refused: every problem found, each naming where the bad value came from. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} configuration problems:\n  ${problems.join('\n  ')}`);
  }
}

export interface ConfigSources {
  /** Flags after the command, e.g. `['--udp', '127.0.0.1:0']` or `['--udp=127.0.0.1:0']`. */
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  readonly config: FluoroConfig;
  /** Notes for the log (for example unknown FLUORO_ variables, which are ignored). */
  readonly warnings: string[];
}

const CONFIG_FLAG = '--config';
const CONFIG_ENV = 'FLUORO_CONFIG';

/**
 * Builds the configuration from defaults, then the config file (`--config` or `FLUORO_CONFIG`),
 * then `FLUORO_*` variables, then flags. Validates everything and throws one `ConfigError` that
 * lists every bad key, flag or variable.
 */
export function loadConfig(sources: ConfigSources = {}): LoadedConfig {
  const argv = sources.argv ?? [];
  const env = sources.env ?? {};
  const problems: string[] = [];
  const warnings: string[] = [];
  // Parsed values by key; a later source overwrites an earlier one.
  const values = new Map<string, unknown>();
  const apply = (setting: KeyedSetting, raw: unknown, origin: string): void => {
    const parsed = setting.parse(raw);
    if ('error' in parsed) problems.push(`${origin}: ${parsed.error}`);
    else values.set(setting.key, parsed.value);
  };

  const flags = splitFlags(argv, problems);
  const file = flags.get(CONFIG_FLAG) ?? env[CONFIG_ENV];
  flags.delete(CONFIG_FLAG);
  if (file) {
    const values = readConfigFile(file, problems);
    if (values) {
      const known = new Set(SETTINGS.map((s) => s.key));
      for (const key of leafKeys(values)) {
        if (!known.has(key) && !SETTINGS.some((s) => s.key.startsWith(`${key}.`))) problems.push(`${file}: unknown key "${key}"`);
      }
      for (const s of SETTINGS) {
        const raw = getPath(values, s.key) ?? values[s.key];
        if (raw !== undefined) apply(s, raw, `${file}: ${s.key}`);
      }
    }
  }

  const envNames = new Map(SETTINGS.map((s) => [envName(s.key), s]));
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('FLUORO_') || raw === undefined || name === CONFIG_ENV) continue;
    const s = envNames.get(name);
    if (s) apply(s, raw, name);
    else warnings.push(`ignoring unknown environment variable ${name}`);
  }

  const flagSettings = new Map(SETTINGS.map((s) => [flagName(s.key), s]));
  for (const [flag, raw] of flags) {
    const s = flagSettings.get(flag);
    if (s) apply(s, raw, flag);
    else problems.push(`unknown flag ${flag} (see fluoro start --help)`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { config: materialise(SCHEMA, values), warnings };
}

const BOOLEAN_FLAGS = new Set(SETTINGS.filter((s) => s.format === 'true | false').map((s) => flagName(s.key)));

function splitFlags(argv: readonly string[], problems: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument "${arg}" (flags look like --name value)`);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out.set(arg.slice(0, eq), arg.slice(eq + 1));
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
      out.set(arg, argv[++i]!);
    } else if (BOOLEAN_FLAGS.has(arg)) {
      // A yes/no flag on its own says yes: `--insecure`.
      out.set(arg, 'true');
    } else {
      problems.push(`flag ${arg} needs a value`);
    }
  }
  return out;
}

function readConfigFile(path: string, problems: string[]): Record<string, unknown> | null {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return null;
  }
  try {
    const value: unknown = parseYaml(content);
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${path}: must hold a mapping of settings`);
      return null;
    }
    return value as Record<string, unknown>;
  } catch (err) {
    problems.push(`${path}: not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
}

function leafKeys(value: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...leafKeys(v as Record<string, unknown>, key));
    else out.push(key);
  }
  return out;
}
