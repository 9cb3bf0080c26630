import type { FluoroConfig } from '../config/schema.js';
import type { DocumentIngest } from '../ingest/xray/documents.js';
import type { OtelIngest } from '../ingest/otel/otel-ingest.js';
import type { DecodeThread } from '../ingest/decode-thread.js';
import type { Readiness } from '../platform/http/health.js';
import type { Router } from '../platform/http/router.js';
import type { Logger } from '../platform/telemetry/logger.js';
import type { Metrics } from '../platform/telemetry/metrics.js';
import type { TraceQueries } from '../signals/traces/query.js';
import type { TracePipeline } from '../signals/traces/trace-pipeline.js';
import type { StorageBackend } from '../storage/api/index.js';
import type { BoundAddresses } from './addresses.js';
import type { AccessKeys } from '../platform/auth/keys.js';
import type { Module, Stops } from './lifecycle.js';

/** What Fluoro's modules hand each other, by name: each is provided by one module of a role. */
export interface Services {
  readonly store: StorageBackend;
  readonly pipeline: TracePipeline;
  readonly traces: TraceQueries;
  readonly documents: DocumentIngest;
  readonly otel: OtelIngest;
  readonly decoder: DecodeThread;
}

/** Routes a module adds to the router of a listener. */
export type Mount = (router: Router) => void;

/** What many modules offer and one collects: the routes of each HTTP listener. */
export interface Contributions {
  /** The main HTTP port (`http`): X-Ray API, native API, OTLP/HTTP, Zipkin, health, console. */
  readonly httpRoutes: Mount;
  /** The OTLP/HTTP port (`otlpHttp`). */
  readonly otlpHttpRoutes: Mount;
  /** The Zipkin port (`zipkin`). */
  readonly zipkinRoutes: Mount;
}

export type ServiceName = keyof Services;
export type ContributionName = keyof Contributions;

/** What every module of a running role is given besides its needs. */
export interface AppContext {
  readonly config: FluoroConfig;
  /** The data directory, absolute, created. */
  readonly dataDir: string;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly addresses: BoundAddresses;
  readonly readiness: () => Readiness;
  /** The access keys of `auth.keysFile`; null when none are configured. */
  readonly keys: AccessKeys | null;
}

export type FluoroModule = Module<AppContext>;

type Given<N extends ServiceName, C extends ContributionName> = { readonly [K in N]: Services[K] } & {
  readonly [K in C]: readonly Contributions[K][];
};

type Offered<P extends ServiceName, Q extends ContributionName> = ([P] extends [never]
  ? { readonly provides?: undefined }
  : { readonly provides: { readonly [K in P]: Services[K] } }) &
  ([Q] extends [never] ? { readonly contributes?: undefined } : { readonly contributes: { readonly [K in Q]: Contributions[K] } }) & {
    readonly stop?: Stops;
  };

/** A module of Fluoro, typed: `start` is given what `needs` and `collects` name, and must offer what `provides` and `contributes` name. */
export interface ModuleDefinition<N extends ServiceName, C extends ContributionName, P extends ServiceName, Q extends ContributionName> {
  readonly name: string;
  readonly needs?: readonly N[];
  readonly collects?: readonly C[];
  readonly provides?: readonly P[];
  readonly contributes?: readonly Q[];
  start(given: NoInfer<Given<N, C>>, app: AppContext): Promise<NoInfer<Offered<P, Q>>>;
}

/**
 * Declares a module. The lifecycle (`lifecycle.ts`) hands `start` exactly what the module names,
 * and checks that it offers what it names, so the one cast here is safe.
 */
export function defineModule<
  N extends ServiceName = never,
  C extends ContributionName = never,
  P extends ServiceName = never,
  Q extends ContributionName = never,
>(def: ModuleDefinition<N, C, P, Q>): FluoroModule {
  return {
    name: def.name,
    needs: def.needs ?? [],
    collects: def.collects ?? [],
    provides: def.provides ?? [],
    contributes: def.contributes ?? [],
    start: (given, app) => def.start(given as Given<N, C>, app),
  };
}
