import { Router } from '../../platform/http/router.js';
import { httpRequestsCounter, startHttpServer } from '../../platform/http/server.js';
import type { Counter, Metrics } from '../../platform/telemetry/metrics.js';
import { defineModule, type ContributionName, type FluoroModule } from '../module.js';

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
    async start(given, { config, log, metrics, addresses, keys }) {
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
          keys,
          browsers: { allowedHosts: config.api.allowedHosts, allowedOrigins: config.api.allowedOrigins },
          listener: label,
        },
        log,
        requests(metrics),
      );
      addresses.set(name, server.address);
      return { stop: { input: () => server.close() } };
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
