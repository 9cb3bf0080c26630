import type { FluoroModule } from './module.js';
import { consoleModule } from './modules/console.js';
import { healthModule } from './modules/health.js';
import { httpListenerModule, otlpHttpListenerModule, zipkinListenerModule } from './modules/http.js';
import { nativeApiModule } from './modules/native-api.js';
import { decodeThreadModule, otelIngestModule, otlpGrpcModule, otlpHttpRoutesModule, zipkinRoutesModule } from './modules/otel.js';
import { retentionModule } from './modules/retention.js';
import { rootCausesModule } from './modules/root-causes.js';
import { storeModule } from './modules/store.js';
import { traceQueriesModule, tracePipelineModule } from './modules/traces.js';
import { xrayIngestApiModule, xrayReadApiModule, xraySamplingApiModule } from './modules/xray-api.js';
import { documentsModule, udpReceiverModule } from './modules/xray-udp.js';

/**
 * Roles of the one `fluoro` binary, as data: each is a list of modules (`app/modules/*.ts`), and
 * `lifecycle.ts` starts them in dependency order and stops them in phases. A module a role does
 * not list is not started, and its routes are not mounted: their paths answer 404.
 *
 * - `all` (`fluoro start`): everything in one process, the store embedded.
 * - `collector`: ingest only. The store, the trace pipeline and the root-cause analyzer; every
 *   receiver (X-Ray UDP, PutTraceSegments, OTLP/HTTP and gRPC, Zipkin); sampling (SDKs ask for
 *   rules and quotas where they send segments); health and metrics. No X-Ray or native read API,
 *   no console.
 * - `query`: the APIs and the console over a store others fill. The store, the X-Ray read and
 *   sampling operations, the native API, the console, health and metrics. No receivers, no
 *   pipeline, no analyzer.
 * - `daemon` (to come): a sidecar that receives locally and forwards. The collector's receivers
 *   with a forwarding store (`storage/forward/`: batches shipped to a remote Fluoro with retry and
 *   a bounded disk spool) in place of the local store module; no analyzer, no read API. Its
 *   sampling operations proxy to the remote Fluoro.
 *
 * Collector and query are declared but not yet CLI commands. With the embedded DuckDB store they
 * cannot run side by side on one data directory (its file is single-process); they are meant for
 * a shared store (ClickHouse), and a collector's sampling rules and a query node's are then each
 * read at start (see `xraySamplingApiModule`).
 *
 * Order within a list matters only where dependencies leave it open: modules start in list order
 * unless they wait for what they need, so receivers and listeners come last, once the pipeline
 * and the analyzer behind them run.
 */
export interface Role {
  readonly name: RoleName;
  readonly modules: readonly FluoroModule[];
}

export type RoleName = 'all' | 'collector' | 'query';

const all: Role = {
  name: 'all',
  modules: [
    storeModule,
    tracePipelineModule,
    rootCausesModule,
    retentionModule,
    traceQueriesModule,
    documentsModule,
    xraySamplingApiModule,
    decodeThreadModule,
    otelIngestModule,
    healthModule,
    xrayIngestApiModule,
    xrayReadApiModule,
    otlpHttpRoutesModule,
    zipkinRoutesModule,
    nativeApiModule,
    consoleModule,
    udpReceiverModule,
    httpListenerModule,
    otlpHttpListenerModule,
    otlpGrpcModule,
    zipkinListenerModule,
  ],
};

const collector: Role = {
  name: 'collector',
  modules: [
    storeModule,
    tracePipelineModule,
    rootCausesModule,
    retentionModule,
    documentsModule,
    xraySamplingApiModule,
    decodeThreadModule,
    otelIngestModule,
    healthModule,
    xrayIngestApiModule,
    otlpHttpRoutesModule,
    zipkinRoutesModule,
    udpReceiverModule,
    httpListenerModule,
    otlpHttpListenerModule,
    otlpGrpcModule,
    zipkinListenerModule,
  ],
};

const query: Role = {
  name: 'query',
  modules: [
    storeModule,
    traceQueriesModule,
    xraySamplingApiModule,
    healthModule,
    xrayReadApiModule,
    nativeApiModule,
    consoleModule,
    httpListenerModule,
  ],
};

export const ROLES: { readonly [N in RoleName]: Role } = { all, collector, query };
