import { join } from 'node:path';
import { AuditLog } from '../../platform/http/audit.js';
import type { TlsFiles } from '../../platform/http/tls.js';
import type { FluoroConfig } from '../../config/schema.js';
import { ConfigError } from '../../config/load.js';
import { Router } from '../../platform/http/router.js';
import { BodyBudget, httpRequestsCounter, startHttpServer } from '../../platform/http/server.js';
import { onePerRegistry, type Counter, type Metrics } from '../../platform/telemetry/metrics.js';
import { defineModule, type ContributionName, type FluoroModule } from '../module.js';

/** Every HTTP listener of a process shares one budget for bodies in memory. */
const bodyBudgets = onePerRegistry<BodyBudget>();

const bodyBudget = (metrics: Metrics, limit: number): BodyBudget =>
  bodyBudgets(metrics, () => {
    const budget = new BodyBudget(limit);
    metrics.gauge('fluoro_http_bodies_in_flight_bytes', 'Request bodies held in memory by the HTTP listeners.', () => budget.held);
    return budget;
  });

/** The TLS files when both certificate and key are configured (checked at start: one without the other is an error). */
export function tlsFiles(config: FluoroConfig): TlsFiles | null {
  const { certFile, keyFile, clientCaFile } = config.tls;
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new ConfigError(['tls.certFile and tls.keyFile go together: give both, or neither']);
  return { certFile, keyFile, clientCaFile };
}

/** Every HTTP listener of a process writes one audit log. */
const audits = onePerRegistry<AuditLog>();
const auditLog = (metrics: Metrics, dataDir: string): AuditLog => audits(metrics, () => new AuditLog(join(dataDir, 'audit.log')));

/** Every HTTP listener of a process counts its answers in one counter (labelled by listener). */
const requestCounters = onePerRegistry<Counter>();
const requests = (metrics: Metrics): Counter => requestCounters(metrics, () => httpRequestsCounter(metrics));

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
