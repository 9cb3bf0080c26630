// A real Express service instrumented with the OpenTelemetry Node SDK, the way users do it:
// NodeSDK with the HTTP and Express instrumentations and a batch span processor. Started by the
// tests as a separate process.
//   SERVICE_NAME   service.name
//   DOWNSTREAM     base URL of the service /work calls (optional)
//   EXPORTER       otlp-proto (OTLP/HTTP protobuf) | otlp-json (OTLP/HTTP JSON) | otlp-grpc | zipkin
//   ENDPOINT       where the exporter sends: http://host:port (OTLP/HTTP: base URL; gRPC: host
//                  URL; Zipkin: base URL)
//   PROPAGATION    xray (AWS X-Ray propagator only) | w3c+xray | w3c
//   IDS            xray (AWS X-Ray ID generator: epoch-prefixed trace IDs) | random (default)
// Prints "listening <port>" once ready; flushes its spans on SIGTERM.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
const { AWSXRayPropagator } = require('@opentelemetry/propagator-aws-xray');
const { AWSXRayIdGenerator } = require('@opentelemetry/id-generator-aws-xray');
const { CompositePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const api = require('@opentelemetry/api');

const name = process.env.SERVICE_NAME;
const downstream = process.env.DOWNSTREAM;
const endpoint = process.env.ENDPOINT;

function exporter() {
  switch (process.env.EXPORTER) {
    case 'otlp-proto':
      return new (require('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter)({ url: `${endpoint}/v1/traces` });
    case 'otlp-json':
      return new (require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter)({ url: `${endpoint}/v1/traces` });
    case 'otlp-grpc':
      return new (require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter)({ url: endpoint });
    case 'zipkin':
      return new (require('@opentelemetry/exporter-zipkin').ZipkinExporter)({ url: `${endpoint}/api/v2/spans` });
    default:
      throw new Error(`EXPORTER ${process.env.EXPORTER} is not one of otlp-proto, otlp-json, otlp-grpc, zipkin`);
  }
}

function propagator() {
  switch (process.env.PROPAGATION) {
    case 'xray':
      return new AWSXRayPropagator();
    case 'w3c+xray':
      return new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new AWSXRayPropagator()] });
    default:
      return new W3CTraceContextPropagator();
  }
}

const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': name, 'service.version': '1.0.0' }),
  spanProcessors: [new BatchSpanProcessor(exporter(), { scheduledDelayMillis: 100 })],
  textMapPropagator: propagator(),
  ...(process.env.IDS === 'xray' ? { idGenerator: new AWSXRayIdGenerator() } : {}),
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
});
sdk.start();

// Required after the SDK started, so that the instrumentations patch them.
const http = require('node:http');
const express = require('express');
const { answerWork } = require('./work.cjs');

const app = express();
app.get('/work', (req, res) => {
  const span = api.trace.getActiveSpan();
  span?.setAttribute('enduser.id', String(req.query.user || 'anonymous'));
  span?.setAttribute('route', 'work');
  answerWork(http, name, downstream, res);
});
app.get('/fail', (_req, res) => {
  api.trace.getActiveSpan()?.recordException(Object.assign(new Error('the cart service is down'), { name: 'CartUnavailable' }));
  res.status(500).json({ error: 'boom' });
});
app.get('/missing', (_req, res) => res.status(404).json({ error: 'no such thing' }));

const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => sdk.shutdown().finally(() => process.exit(0))));
