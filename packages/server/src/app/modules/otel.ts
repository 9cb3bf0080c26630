import { mountOtlpHttp, mountZipkin } from '../../ingest/otel/http.js';
import { OtelIngest } from '../../ingest/otel/otel-ingest.js';
import { DecodeThread } from '../../ingest/decode-thread.js';
import { startOtlpGrpc } from '../../ingest/otel/otlp-grpc.js';
import { tlsFiles } from './http.js';
import { defineModule, type Mount } from '../module.js';

/** The HTTP receivers' decoding thread (OTLP, Zipkin, PutTraceSegments); it ends after the drain. */
export const decodeThreadModule = defineModule({
  name: 'decode-thread',
  provides: ['decoder'],
  async start(_given, { config, log, metrics }) {
    const decoder = new DecodeThread(
      {
        annotationKeys: config.otel.annotations,
        indexAllAttributes: config.otel.indexAllAttributes,
        maxBodyBytes: config.api.maxBodyBytes,
      },
      log,
      metrics,
    );
    decoder.start();
    return { provides: { decoder }, stop: { close: () => decoder.close() } };
  },
});

/** OTLP and Zipkin ingest, shared by their receivers. */
export const otelIngestModule = defineModule({
  name: 'otel-ingest',
  needs: ['pipeline', 'decoder'],
  provides: ['otel'],
  async start({ pipeline, decoder }, { config, log, metrics }) {
    return { provides: { otel: new OtelIngest(pipeline, decoder, config, log, metrics) } };
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
