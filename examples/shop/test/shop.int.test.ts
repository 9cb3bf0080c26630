/**
 * The demo shop against a real `fluoro start` process: nine real Node processes (X-Ray SDK and
 * OpenTelemetry services, the DynamoDB-compatible endpoint, the payment API stub), real load, and
 * chaos every 7 s so that every kind of incident happens within the test. Everything asserted is
 * read back through the X-Ray API, as a user of the map and the traces would see it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../fixtures/random.mjs';
import { runFluoro, spawnFluoro, tempDir, waitFor, xray, type SpawnedFluoro } from '../../../packages/server/test/helpers.js';
import { PROCESSES, startShop, type ChaosEvent, type Shop } from '../dist/index.js';

interface Edge {
  ReferenceId: number;
  SummaryStatistics?: { TotalCount?: number; FaultStatistics?: { TotalCount?: number } };
}
interface GraphNode {
  ReferenceId: number;
  Name: string;
  Type: string;
  Edges?: Edge[];
  SummaryStatistics?: { FaultStatistics?: { TotalCount?: number } };
}

const CHAOS_EVERY_MS = 7_000;
const SHOP_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const seconds = (iso: string): number => Date.parse(iso) / 1000;

describe('the demo shop', () => {
  const dir = tempDir('fluoro-demo-test-');
  let fluoro: SpawnedFluoro;
  let shop: Shop;
  let startedAt: number;
  const log: string[] = [];

  async function graph(start: number, end: number): Promise<GraphNode[]> {
    const res = await xray(fluoro.url, '/ServiceGraph', { StartTime: Math.floor(start), EndTime: Math.ceil(end) });
    expect(res.status).toBe(200);
    return res.body.Services as GraphNode[];
  }

  function incident(kind: ChaosEvent['kind']): { start: ChaosEvent; end: ChaosEvent } | undefined {
    const start = shop.events.find((e) => e.kind === kind && e.phase === 'start');
    const end = start && shop.events.find((e) => e.incident === start.incident && e.phase === 'end');
    return start && end ? { start, end } : undefined;
  }

  beforeAll(async () => {
    fluoro = await spawnFluoro(['start', '--data-dir', dir.path, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0', '--log-level', 'warn']);
    const [host, port] = [fluoro.udp.host, fluoro.udp.port];
    const http = fluoro.url.slice('http://'.length);
    startedAt = Date.now() / 1000;
    shop = await startShop({
      fluoro: { udp: `${host}:${port}`, http },
      rate: 15,
      chaos: true,
      chaosEveryMs: CHAOS_EVERY_MS,
      chaosEffectMs: 5_000,
      restartAfterMs: 5_000,
      otelFlushMs: 300,
      random: seededRandom(7), // the same load and chaos choices on every run, timing aside
      log: (line) => log.push(line),
    });
    // Chaos draws its kinds from a shuffled deck: all four happen within four incidents.
    await waitFor(
      async () => incident('payments-faults') && incident('service-kill'),
      'a payments incident and a service kill, both over',
      6 * CHAOS_EVERY_MS,
    );
    shop.setChaos(false);
    await shop.stop(); // services flush their last spans on the way out
    await new Promise((r) => setTimeout(r, 1_500)); // Fluoro files what just arrived
  }, 85_000);

  afterAll(async () => {
    await shop?.stop();
    fluoro?.proc.kill('SIGTERM');
    await fluoro?.exited;
    dir.remove();
  });

  it('logs every chaos event with its time', () => {
    const lines = log.filter((l) => / chaos #\d+ (start|end) /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(Number.isNaN(Date.parse(line.split(' ')[0]!))).toBe(false);
    expect(shop.load.sent).toBeGreaterThan(300);
    expect(shop.load.byClass['2xx']).toBeGreaterThan(200);
    expect(shop.load.byClass['4xx']).toBeGreaterThan(0); // the 404s and 400s the load asks for
  });

  it('draws every service and the inferred DynamoDB, SQL and remote nodes, with the right edges', async () => {
    const nodes = await graph(startedAt - 5, Date.now() / 1000 + 5);
    const byRef = new Map(nodes.map((n) => [n.ReferenceId, n]));
    const edges = new Set(
      nodes.flatMap((n) =>
        (n.Edges ?? []).map((e) => `${n.Name}(${n.Type}) -> ${byRef.get(e.ReferenceId)!.Name}(${byRef.get(e.ReferenceId)!.Type})`),
      ),
    );
    const named = (name: string, type: string) => nodes.find((n) => n.Name === name && n.Type === type);
    for (const p of PROCESSES.filter((p) => p.instrumentation !== 'none')) expect(named(p.name, 'service'), p.name).toBeDefined();
    const table = nodes.find((n) => n.Type === 'AWS::DynamoDB::Table')!;
    expect(table).toBeDefined();
    const expected = [
      'frontend(client) -> frontend(service)',
      'frontend(service) -> catalog(service)',
      'frontend(service) -> cart(service)',
      'frontend(service) -> orders(service)',
      `catalog(service) -> ${table.Name}(AWS::DynamoDB::Table)`,
      'orders(service) -> orders.sqlite(Database::SQL)',
      'orders(service) -> payments(service)',
      'orders(service) -> notifications(service)',
      'notifications(service) -> fulfillment(service)',
      'payments(service) -> api.paystream.example(remote)',
    ];
    for (const e of expected) expect(edges, e).toContain(e);
  });

  it('keeps the asynchronous notifications → fulfillment hop in the trace of the checkout that caused it', async () => {
    const res = await xray(fluoro.url, '/TraceSummaries', {
      StartTime: Math.floor(startedAt - 5),
      EndTime: Math.ceil(Date.now() / 1000 + 5),
      FilterExpression: 'service("fulfillment") AND http.url CONTAINS "/api/checkout"',
    });
    expect(res.status).toBe(200);
    const ids = (res.body.TraceSummaries as Array<{ Id: string }>).map((s) => s.Id).slice(0, 5);
    expect(ids.length).toBeGreaterThan(0);
    const traces = await xray(fluoro.url, '/Traces', { TraceIds: ids });
    for (const t of traces.body.Traces as Array<{ Segments: Array<{ Document: string }> }>) {
      const docs = t.Segments.map((s) => JSON.parse(s.Document) as { name: string; http?: { request?: { url?: string } } });
      const names = new Set(docs.map((d) => d.name));
      for (const n of ['frontend', 'orders', 'notifications', 'fulfillment']) expect(names, n).toContain(n);
      expect(docs.find((d) => d.name === 'frontend')!.http!.request!.url).toContain('/api/checkout');
    }
  });

  it('samples centrally: its rule in Fluoro, the counts its SDKs report, its version on every service', async () => {
    const rules = await xray(fluoro.url, '/GetSamplingRules', {});
    const rule = (rules.body.SamplingRuleRecords as Array<{ SamplingRule: Record<string, unknown> }>).find(
      (r) => r.SamplingRule['RuleName'] === 'fluoro-demo-shop',
    );
    expect(rule?.SamplingRule).toMatchObject({ ServiceName: 'frontend', FixedRate: 1 });
    expect(log).toContain(
      'sampling: created rule fluoro-demo-shop in Fluoro: frontend records every request (edit it on the Sampling page)',
    );
    // What the Sampling page shows: frontend's X-Ray SDK matched its requests to the rule and said so.
    const stats = await xray(fluoro.url, '/SamplingStatisticSummaries', {});
    const counts = (
      stats.body.SamplingStatisticSummaries as Array<{ RuleName: string; RequestCount: number; SampledCount: number }>
    ).filter((s) => s.RuleName === 'fluoro-demo-shop');
    const requests = counts.reduce((n, s) => n + s.RequestCount, 0);
    expect(requests).toBeGreaterThan(100);
    expect(counts.reduce((n, s) => n + s.SampledCount, 0)).toBe(requests);

    const found = await xray(fluoro.url, '/TraceSummaries', {
      StartTime: Math.floor(startedAt - 5),
      EndTime: Math.ceil(Date.now() / 1000 + 5),
      FilterExpression: 'service("payments") AND service("cart") AND http.url CONTAINS "/api/checkout"',
    });
    const id = (found.body.TraceSummaries as Array<{ Id: string }>)[0]!.Id;
    const traces = await xray(fluoro.url, '/Traces', { TraceIds: [id] });
    const docs = (traces.body.Traces as Array<{ Segments: Array<{ Document: string }> }>)[0]!.Segments.map(
      (s) => JSON.parse(s.Document) as { name: string; service?: { version?: string } },
    );
    const versions = Object.fromEntries(docs.map((d) => [d.name, d.service?.version]));
    // X-Ray SDK services (frontend, payments) and OpenTelemetry ones (cart, orders) alike.
    for (const name of ['frontend', 'payments', 'cart', 'orders']) expect(versions[name], name).toBe(SHOP_VERSION);
  });

  it('finds payments faults during a payments incident, with payments as their root cause', async () => {
    const { start, end } = incident('payments-faults')!;
    const res = await xray(fluoro.url, '/TraceSummaries', {
      StartTime: Math.floor(seconds(start.time)),
      EndTime: Math.ceil(seconds(end.time) + 1),
      FilterExpression: 'service("payments") { fault }',
    });
    expect(res.status).toBe(200);
    const summaries = res.body.TraceSummaries as Array<{
      FaultRootCauses?: Array<{ Services: Array<{ Name: string; EntityPath: Array<{ Exceptions?: Array<{ Name?: string }> }> }> }>;
    }>;
    expect(summaries.length).toBeGreaterThan(0);
    for (const s of summaries) {
      // Each root cause is the path of services from the entry point to where the fault began.
      const rootCause = s.FaultRootCauses![0]!.Services.at(-1)!;
      expect(rootCause.Name).toBe('payments');
      expect(rootCause.EntityPath.flatMap((p) => p.Exceptions ?? []).map((x) => x.Name)).toContain('LedgerUnavailableError');
    }
  });

  it('shows the faults at the callers of a killed service while it is down', async () => {
    const { start, end } = incident('service-kill')!;
    const victim = start.target;
    const callers = PROCESSES.filter((p) => (p.calls as readonly string[]).includes(victim)).map((p) => p.name);
    expect(callers.length).toBeGreaterThan(0);
    const nodes = await graph(seconds(start.time) - 1, seconds(end.time) + 1);
    const byRef = new Map(nodes.map((n) => [n.ReferenceId, n]));
    const faultsToVictim = nodes
      .filter((n) => n.Type === 'service' && (callers as string[]).includes(n.Name))
      .flatMap((n) => (n.Edges ?? []).filter((e) => byRef.get(e.ReferenceId)!.Name === victim))
      .reduce((sum, e) => sum + (e.SummaryStatistics?.FaultStatistics?.TotalCount ?? 0), 0);
    expect(faultsToVictim, `faults on the edges ${callers.join(', ')} → ${victim}`).toBeGreaterThan(0);
  });
});

describe('fluoro demo', () => {
  it('runs the shop and its load against a Fluoro given by address, for the time asked, then stops it all', async () => {
    const dir = tempDir('fluoro-demo-cli-');
    const fluoro = await spawnFluoro([
      'start',
      '--data-dir',
      dir.path,
      '--udp',
      '127.0.0.1:0',
      '--http',
      '127.0.0.1:0',
      '--log-level',
      'warn',
    ]);
    try {
      const http = fluoro.url.slice('http://'.length);
      const udp = `${fluoro.udp.host}:${fluoro.udp.port}`;
      const began = Date.now() / 1000;
      const run = await runFluoro(
        ['demo', '--fluoro-http', http, '--fluoro-udp', udp, '--rate', '10', '--chaos', 'off', '--duration', '6s'],
        {},
        40_000,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^demo shop running: frontend http:\/\/127\.0\.0\.1:\d+\/api\/products, 10 requests\/s, chaos off$/m);
      expect(run.stdout).toMatch(/^demo: stopped after \d+ requests; 0 chaos incidents$/m);
      const summaries = await waitFor(async () => {
        const res = await xray(fluoro.url, '/TraceSummaries', {
          StartTime: Math.floor(began - 1),
          EndTime: Math.ceil(Date.now() / 1000 + 1),
          FilterExpression: 'service("frontend")',
        });
        return (res.body.TraceSummaries as unknown[]).length > 20 && res.body.TraceSummaries;
      }, 'traces of the demo');
      expect(summaries.length).toBeGreaterThan(20);
      expect(await runFluoro(['demo', '--chaos', 'sometimes'])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--chaos must be on or off, not "sometimes"'),
      });
    } finally {
      fluoro.proc.kill('SIGTERM');
      await fluoro.exited;
      dir.remove();
    }
  });
});
