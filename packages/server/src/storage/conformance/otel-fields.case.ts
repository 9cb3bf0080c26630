import type { Span } from '@fluoro/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterTraces } from '../../../../../fixtures/index.js';
import type { StorageBackend } from '../api/index.js';
import { FixtureWriter, type ConformanceTarget } from './harness.js';

/**
 * Spans that arrived over OTLP keep their OpenTelemetry fields (resource, scope, attributes,
 * events, links, status, span kind) beside X-Ray's, and read back equal to what was written.
 */
export function otelFieldCases(target: ConformanceTarget): void {
  describe(`OpenTelemetry fields: ${target.name}`, () => {
    const fx = filterTraces();
    let store: StorageBackend;
    let written: Span[];
    beforeAll(async () => {
      store = await target.open();
      const writer = await FixtureWriter.start(store);
      written = (await Promise.all(fx.otlp.map((r) => writer.writeOtlp(r)))).flat();
      await writer.stop();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('round-trips every field of every span', async () => {
      const stored = await store.traces.getTraces(Object.values(fx.otlpTraceIds));
      const byKey = new Map([...stored.values()].flat().map((s) => [s.traceId + s.id, s]));
      expect(byKey.size).toBe(written.length);
      for (const s of written) expect(byKey.get(s.traceId + s.id), s.name).toEqual(s);
    });

    it('gives every span of a document its resource, and the server span its attributes, status and events', async () => {
      const o2 = (await store.traces.getTraces([fx.otlpTraceIds['O2']!])).get(fx.otlpTraceIds['O2']!)!;
      const server = o2.find((s) => s.id === 'a200000000000001')!;
      expect(server).toMatchObject({
        spanKind: 'server',
        status: { code: 'error', message: 'order store down' },
        scope: { name: '@opentelemetry/instrumentation-http', version: '0.200.0' },
        attributes: { 'http.route': '/api/orders', 'app.retries': 0, tags: ['a', 'b'], nothing: null },
        resource: { 'service.name': 'web-otel', 'deployment.environment': 'prod' },
        events: [{ name: 'exception' }],
      });
      const o1 = (await store.traces.getTraces([fx.otlpTraceIds['O1']!])).get(fx.otlpTraceIds['O1']!)!;
      const query = o1.find((s) => s.id === 'a100000000000002')!;
      expect(query).toMatchObject({
        spanKind: 'client',
        resource: { 'service.name': 'web-otel' },
        attributes: { 'db.system': 'postgresql' },
      });
    });
  });
}
