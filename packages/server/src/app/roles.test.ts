import { describe, expect, it } from 'vitest';
import { startOrder } from './lifecycle.js';
import { ROLES } from './roles.js';

const names = (role: keyof typeof ROLES): string[] => ROLES[role].modules.map((m) => m.name);

describe('roles', () => {
  it.each(Object.keys(ROLES) as Array<keyof typeof ROLES>)('%s composes: every need is provided, nothing waits in a circle', (role) => {
    expect(() => startOrder(ROLES[role].modules)).not.toThrow();
  });

  it('all starts the store first and the receivers and listeners last, in the order Fluoro always has', () => {
    expect(startOrder(ROLES.all.modules).map((m) => m.name)).toEqual([
      'store',
      'trace-pipeline',
      'root-causes',
      'retention',
      'trace-queries',
      'xray-documents',
      'xray-sampling-api',
      'decode-thread',
      'otel-ingest',
      'health',
      'xray-ingest-api',
      'xray-read-api',
      'otlp-http-routes',
      'zipkin-routes',
      'native-api',
      'console',
      'xray-udp',
      'http-listener',
      'otlp-http-listener',
      'otlp-grpc',
      'zipkin-listener',
    ]);
  });

  it('all holds every module of every role', () => {
    for (const role of Object.keys(ROLES) as Array<keyof typeof ROLES>) expect(names('all')).toEqual(expect.arrayContaining(names(role)));
  });

  it('collector ingests and serves no read API and no console', () => {
    expect(names('collector')).toEqual(
      expect.arrayContaining(['store', 'trace-pipeline', 'root-causes', 'retention', 'xray-udp', 'otlp-grpc', 'health']),
    );
    for (const m of ['trace-queries', 'xray-read-api', 'native-api', 'console']) expect(names('collector')).not.toContain(m);
  });

  it('query serves the APIs and the console, with no receiver, pipeline or analyzer', () => {
    expect(names('query')).toEqual(expect.arrayContaining(['store', 'xray-read-api', 'native-api', 'console', 'health', 'http-listener']));
    for (const m of [
      'trace-pipeline',
      'root-causes',
      'retention',
      'xray-documents',
      'xray-ingest-api',
      'decode-thread',
      'otel-ingest',
      'xray-udp',
      'otlp-grpc',
    ])
      expect(names('query')).not.toContain(m);
  });
});
