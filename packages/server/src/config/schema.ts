import { LOG_LEVELS, type LogLevel } from '../platform/telemetry/logger.js';
import { formatAddress, parseAddress, type ListenAddress } from './address.js';

/**
 * Fluoro's whole configuration: one typed schema with each default and description beside it.
 * Every setting can come from the config file (nested or dotted keys), an environment variable
 * (`FLUORO_` + the key in upper snake case) or a flag (`--` + the key in kebab case); flags win
 * over the environment, which wins over the file. `docs/configuration.md` is generated from here.
 */
export interface FluoroConfig {
  readonly dataDir: string;
  readonly udp: ListenAddress | null;
  readonly http: ListenAddress | null;
  readonly otlpHttp: ListenAddress | null;
  readonly otlpGrpc: ListenAddress | null;
  readonly zipkin: ListenAddress | null;
  readonly logLevel: LogLevel;
  readonly logFormat: 'text' | 'json';
  readonly ingest: {
    readonly queueMaxSpans: number;
    readonly queueMaxBytes: number;
    readonly batchMaxSpans: number;
    readonly flushIntervalMs: number;
    readonly udpReceiveBufferBytes: number;
  };
  readonly analysis: {
    readonly quietMs: number;
  };
  readonly otel: {
    readonly annotations: readonly string[];
    readonly indexAllAttributes: boolean;
  };
  readonly sampling: {
    readonly maxRules: number;
  };
  readonly api: {
    readonly maxBodyBytes: number;
    readonly summariesPageSize: number;
    readonly maxQueryWindowHours: number;
  };
  readonly storage: {
    readonly kind: 'duckdb';
    readonly duckdb: {
      readonly threads: number;
      readonly memoryLimit: string;
      readonly readConnections: number;
      readonly checkpointThreshold: string;
    };
  };
}

export type Parsed<T> = { value: T } | { error: string };

export interface Setting {
  /** Dotted path in `FluoroConfig`. */
  readonly key: string;
  readonly default: unknown;
  readonly description: string;
  /** What values look like, for help and docs. */
  readonly format: string;
  parse(raw: unknown): Parsed<unknown>;
  show(value: unknown): string;
}

const text = (raw: unknown): string | null =>
  typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;

function stringSetting(key: string, def: string, description: string, opts: { allowEmpty?: boolean } = {}): Setting {
  return {
    key,
    default: def,
    description,
    format: 'text',
    parse: (raw) => {
      const t = text(raw);
      if (t === null) return { error: 'must be a string' };
      if (!opts.allowEmpty && t.trim() === '') return { error: 'must not be empty' };
      return { value: t };
    },
    show: (v) => (v === '' ? '(empty)' : String(v)),
  };
}

