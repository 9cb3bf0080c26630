import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { RootCauseAnalyzer } from './analysis/root-cause-analyzer.js';
import { formatAddress, isLoopback, type ListenAddress } from './config/address.js';
import type { FluoroConfig } from './config/schema.js';
import { mountHealth, type Readiness } from './http/health.js';
import { mountLanding } from './http/landing.js';
import { mountConsole } from './console/static.js';
import { Router } from './http/router.js';
import { startHttpServer, type RunningHttpServer } from './http/server.js';
import { DocumentIngest } from './ingest/documents.js';
import { UdpReceiver } from './ingest/udp-receiver.js';
import { IngestPipeline } from './pipeline/pipeline.js';
import type { StorageBackend } from './storage/api.js';
import { openStore } from './storage/registry.js';
import type { Logger } from './telemetry/logger.js';
import { mountAbout } from './native-api/about.js';
import { mountFilterApi } from './native-api/filter.js';
import { mountTracesApi } from './native-api/traces.js';
import { VERSION } from './version.js';
import { Metrics } from './telemetry/metrics.js';
import { mountXrayApi } from './xray-api/routes.js';

export interface RunningFluoro {
  readonly config: FluoroConfig;
  /** Bound addresses (ports chosen when configured as 0); null for disabled listeners. */
  readonly udp: ListenAddress | null;
  readonly http: ListenAddress | null;
  readonly dataDir: string;
  readonly store: StorageBackend;
  readonly metrics: Metrics;
  /** Stops receiving, writes everything queued, closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the all-in-one Fluoro: store, ingest pipeline, UDP receiver, HTTP API. */
export async function startFluoro(config: FluoroConfig, log: Logger): Promise<RunningFluoro> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const metrics = new Metrics();
  metrics.gauge('process_resident_memory_bytes', 'Resident memory of the Fluoro process, all threads.', () => process.memoryUsage.rss());
  metrics.gauge('nodejs_heap_used_bytes', 'JavaScript heap in use on the main thread.', () => process.memoryUsage().heapUsed);
  metrics.gauge('nodejs_external_memory_bytes', 'Memory of native objects held by JavaScript (buffers, DuckDB results).', () => process.memoryUsage().external);
  let readiness: Readiness = 'starting';
  const store = await openStoreOrExplain(config, dataDir);
  metrics.gauge('fluoro_store_size_bytes', 'Bytes the store occupies on disk.', async () => (await store.size()).bytes);
  const pipeline = new IngestPipeline(store, config.ingest, log, metrics);
  const analyzer = new RootCauseAnalyzer(store.reader, { quietMs: config.analysis.quietMs }, log, metrics);
  await pipeline.start(analyzer);
  // Traces filed in the last minute before a crash may have missed their analysis.
  await analyzer.start(() => pipeline.wake(), () => pipeline.busy(), Date.now() / 1000 - 60);
  const documents = new DocumentIngest(metrics, log);

  const udp = new UdpReceiver(documents, pipeline, log, metrics);
  let udpAddress: ListenAddress | null = null;
  let http: RunningHttpServer | null = null;
  try {
    if (config.udp) {
      warnIfExposed(config.udp, 'UDP', log);
      udpAddress = await udp.listen(config.udp, { receiveBufferBytes: config.ingest.udpReceiveBufferBytes });
    }
    if (config.http) {
      warnIfExposed(config.http, 'HTTP', log);
      const router = new Router();
      mountHealth(router, metrics, () => readiness);
      mountXrayApi(router, {
        store,
        pipeline,
        documents,
        api: config.api,
        telemetryRecords: metrics.counter('fluoro_daemon_telemetry_records_total', 'PutTelemetryRecords records received from X-Ray daemons.'),
      });
      mountFilterApi(router);
      mountTracesApi(router, store, config.api.maxQueryWindowHours);
      mountAbout(router, VERSION, () => ({
        udp: udpAddress ? formatAddress(udpAddress) : null,
        http: http ? formatAddress(http.address) : null,
        otlpHttp: null,
        otlpGrpc: null,
        zipkin: null,
      }));
      if (!mountConsole(router)) mountLanding(router, () => ({ udp: udpAddress }));
      http = await startHttpServer(config.http, router, { maxBodyBytes: config.api.maxBodyBytes }, log, metrics);
    }
  } catch (err) {
    await udp.close();
    await http?.close();
    await pipeline.drain();
    await analyzer.close();
    await store.close();
    throw err;
  }
  readiness = 'ready';

  let stopping: Promise<void> | null = null;
  return {
    config,
    udp: udpAddress,
    http: http?.address ?? null,
    dataDir,
    store,
    metrics,
    stop() {
      stopping ??= (async () => {
        readiness = 'draining';
        await udp.close();
        await http?.close();
        await pipeline.drain();
        await analyzer.close();
        await store.close();
      })();
      return stopping;
    },
  };
}

async function openStoreOrExplain(config: FluoroConfig, dataDir: string): Promise<StorageBackend> {
  try {
    return await openStore({ ...config, dataDir });
  } catch (err) {
    const message = (err as Error).message;
    if (/lock/i.test(message)) {
      throw new Error(`the data directory ${dataDir} is in use by another process (is another Fluoro running?): ${message}`);
    }
    throw new Error(`cannot open the store in ${dataDir}: ${message}`);
  }
}

function warnIfExposed(address: ListenAddress, what: string, log: Logger): void {
  if (!isLoopback(address.host)) {
    log.warn(`the ${what} listener is reachable from other machines and Fluoro has no authentication yet`, {
      address: formatAddress(address),
    });
  }
}
