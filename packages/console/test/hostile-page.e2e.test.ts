import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { api, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Issue 11: a web page of another origin, open in a browser on the same machine, tries what a
 * CORS "simple request" allows against Fluoro on loopback, and a DNS-rebinding page (a foreign
 * name resolved to 127.0.0.1) tries to read it. Nothing it sends may change or store anything.
 */
const NOW = Math.floor(Date.now() / 1000);
const TRACE = `1-${NOW.toString(16)}-00000000000000000000e711`;
const FORGED = JSON.stringify({ name: 'forged', id: '00000000000e7111', trace_id: TRACE, start_time: NOW - 5, end_time: NOW - 4 });

/** What the hostile page runs against Fluoro at `target`; each attempt reports how it ended. */
const ATTACK = (target: string) => `
  const body = (o) => JSON.stringify(o);
  const attempt = async (name, f) => { try { const r = await f(); return name + ': sent' + (r && r.type ? ' (' + r.type + ')' : ''); } catch (e) { return name + ': ' + e.name; } };
  window.results = Promise.all([
    attempt('no-cors text/plain rule update', () => fetch('${target}/UpdateSamplingRule', { method: 'POST', mode: 'no-cors',
      body: body({ SamplingRuleUpdate: { RuleName: 'Default', FixedRate: 0, ReservoirSize: 0 } }) })),
    attempt('no-cors Blob segments', () => fetch('${target}/TraceSegments', { method: 'POST', mode: 'no-cors',
      body: new Blob([body({ TraceSegmentDocuments: [${JSON.stringify(FORGED)}] })]) })),
    attempt('no-cors form delete', () => fetch('${target}/DeleteSamplingRule', { method: 'POST', mode: 'no-cors',
      body: new URLSearchParams({ RuleName: 'keep-me' }) })),
    attempt('beacon segments', async () => navigator.sendBeacon('${target}/TraceSegments', body({ TraceSegmentDocuments: [${JSON.stringify(FORGED)}] }))),
    attempt('JSON with a preflight', () => fetch('${target}/DeleteSamplingRule', { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: body({ RuleName: 'keep-me' }) })),
    attempt('Zipkin spans', () => fetch('${target}/api/v2/spans', { method: 'POST', mode: 'no-cors',
      body: body([{ traceId: '${TRACE.slice(2).replace('-', '')}', id: '00000000000e7112', name: 'forged', timestamp: ${NOW - 5} * 1e6, duration: 1000, localEndpoint: { serviceName: 'forged' } }]) })),
  ]);
`;

describe('a hostile page in a browser on the same machine', () => {
  let fluoro: RunningFluoro;
  let evil: Server;
  let browser: Browser;
  let evilOrigin: string;

  beforeAll(async () => {
    fluoro = await startFluoro();
    await api(fluoro.url, '/CreateSamplingRule', {
      SamplingRule: {
        RuleName: 'keep-me',
        ResourceARN: '*',
        Priority: 10,
        FixedRate: 0.5,
        ReservoirSize: 3,
        ServiceName: '*',
        ServiceType: '*',
        Host: '*',
        HTTPMethod: '*',
        URLPath: '*',
        Version: 1,
      },
    });
    evil = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>evil</title><script>${ATTACK(fluoro.url)}</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    browser = await launchBrowser(['--host-resolver-rules=MAP rebind.evil.example 127.0.0.1']);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    evil?.close();
    await fluoro?.stop();
  });

  it('cannot change a sampling rule, delete one, or store a segment', async () => {
    const page = await browser.newPage();
    await page.goto(evilOrigin);
    const results = await page.evaluate(() => (window as unknown as { results: Promise<string[]> }).results);
    // The browser sent the simple requests (their answers are opaque to the page); the preflighted one never left.
    expect(results).toContain('JSON with a preflight: TypeError');
    const rules = await api<{
      SamplingRuleRecords: Array<{ SamplingRule: { RuleName: string; FixedRate: number; ReservoirSize: number } }>;
    }>(fluoro.url, '/GetSamplingRules', {});
    const byName = new Map(rules.SamplingRuleRecords.map((r) => [r.SamplingRule.RuleName, r.SamplingRule]));
    expect(byName.get('Default')).toMatchObject({ FixedRate: 0.05, ReservoirSize: 1 });
    expect(byName.get('keep-me')).toMatchObject({ FixedRate: 0.5 });
    const traces = await api<{ Traces: unknown[] }>(fluoro.url, '/Traces', { TraceIds: [TRACE] });
    expect(traces.Traces).toEqual([]);
    // Each attempt that reached Fluoro was refused and counted.
    const metrics = await (await fetch(`${fluoro.url}/metrics`)).text();
    const refused = [...metrics.matchAll(/^fluoro_http_requests_total\{[^}]*status="(403|415)"[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[2]),
      0,
    );
    expect(refused).toBeGreaterThanOrEqual(4);
    await page.close();
  }, 60_000);

  it('cannot read Fluoro through a rebinding name', async () => {
    const page = await browser.newPage();
    const port = new URL(fluoro.url).port;
    const res = await page.goto(`http://rebind.evil.example:${port}/`);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('Host \\"rebind.evil.example');
    const read = await page.evaluate(async (p) => {
      const r = await fetch(`http://rebind.evil.example:${p}/TraceSummaries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ StartTime: 0, EndTime: 1 }),
      });
      return r.status;
    }, port);
    expect(read).toBe(403);
    // The console itself, at its own origin, still works.
    const own = await page.goto(fluoro.url);
    expect(own?.status()).toBe(200);
    await page.close();
  }, 60_000);
});