function intSetting(key: string, def: number, min: number, max: number, description: string): Setting {
  return {
    key,
    default: def,
    description,
    format: `integer ${min}–${max}`,
    parse: (raw) => {
      const t = text(raw);
      const n = t !== null && /^-?\d+$/.test(t.trim()) ? Number(t) : NaN;
      if (!Number.isSafeInteger(n)) return { error: `must be an integer, not ${JSON.stringify(raw)}` };
      if (n < min || n > max) return { error: `must be between ${min} and ${max}, not ${n}` };
      return { value: n };
    },
    show: String,
  };
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

function byteSetting(key: string, def: number, min: number, description: string): Setting {
  return {
    key,
    default: def,
    description,
    format: `bytes (e.g. 512KB, 64MB), at least ${showBytes(min)}`,
    parse: (raw) => {
      const t = text(raw);
      const m = t === null ? null : /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(t);
      const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
      if (!m || unit === undefined) return { error: `must be a size such as 65536, 512KB or 64MB, not ${JSON.stringify(raw)}` };
      const n = Math.round(Number(m[1]) * unit);
      if (n < min) return { error: `must be at least ${showBytes(min)}, not ${showBytes(n)}` };
      return { value: n };
    },
    show: (v) => showBytes(v as number),
  };
}

function showBytes(n: number): string {
  for (const [unit, size] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return `${n}`;
}

function addressSetting(key: string, def: string, description: string): Setting {
  const parsed = parseAddress(def);
  return {
    key,
    default: parsed,
    description,
    format: 'host:port (port 0 picks a free port), or 0/off to disable',
    parse: (raw) => {
      const t = text(raw);
      if (t === null) return { error: 'must be an address such as 127.0.0.1:2000' };
      const a = parseAddress(t);
      return a && 'error' in a ? { error: a.error } : { value: a };
    },
    show: (v) => (v === null ? 'off' : formatAddress(v as ListenAddress)),
  };
}

function listSetting(key: string, description: string): Setting {
  return {
    key,
    default: [],
    description,
    format: 'comma-separated list',
    parse: (raw) => {
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return { value: raw.map((x) => x.trim()).filter(Boolean) };
      const t = text(raw);
      if (t === null) return { error: `must be a comma-separated list, not ${JSON.stringify(raw)}` };
      return {
        value: t
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      };
    },
    show: (v) => (v as string[]).join(',') || '(none)',
  };
}

function boolSetting(key: string, def: boolean, description: string): Setting {
  return {
    key,
    default: def,
    description,
    format: 'true | false',
    parse: (raw) => {
      if (typeof raw === 'boolean') return { value: raw };
      const t = text(raw)?.toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') return { value: true };
      if (t === 'false' || t === '0' || t === 'no') return { value: false };
      return { error: `must be true or false, not ${JSON.stringify(raw)}` };
    },
    show: String,
  };
}

function enumSetting(key: string, def: string, values: readonly string[], description: string): Setting {
  return {
    key,
    default: def,
    description,
    format: values.join(' | '),
    parse: (raw) => {
      const t = text(raw);
      return t !== null && values.includes(t) ? { value: t } : { error: `must be one of ${values.join(', ')}, not ${JSON.stringify(raw)}` };
    },
    show: String,
  };
}

export const SETTINGS: readonly Setting[] = [
  stringSetting('dataDir', './fluoro-data', 'Directory for the embedded store (created if missing).'),
  addressSetting('udp', '127.0.0.1:2000', 'UDP address for X-Ray daemon-protocol segments (what `AWS_XRAY_DAEMON_ADDRESS` points at).'),
  addressSetting(
    'http',
    '127.0.0.1:2000',
    'HTTP address for the X-Ray API, health, metrics and console (OTLP/HTTP and Zipkin are served there too).',
  ),
  addressSetting(
    'otlpHttp',
    '127.0.0.1:4318',
    'OTLP/HTTP address (`POST /v1/traces`, protobuf or JSON), what `OTEL_EXPORTER_OTLP_ENDPOINT` points at.',
  ),
  addressSetting('otlpGrpc', '127.0.0.1:4317', 'OTLP/gRPC address (`TraceService/Export`).'),
  addressSetting('zipkin', '127.0.0.1:9411', 'Zipkin v2 address (`POST /api/v2/spans`, JSON).'),
  enumSetting('logLevel', 'info', LOG_LEVELS, 'Least severe log level written to stderr.'),
  enumSetting('logFormat', 'text', ['text', 'json'], 'Log line format.'),
  intSetting(
    'ingest.queueMaxSpans',
    200_000,
    1_000,
    10_000_000,
    'Spans waiting to be written before receivers shed load (UDP drops, HTTP 429).',
  ),
  byteSetting('ingest.queueMaxBytes', 256 * 1024 ** 2, 1024 ** 2, 'Document bytes waiting to be written before receivers shed load.'),
  intSetting('ingest.batchMaxSpans', 10_000, 1, 1_000_000, 'Most spans written to the store in one transaction.'),
  intSetting(
    'ingest.flushIntervalMs',
    200,
    1,
    60_000,
    'How long a partial batch waits for more spans when no HTTP client is waiting for it.',
  ),
  byteSetting(
    'ingest.udpReceiveBufferBytes',
    32 * 1024 ** 2,
    64 * 1024,
    'Socket receive buffer asked for the UDP listener (the kernel may cap it: net.core.rmem_max).',
  ),
  intSetting(
    'analysis.quietMs',
    2000,
    10,
    600_000,
    'Root causes are worked out once a trace has received no span for this long (rootcause.* filters see a trace after that).',
  ),
  listSetting(
    'otel.annotations',
    'OpenTelemetry and Zipkin span attributes indexed as X-Ray annotations (filterable with `annotation.<key>`), besides those a span lists in `aws.xray.annotations`.',
  ),
  boolSetting(
    'otel.indexAllAttributes',
    false,
    'Index every OpenTelemetry and Zipkin span attribute with a string, number or boolean value as an annotation.',
  ),
  intSetting('sampling.maxRules', 25, 0, 10_000, 'Most sampling rules besides Default (X-Ray allows 25).'),
  byteSetting('api.maxBodyBytes', 8 * 1024 ** 2, 64 * 1024, 'Largest request body accepted by the HTTP API.'),
  intSetting('api.summariesPageSize', 100, 1, 10_000, 'Trace summaries per GetTraceSummaries page.'),
  intSetting('api.maxQueryWindowHours', 24, 1, 24 * 366, 'Longest StartTime–EndTime window GetTraceSummaries and GetServiceGraph accept.'),
  enumSetting('storage.kind', 'duckdb', ['duckdb'], 'Storage backend.'),
  intSetting('storage.duckdb.threads', 2, 1, 256, 'DuckDB worker threads.'),
  stringSetting(
    'storage.duckdb.memoryLimit',
    '2GB',
    "DuckDB's memory limit (cache and query memory; large queries spill to disk beyond it). Empty for DuckDB's default, 80% of RAM.",
    { allowEmpty: true },
  ),
  intSetting('storage.duckdb.readConnections', 4, 1, 64, 'DuckDB connections serving concurrent API reads.'),
  stringSetting(
    'storage.duckdb.checkpointThreshold',
    '256MB',
    'Write-ahead log size at which DuckDB checkpoints into the database file. Larger is cheaper per span; smaller replays faster after a crash.',
  ),
];

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
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS) setPath(out, s.key, s.default);
  return out as unknown as FluoroConfig;
}

export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    node[p] ??= {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

export function getPath(source: unknown, key: string): unknown {
  let node = source;
  for (const p of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[p];
  }
  return node;
}

/** The configuration reference as a Markdown table (docs/configuration.md embeds it). */
export function renderConfigReference(): string {
  const rows = SETTINGS.map(
    (s) => `| \`${s.key}\` | \`${flagName(s.key)}\` | \`${envName(s.key)}\` | \`${s.show(s.default)}\` | ${s.format} | ${s.description} |`,
  );
  return ['| Key | Flag | Environment | Default | Values | Meaning |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
