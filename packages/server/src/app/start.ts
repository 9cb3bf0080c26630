import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ListenAddress } from '../config/address.js';
import type { FluoroConfig } from '../config/schema.js';
import type { Readiness } from '../platform/http/health.js';
import type { Logger } from '../platform/telemetry/logger.js';
import { Metrics } from '../platform/telemetry/metrics.js';
import type { StorageBackend } from '../storage/api/index.js';
import { BoundAddresses, checkExposure } from './addresses.js';
import { AccessKeys } from '../platform/auth/keys.js';
import { startModules, type RunningModules } from './lifecycle.js';
import type { ServiceName, Services } from './module.js';
import { ROLES, type Role, type RoleName } from './roles.js';

export interface RunningFluoro {
  readonly role: RoleName;
  readonly config: FluoroConfig;
  /** Bound addresses (ports chosen when configured as 0); null for disabled listeners and those the role has not. */
  readonly udp: ListenAddress | null;
  readonly http: ListenAddress | null;
  readonly otlpHttp: ListenAddress | null;
  readonly otlpGrpc: ListenAddress | null;
  readonly zipkin: ListenAddress | null;
  readonly dataDir: string;
  readonly store: StorageBackend;
  readonly metrics: Metrics;
  /** Stops receiving, writes everything queued, flushes derived work, closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the all-in-one Fluoro (role `all`): store, ingest pipeline, UDP, OTLP and Zipkin receivers, HTTP API, console. */
export function startFluoro(config: FluoroConfig, log: Logger): Promise<RunningFluoro> {
  return startRole(ROLES.all, config, log);
}

/**
 * Starts the modules of a role (`roles.ts`). Resolves once all of them run, `/readyz` then
 * answering ready; when one fails to start, those started are stopped again and the error thrown.
 */
export async function startRole(role: Role | RoleName, config: FluoroConfig, log: Logger): Promise<RunningFluoro> {
  const { name, modules } = typeof role === 'string' ? ROLES[role] : role;
  if (!modules.some((m) => m.provides.includes('store'))) throw new Error(`role ${name} has no store module`);
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const metrics = new Metrics();
  processGauges(metrics);
  const addresses = new BoundAddresses();
  const keys = config.auth.keysFile ? AccessKeys.load(resolve(config.auth.keysFile)) : null;
  checkExposure(config, keys, log);
  let readiness: Readiness = 'starting';
  const running = await startModules(modules, { config, dataDir, log, metrics, addresses, readiness: () => readiness, keys }, log);
  readiness = 'ready';
  return {
    role: name,
    config,
    udp: addresses.get('udp'),
    http: addresses.get('http'),
    otlpHttp: addresses.get('otlpHttp'),
    otlpGrpc: addresses.get('otlpGrpc'),
    zipkin: addresses.get('zipkin'),
    dataDir,
    store: service(running, 'store'),
    metrics,
    stop() {
      readiness = 'draining';
      return running.stop();
    },
  };
}

/** A service the modules provided; the lifecycle checked that its provider offered it. */
function service<K extends ServiceName>(running: RunningModules, name: K): Services[K] {
  return running.services.get(name) as Services[K];
}

function processGauges(metrics: Metrics): void {
  metrics.gauge('process_resident_memory_bytes', 'Resident memory of the Fluoro process, all threads.', () => process.memoryUsage.rss());
  metrics.gauge('nodejs_heap_used_bytes', 'JavaScript heap in use on the main thread.', () => process.memoryUsage().heapUsed);
  metrics.gauge(
    'nodejs_external_memory_bytes',
    'Memory of native objects held by JavaScript (buffers, DuckDB results).',
    () => process.memoryUsage().external,
  );
}
