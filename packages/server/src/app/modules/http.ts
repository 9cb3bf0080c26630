import { join } from 'node:path';
import { AuditLog } from '../../platform/http/audit.js';
import type { TlsFiles } from '../../platform/http/tls.js';
import type { FluoroConfig } from '../../config/schema.js';
import { ConfigError } from '../../config/load.js';
import { Router } from '../../platform/http/router.js';
import { BodyBudget, httpRequestsCounter, startHttpServer } from '../../platform/http/server.js';
import type { Counter, Metrics } from '../../platform/telemetry/metrics.js';
import { defineModule, type ContributionName, type FluoroModule } from '../module.js';

/** Every HTTP listener of a process shares one budget for bodies in memory. */
const bodyBudgets = new WeakMap<Metrics, BodyBudget>();

function bodyBudget(metrics: Metrics, limit: number): BodyBudget {
  let budget = bodyBudgets.get(metrics);
  if (!budget) {
    bodyBudgets.set(metrics, (budget = new BodyBudget(limit)));
    const b = budget;
    metrics.gauge('fluoro_http_bodies_in_flight_bytes', 'Request bodies held in memory by the HTTP listeners.', () => b.held);
  }
  return budget;
}

/** The TLS files when both certificate and key are configured (checked at start: one without the other is an error). */
export function tlsFiles(config: FluoroConfig): TlsFiles | null {
  const { certFile, keyFile, clientCaFile } = config.tls;
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new ConfigError(['tls.certFile and tls.keyFile go together: give both, or neither']);
  return { certFile, keyFile, clientCaFile };
}

/** Every HTTP listener of a process writes one audit log. */
const audits = new WeakMap<Metrics, AuditLog>();

function auditLog(metrics: Metrics, dataDir: string): AuditLog {
  let log = audits.get(metrics);
  if (!log) audits.set(metrics, (log = new AuditLog(join(dataDir, 'audit.log'))));
  return log;
}

/** Every HTTP listener of a process counts its answers in one counter (labelled by listener). */
const requestCounters = new WeakMap<Metrics, Counter>();

function requests(metrics: Metrics): Counter {
  let counter = requestCounters.get(metrics);
  if (!counter) requestCounters.set(metrics, (counter = httpRequestsCounter(metrics)));
  return counter;
}

interface HttpListener {
  readonly module: string;
  /** The listener's name in the configuration and in `BoundAddresses`. */
  readonly name: 'http' | 'otlpHttp' | 'zipkin';
  /** The routes it serves. */
  readonly routes: ContributionName;
  /** The `listener` label of `fluoro_http_requests_total`. */
  readonly label: string;
}

/**
 * An HTTP listener serving the routes the role's modules contribute to it; off when its address
 * is disabled. It starts after every contributor and stops first, waiting for requests in flight.
 */
function httpListener({ module, name, routes, label }: HttpListener): FluoroModule {
  return defineModule({
    name: module,
    collects: [routes],
    async start(given, { config, dataDir, log, metrics, addresses, keys }) {
      const address = config[name];
      if (!address) return {};
      const router = new Router();
      for (const mount of given[routes]) mount(router);
      const server = await startHttpServer(
        address,
        router,
        {
          maxBodyBytes: config.api.maxBodyBytes,
          maxHeaderBytes: config.api.maxHeaderBytes,
          bodyBudget: bodyBudget(metrics, config.api.bodiesInFlightBytes),
          audit: auditLog(metrics, dataDir),
          tls: tlsFiles(config),
          maxConnections: config.api.maxConnections,
          keys,
          browsers: { allowedHosts: config.api.allowedHosts, allowedOrigins: config.api.allowedOrigins },
          listener: label,
        },
        log,
        requests(metrics),
      );
      addresses.set(name, server.address);
      // SIGHUP: read the certificate files again (a renewed certificate without a restart).
      const reload = (): void => {
        try {
          server.reloadTls();
          log.info('TLS certificate reloaded', { listener: label });
        } catch (err) {
          log.error('TLS certificate not reloaded; the previous one stays', { listener: label, error: (err as Error).message });
        }
      };
      if (config.tls.certFile) process.on('SIGHUP', reload);
      return {
        stop: {
          input: () => {
            process.off('SIGHUP', reload);
            return server.close();
          },
        },
      };
    },
  });
}

/** The main HTTP port (`http`). */
export const httpListenerModule = httpListener({
  module: 'http-listener',
  name: 'http',
  routes: 'httpRoutes',
  label: 'http',
});
/** The OTLP/HTTP port (`otlpHttp`). */
export const otlpHttpListenerModule = httpListener({
  module: 'otlp-http-listener',
  name: 'otlpHttp',
  routes: 'otlpHttpRoutes',
  label: 'otlp_http',
});
/** The Zipkin port (`zipkin`). */
export const zipkinListenerModule = httpListener({
  module: 'zipkin-listener',
  name: 'zipkin',
  routes: 'zipkinRoutes',
  label: 'zipkin',
});
