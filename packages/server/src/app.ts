import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { RootCauseAnalyzer } from './derived/root-causes/analyzer.js';
import { formatAddress, isLoopback, type ListenAddress } from './config/address.js';
import type { FluoroConfig } from './config/schema.js';
import { mountHealth, type Readiness } from './platform/http/health.js';
import { mountLanding } from './api/console/landing.js';
import { mountConsole } from './api/console/static.js';
import { Router } from './platform/http/router.js';
import { httpRequestsCounter, startHttpServer, type RunningHttpServer } from './platform/http/server.js';
import { DocumentIngest } from './ingest/xray/documents.js';
import { OtelIngest } from './ingest/otel/otel-ingest.js';
import { mountOtlpHttp, mountZipkin } from './ingest/otel/http.js';
import { startOtlpGrpc, type RunningGrpcServer } from './ingest/otel/otlp-grpc.js';
import { UdpReceiver } from './ingest/xray/udp-receiver.js';
import { TracePipeline } from './signals/traces/trace-pipeline.js';
import { TraceQueries } from './signals/traces/query.js';
import type { StorageBackend } from './storage/api/index.js';
import { SamplingRules } from './sampling/rules.js';
import { SamplingTargets } from './sampling/targets.js';
import { openStore } from './storage/registry.js';
import type { Logger } from './platform/telemetry/logger.js';
import { mountAbout, type Listeners } from './api/native/about.js';
import { mountFilterApi } from './api/native/filter.js';
import { mountTracesApi } from './api/native/traces.js';
import { VERSION } from './version.js';
import { Metrics } from './platform/telemetry/metrics.js';
import { mountXrayApi } from './api/xray/routes.js';

export interface RunningFluoro {
  readonly config: FluoroConfig;
  /** Bound addresses (ports chosen when configured as 0); null for disabled listeners. */
  readonly udp: ListenAddress | null;
  readonly http: ListenAddress | null;
  readonly otlpHttp: ListenAddress | null;
  readonly otlpGrpc: ListenAddress | null;
  readonly zipkin: ListenAddress | null;
  readonly dataDir: string;
  readonly store: StorageBackend;
  readonly metrics: Metrics;
  /** Stops receiving, writes everything queued, closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the all-in-one Fluoro: store, ingest pipeline, UDP, OTLP and Zipkin receivers, HTTP API. */
export async function startFluoro(config: FluoroConfig, log: Logger): Promise<RunningFluoro> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const metrics = new Metrics();
  metrics.gauge('process_resident_memory_bytes', 'Resident memory of the Fluoro process, all threads.', () => process.memoryUsage.rss());
  metrics.gauge('nodejs_heap_used_bytes', 'JavaScript heap in use on the main thread.', () => process.memoryUsage().heapUsed);
  metrics.gauge(
    'nodejs_external_memory_bytes',
    'Memory of native objects held by JavaScript (buffers, DuckDB results).',
    () => process.memoryUsage().external,
  );
  let readiness: Readiness = 'starting';
  const store = await openStoreOrExplain(config, dataDir);
  metrics.gauge('fluoro_store_size_bytes', 'Bytes the store occupies on disk.', async () => (await store.size()).bytes);
  const pipeline = new TracePipeline(store, config.ingest, log, metrics);
  const analyzer = new RootCauseAnalyzer(store, { quietMs: config.analysis.quietMs }, log, metrics);
  pipeline.onCommitted((rows) => analyzer.observe(rows));
  await pipeline.start();
  // Traces filed in the last minute before a crash may have missed their analysis.
  await analyzer.start(() => pipeline.busy(), Date.now() / 1000 - 60);
  const traces = new TraceQueries(store);
  const documents = new DocumentIngest(metrics, log);

  const samplingRules = await SamplingRules.load(store.records, config.sampling.maxRules);
  const sampling = { rules: samplingRules, targets: new SamplingTargets(samplingRules) };
  const otel = new OtelIngest(pipeline, config, log, metrics);
  otel.start();
  const requests = httpRequestsCounter(metrics);
  const httpOptions = { maxBodyBytes: config.api.maxBodyBytes };

  const udp = new UdpReceiver(documents, pipeline, log, metrics);
  let udpAddress: ListenAddress | null = null;
  let http: RunningHttpServer | null = null;
  let otlpHttp: RunningHttpServer | null = null;
  let zipkin: RunningHttpServer | null = null;
  let otlpGrpc: RunningGrpcServer | null = null;
  const listeners = (): Listeners => ({
    udp: udpAddress ? formatAddress(udpAddress) : null,
    http: http ? formatAddress(http.address) : null,
    otlpHttp: otlpHttp ? formatAddress(otlpHttp.address) : null,
    otlpGrpc: otlpGrpc ? formatAddress(otlpGrpc.address) : null,
    zipkin: zipkin ? formatAddress(zipkin.address) : null,
  });
  /** In order: no new input, everything queued written, then the threads and the store. */
  const shutdown = async (): Promise<void> => {
    await udp.close();
    await Promise.all([http?.close(), otlpHttp?.close(), zipkin?.close(), otlpGrpc?.close()]);
    await pipeline.drain();
    // Last, the traces still waiting for analysis: their results are written before the store closes.
    await analyzer.flush();
    await otel.close();
    await analyzer.close();
    await store.close();
  };
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
        traces,
        pipeline,
        documents,
        api: config.api,
        telemetryRecords: metrics.counter(
          'fluoro_daemon_telemetry_records_total',
          'PutTelemetryRecords records received from X-Ray daemons.',
        ),
        sampling,
      });
      mountOtlpHttp(router, otel);
      mountZipkin(router, otel);
      mountFilterApi(router);
      mountTracesApi(router, traces, config.api.maxQueryWindowHours);
      mountAbout(router, VERSION, listeners);
      if (!mountConsole(router)) mountLanding(router, () => ({ udp: udpAddress }));
      http = await startHttpServer(config.http, router, { ...httpOptions, listener: 'http' }, log, requests);
    }
    if (config.otlpHttp) {
      warnIfExposed(config.otlpHttp, 'OTLP/HTTP', log);
      const router = new Router();
      mountOtlpHttp(router, otel);
      otlpHttp = await startHttpServer(config.otlpHttp, router, { ...httpOptions, listener: 'otlp_http' }, log, requests);
    }
    if (config.otlpGrpc) {
      warnIfExposed(config.otlpGrpc, 'OTLP/gRPC', log);
      otlpGrpc = await startOtlpGrpc(config.otlpGrpc, otel, config.api.maxBodyBytes, log, metrics);
    }
    if (config.zipkin) {
      warnIfExposed(config.zipkin, 'Zipkin', log);
      const router = new Router();
      mountZipkin(router, otel);
      zipkin = await startHttpServer(config.zipkin, router, { ...httpOptions, listener: 'zipkin' }, log, requests);
    }
  } catch (err) {
    await shutdown();
    throw err;
  }
  readiness = 'ready';

  let stopping: Promise<void> | null = null;
  return {
    config,
    udp: udpAddress,
    http: http?.address ?? null,
    otlpHttp: otlpHttp?.address ?? null,
    otlpGrpc: otlpGrpc?.address ?? null,
    zipkin: zipkin?.address ?? null,
    dataDir,
    store,
    metrics,
    stop() {
      stopping ??= (async () => {
        readiness = 'draining';
        await shutdown();
      })();
      return stopping;
    },
  };
}

async function openStoreOrExplain(config: FluoroConfig, dataDir: string): Promise<StorageBackend> {
  try {
    return await openStore(config.storage, dataDir);
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
