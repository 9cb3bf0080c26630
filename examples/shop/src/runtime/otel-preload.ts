/**
 * Loaded with `node --import` before an OpenTelemetry service's own code, as the OTel docs say to
 * for ESM: the loader hook lets the HTTP and Express instrumentations patch the modules the
 * service imports. The setup is what a user writes: the Node SDK, OTLP/HTTP protobuf to Fluoro,
 * the AWS X-Ray propagator (so context passes to and from X-Ray SDK services in
 * `X-Amzn-Trace-Id`) and ID generator, and the caller's sampling decision followed (the shop's
 * traces enter at `frontend`, whose X-Ray SDK asks Fluoro's sampling rules); a trace that begins
 * here is recorded.
 */
import { register } from 'node:module';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { processName } from './env.js';
import { SHOP_PACKAGE } from './version.js';
import { registerTracingShutdown } from './otel-shutdown.js';

// Only the modules the instrumentations patch go through the hook: the rest load at full speed.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['express', 'http', 'node:http'] } });

const endpoint = process.env['SHOP_OTLP_ENDPOINT'];
if (!endpoint) throw new Error('SHOP_OTLP_ENDPOINT is not set');

const sdk = new NodeSDK({
  resource: resourceFromAttributes({
    'service.name': processName(),
    'service.namespace': 'fluoro-demo-shop',
    'service.version': SHOP_PACKAGE.version,
  }),
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }), {
      scheduledDelayMillis: Number(process.env['SHOP_OTEL_FLUSH_MS'] ?? 1_000),
      maxQueueSize: 8_192,
    }),
  ],
  textMapPropagator: new AWSXRayPropagator(),
  idGenerator: new AWSXRayIdGenerator(),
  sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  // Express layers are not traced (a span per middleware is noise on a map of services); the
  // instrumentation still names each server span after its route.
  instrumentations: [
    new HttpInstrumentation(),
    new ExpressInstrumentation({
      ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER],
    }),
  ],
});
sdk.start();
registerTracingShutdown(() => sdk.shutdown());
