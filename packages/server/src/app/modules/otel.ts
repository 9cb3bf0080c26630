import { mountOtlpHttp, mountZipkin } from '../../ingest/otel/http.js';
import { OtelIngest } from '../../ingest/otel/otel-ingest.js';
import { startOtlpGrpc } from '../../ingest/otel/otlp-grpc.js';
import { tlsFiles } from './http.js';
import { defineModule, type Mount } from '../module.js';

/** OTLP and Zipkin decoding (a thread), shared by their receivers; the thread ends after the drain. */
export const otelIngestModule = defineModule({
  name: 'otel-ingest',
  needs: ['pipeline'],
  provides: ['otel'],
  async start({ pipeline }, { config, log, metrics }) {
    const otel = new OtelIngest(pipeline, config, log, metrics);
    otel.start();
    return { provides: { otel }, stop: { close: () => otel.close() } };
  },
});

/** `POST /v1/traces`, on the main HTTP port and on the OTLP/HTTP port. */
export const otlpHttpRoutesModule = defineModule({
  name: 'otlp-http-routes',
  needs: ['otel'],
  contributes: ['httpRoutes', 'otlpHttpRoutes'],
  async start({ otel }) {
    const mount: Mount = (router) => mountOtlpHttp(router, otel);
    return { contributes: { httpRoutes: mount, otlpHttpRoutes: mount } };
  },
});

/** `POST /api/v2/spans`, on the main HTTP port and on the Zipkin port. */
export const zipkinRoutesModule = defineModule({
  name: 'zipkin-routes',
  needs: ['otel'],
  contributes: ['httpRoutes', 'zipkinRoutes'],
  async start({ otel }) {
    const mount: Mount = (router) => mountZipkin(router, otel);
    return { contributes: { httpRoutes: mount, zipkinRoutes: mount } };
  },
});

/** OTLP/gRPC (`otlpGrpc`; off when disabled). */
export const otlpGrpcModule = defineModule({
  name: 'otlp-grpc',
  needs: ['otel'],
  async start({ otel }, { config, log, metrics, addresses, keys }) {
    if (!config.otlpGrpc) return {};
    const server = await startOtlpGrpc(config.otlpGrpc, otel, config.api.maxBodyBytes, log, metrics, keys, tlsFiles(config));
    addresses.set('otlpGrpc', server.address);
    return { stop: { input: () => server.close() } };
  },
});
