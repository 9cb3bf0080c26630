import { afterAll, describe, expect, it } from 'vitest';
import { startRole, type RunningFluoro } from '../src/app/start.js';
import { formatAddress } from '../src/config/address.js';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/platform/telemetry/logger.js';
import { HEADER, sendDatagrams, tempDir, waitFor, xray } from './helpers.js';

/**
 * The collector and query roles over one data directory, one after the other (the embedded
 * DuckDB file is single-process): what the collector ingests, the query node reads back.
 */
describe('roles', () => {
  const dir = tempDir('fluoro-roles-');
  afterAll(() => dir.remove());
  const start = (role: 'collector' | 'query'): Promise<RunningFluoro> => {
    const { config } = loadConfig({
      argv: ['--data-dir', dir.path, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0', '--otlp-http', '127.0.0.1:0', '--otlp-grpc', '0'],
      env: { FLUORO_ZIPKIN: '127.0.0.1:0' },
    });
    return startRole(role, config, silentLogger);
  };
  const now = Math.floor(Date.now() / 1000);
  const traceId = `1-${(now - 60).toString(16)}-0000000000000000000a11ce`;
  const segment = (j: number): string =>
    JSON.stringify({
      name: 'checkout',
      id: (0xc0 + j).toString(16).padStart(16, '0'),
      trace_id: traceId,
      start_time: now - 60 + j,
      end_time: now - 59 + j,
    });

  it('collector: ingests X-Ray segments over UDP into the store, and serves no read API', async () => {
    const collector = await start('collector');
    try {
      expect(collector.role).toBe('collector');
      expect(collector.udp).not.toBeNull();
      expect(collector.otlpHttp).not.toBeNull();
      expect(collector.zipkin).not.toBeNull();
      expect(collector.otlpGrpc).toBeNull();
      const url = `http://${formatAddress(collector.http!)}`;

      await sendDatagrams(
        collector.udp!,
        [0, 1, 2].map((j) => HEADER + segment(j)),
      );
      const hex = traceId.replace(/^1-/, '').replace('-', '');
      const stored = await waitFor(async () => {
        const spans = (await collector.store.traces.getTraces([hex])).get(hex);
        return spans && spans.length === 3 ? spans : null;
      }, 'the three segments in the store');
      expect(stored.map((s) => s.name)).toEqual(['checkout', 'checkout', 'checkout']);

      expect((await xray(url, '/TraceSummaries', { StartTime: now - 600, EndTime: now })).status).toBe(404);
      expect((await xray(url, '/Traces', { TraceIds: [traceId] })).status).toBe(404);
      expect((await fetch(`${url}/api/v1/about`)).status).toBe(404);
      expect((await fetch(`${url}/`)).status).toBe(404);

      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^fluoro_spans_written_total 3$/m);

      // The other receivers: X-Ray over HTTP, and OTLP/HTTP and Zipkin on their own ports.
      const put = await xray(url, '/TraceSegments', { TraceSegmentDocuments: [segment(3)] });
      expect(put).toMatchObject({ status: 200, body: { UnprocessedTraceSegments: [] } });
      const otlp = await fetch(`http://${formatAddress(collector.otlpHttp!)}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(otlp.status).toBe(200);
      const zipkin = await fetch(`http://${formatAddress(collector.zipkin!)}/api/v2/spans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '[]',
      });
      expect(zipkin.status).toBe(202);
    } finally {
      await collector.stop();
    }
  });

  it('query: reads back through the X-Ray API what the collector stored, and ingests nothing', async () => {
    const query = await start('query');
    try {
      expect(query.role).toBe('query');
      expect([query.udp, query.otlpHttp, query.otlpGrpc, query.zipkin]).toEqual([null, null, null, null]);
      const url = `http://${formatAddress(query.http!)}`;

      const summaries = await xray(url, '/TraceSummaries', { StartTime: now - 600, EndTime: now });
      expect(summaries.status).toBe(200);
      expect(summaries.body['TraceSummaries'].map((s: { Id: string }) => s.Id)).toEqual([traceId]);
      const traces = await xray(url, '/Traces', { TraceIds: [traceId] });
      expect(traces.status).toBe(200);
      const ids = traces.body['Traces'][0].Segments.map((s: { Id: string }) => s.Id).sort();
      expect(ids).toEqual(['00000000000000c0', '00000000000000c1', '00000000000000c2', '00000000000000c3']);

      expect((await xray(url, '/TraceSegments', { TraceSegmentDocuments: [segment(4)] })).status).toBe(404);
      expect(
        (await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
      ).toBe(404);
      expect((await fetch(`${url}/api/v1/about`)).status).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      await query.stop();
    }
  });
});
