import { defineSettings, setting } from '../../config/settings.js';

/** The OTLP and Zipkin receivers, and how their attributes become annotations. */
export const OTEL_INGEST_SETTINGS = defineSettings({
  otlpHttp: setting.address({
    default: '127.0.0.1:4318',
    description: 'OTLP/HTTP address (`POST /v1/traces`, protobuf or JSON), what `OTEL_EXPORTER_OTLP_ENDPOINT` points at.',
  }),
  otlpGrpc: setting.address({ default: '127.0.0.1:4317', description: 'OTLP/gRPC address (`TraceService/Export`).' }),
  zipkin: setting.address({ default: '127.0.0.1:9411', description: 'Zipkin v2 address (`POST /api/v2/spans`, JSON).' }),
  otel: {
    annotations: setting.list({
      description:
        'OpenTelemetry and Zipkin span attributes indexed as X-Ray annotations (filterable with `annotation.<key>`), besides those a span lists in `aws.xray.annotations`.',
    }),
    maxRequestsInFlight: setting.int({
      default: 32,
      min: 1,
      max: 10_000,
      description:
        'OTLP and Zipkin requests being decoded or waiting for their spans to be stored, at most; one more is answered 429 (UNAVAILABLE on gRPC) with Retry-After at once, before its body is read.',
    }),
    indexAllAttributes: setting.bool({
      default: false,
      description: 'Index every OpenTelemetry and Zipkin span attribute with a string, number or boolean value as an annotation.',
    }),
  },
});
