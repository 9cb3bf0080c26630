import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, createServer as createHttpServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import {
  CreateSamplingRuleCommand,
  DeleteSamplingRuleCommand,
  GetSamplingRulesCommand,
  GetSamplingStatisticSummariesCommand,
  GetSamplingTargetsCommand,
  GetTraceSummariesCommand,
  UpdateSamplingRuleCommand,
  type SamplingStatisticSummary,
  XRayClient,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress } from '../src/config/address.js';
import { runFluoro, samplingRule, spawnFluoro, startTestFluoro, tempDir, waitFor, type TestFluoro } from './helpers.js';

/**
 * Acceptance: Fluoro is the sampling authority. Rules are managed through the X-Ray API (AWS SDK
 * and AWS CLI), persist, and real X-Ray SDK instances in their default centralized mode obey them.
 */
const APP = new URL('./apps/xray-sampling-service.cjs', import.meta.url).pathname;
const AWS = '/usr/bin/aws';

function client(f: { url: string }): XRayClient {
  return new XRayClient({ endpoint: f.url, region: 'us-east-1', credentials: { accessKeyId: 'fluoro', secretAccessKey: 'fluoro' } });
}

async function refusal(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected the call to be refused');
}

describe('sampling rules through the X-Ray API', () => {
  let f: TestFluoro;
  let xray: XRayClient;

  beforeAll(async () => {
    f = await startTestFluoro(['--sampling.max-rules', '3']);
    xray = client(f);
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('starts with the built-in Default rule', async () => {
    const out = await xray.send(new GetSamplingRulesCommand({}));
    expect(out.SamplingRuleRecords!.map((r) => r.SamplingRule)).toEqual([
      {
        RuleName: 'Default',
        RuleARN: 'arn:aws:xray:local:000000000000:sampling-rule/Default',
        ResourceARN: '*',
        Priority: 10000,
        FixedRate: 0.05,
        ReservoirSize: 1,
        ServiceName: '*',
        ServiceType: '*',
        Host: '*',
        HTTPMethod: '*',
        URLPath: '*',
        Version: 1,
        Attributes: {},
      },
    ]);
  });

  it('creates, lists in priority order, updates and deletes rules', async () => {
    const created = await xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('api', { Attributes: { team: 'cart' } }) }));
    expect(created.SamplingRuleRecord!.SamplingRule).toMatchObject({
      RuleName: 'api',
      RuleARN: 'arn:aws:xray:local:000000000000:sampling-rule/api',
      Attributes: { team: 'cart' },
    });
    expect(created.SamplingRuleRecord!.CreatedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('first', { Priority: 1, URLPath: '/health?' }) }));
    const names = async () => (await xray.send(new GetSamplingRulesCommand({}))).SamplingRuleRecords!.map((r) => r.SamplingRule!.RuleName);
    expect(await names()).toEqual(['first', 'api', 'Default']);
    const updated = await xray.send(
      new UpdateSamplingRuleCommand({
        SamplingRuleUpdate: { RuleARN: 'arn:aws:xray:local:000000000000:sampling-rule/api', FixedRate: 0.5, Priority: 2 },
      }),
    );
    expect(updated.SamplingRuleRecord!.SamplingRule).toMatchObject({ FixedRate: 0.5, Priority: 2, ReservoirSize: 5, URLPath: '/api/*' });
    expect(updated.SamplingRuleRecord!.ModifiedAt!.getTime()).toBeGreaterThanOrEqual(updated.SamplingRuleRecord!.CreatedAt!.getTime());
    const deleted = await xray.send(new DeleteSamplingRuleCommand({ RuleName: 'first' }));
    expect(deleted.SamplingRuleRecord!.SamplingRule!.RuleName).toBe('first');
    expect(await names()).toEqual(['api', 'Default']);
    const def = await xray.send(
      new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', FixedRate: 0.2, ReservoirSize: 3 } }),
    );
    expect(def.SamplingRuleRecord!.SamplingRule).toMatchObject({ FixedRate: 0.2, ReservoirSize: 3, Priority: 10000 });
  });

  it('refuses invalid rules, naming the field and the limit', async () => {
    const cases: Array<[() => Promise<unknown>, string, string]> = [
      [
        () => xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('rate', { FixedRate: 1.5 }) })),
        'InvalidRequestException',
        "Value 1.5 at 'samplingRule.fixedRate' failed to satisfy constraint: Member must have value less than or equal to 1",
      ],
      [
        () => xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('prio', { Priority: 0 }) })),
        'InvalidRequestException',
        "Value 0 at 'samplingRule.priority' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ],
      [
        () => xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('x'.repeat(33)) })),
        'InvalidRequestException',
        'Member must have length less than or equal to 32',
      ],
      [
        () => xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('path', { URLPath: 'x'.repeat(129) }) })),
        'InvalidRequestException',
        "at 'samplingRule.uRLPath' failed to satisfy constraint: Member must have length less than or equal to 128",
      ],
      [
        () => xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('v2', { Version: 2 }) })),
        'InvalidRequestException',
        'SamplingRule.Version must be 1 (the only version X-Ray SDKs apply), not 2',
      ],
      [
        () => xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('api') })),
        'InvalidRequestException',
        'a sampling rule named api already exists',
      ],
      [
        () => xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('Default') })),
        'InvalidRequestException',
        'the rule name Default is reserved for the built-in rule; update it instead',
      ],
      [
        () => xray.send(new DeleteSamplingRuleCommand({ RuleName: 'Default' })),
        'InvalidRequestException',
        'the Default rule cannot be deleted; set its FixedRate and ReservoirSize to 0 to sample nothing by default',
      ],
      [
        () => xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', URLPath: '/x' } })),
        'InvalidRequestException',
        'only FixedRate and ReservoirSize of the Default rule can change, not URLPath',
      ],
      [
        () => xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'nope', FixedRate: 0 } })),
        'InvalidRequestException',
        'no sampling rule named nope',
      ],
      // The model leaves SamplingRuleUpdate's numbers unbounded; an update is held to the rule's ranges.
      [
        () => xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'api', FixedRate: 1.5 } })),
        'InvalidRequestException',
        "Value 1.5 at 'samplingRuleUpdate.fixedRate' failed to satisfy constraint: Member must have value less than or equal to 1",
      ],
      [
        () => xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'Default', ReservoirSize: -1 } })),
        'InvalidRequestException',
        "Value -1 at 'samplingRuleUpdate.reservoirSize' failed to satisfy constraint: Member must have value greater than or equal to 0",
      ],
      [
        () => xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'api', Priority: 10000 } })),
        'InvalidRequestException',
        "Value 10000 at 'samplingRuleUpdate.priority' failed to satisfy constraint: Member must have value less than or equal to 9999",
      ],
    ];
    for (const [call, name, message] of cases) {
      const r = await refusal(call());
      expect(r.name, message).toBe(name);
      expect(r.message, message).toContain(message);
    }
    await xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('two') }));
    await xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('three') }));
    expect(await refusal(xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('four') })))).toEqual({
      name: 'RuleLimitExceededException',
      message: 'there are already 3 sampling rules besides Default; the limit is 3 (sampling.maxRules)',
    });
    await xray.send(new DeleteSamplingRuleCommand({ RuleName: 'two' }));
    await xray.send(new DeleteSamplingRuleCommand({ RuleName: 'three' }));
  });

  it('gives each client its share of the reservoir, never more than the rule allows in total', async () => {
    await xray.send(new CreateSamplingRuleCommand({ SamplingRule: samplingRule('shared', { ReservoirSize: 7, FixedRate: 0 }) }));
    const report = async (clientId: string) =>
      (
        await xray.send(
          new GetSamplingTargetsCommand({
            SamplingStatisticsDocuments: [
              { RuleName: 'shared', ClientID: clientId, Timestamp: new Date(), RequestCount: 50, SampledCount: 5 },
            ],
          }),
        )
      ).SamplingTargetDocuments![0]!;
    const a = await report('a'.repeat(24));
    expect(a).toMatchObject({ RuleName: 'shared', FixedRate: 0, ReservoirQuota: 7, Interval: 10 });
    expect(a.ReservoirQuotaTTL!.getTime()).toBeGreaterThan(Date.now());
    // A second client joins: it gets what the first leaves until the first reports again.
    expect((await report('b'.repeat(24))).ReservoirQuota).toBe(0);
    expect((await report('a'.repeat(24))).ReservoirQuota).toBe(4);
    expect((await report('b'.repeat(24))).ReservoirQuota).toBe(3);
    const unknown = await xray.send(
      new GetSamplingTargetsCommand({
        SamplingStatisticsDocuments: [
          { RuleName: 'gone', ClientID: 'c'.repeat(24), Timestamp: new Date(), RequestCount: 1, SampledCount: 0 },
        ],
      }),
    );
    expect(unknown.UnprocessedStatistics).toEqual([
      { RuleName: 'gone', ErrorCode: 'RuleNotFound', Message: 'no sampling rule named gone; fetch the rules again' },
    ]);
    expect(unknown.LastRuleModification!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const summaries = (await xray.send(new GetSamplingStatisticSummariesCommand({}))).SamplingStatisticSummaries!.filter(
      (s) => s.RuleName === 'shared',
    );
    expect(summaries.reduce((n, s) => n + s.RequestCount!, 0)).toBe(200);
    expect(summaries.reduce((n, s) => n + s.SampledCount!, 0)).toBe(20);
  });
});

describe('sampling rules persist and work with the AWS CLI', () => {
  const dir = tempDir('fluoro-sampling-');
  afterAll(() => dir.remove());
  const run = promisify(execFile);

  it('create / get / update / delete-sampling-rule, kept across kill -9', async () => {
    const first = await spawnFluoro(['start', '--data-dir', dir.path, '--udp', '0', '--http', '127.0.0.1:0']);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'fluoro',
      AWS_SECRET_ACCESS_KEY: 'fluoro',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    };
    const aws = async (url: string, ...args: string[]) =>
      JSON.parse((await run(AWS, ['xray', ...args, '--endpoint-url', url, '--output', 'json'], { env })).stdout || '{}');
    try {
      const created = await aws(first.url, 'create-sampling-rule', '--sampling-rule', JSON.stringify(samplingRule('cli-rule')));
      expect(created.SamplingRuleRecord.SamplingRule.RuleName).toBe('cli-rule');
      await aws(first.url, 'update-sampling-rule', '--sampling-rule-update', JSON.stringify({ RuleName: 'cli-rule', ReservoirSize: 42 }));
      await aws(first.url, 'create-sampling-rule', '--sampling-rule', JSON.stringify(samplingRule('doomed')));
      await aws(first.url, 'delete-sampling-rule', '--rule-name', 'doomed');
    } finally {
      first.proc.kill('SIGKILL');
      await first.exited;
    }
    const second = await spawnFluoro(['start', '--data-dir', dir.path, '--udp', '0', '--http', '127.0.0.1:0']);
    try {
      const rules = await aws(second.url, 'get-sampling-rules');
      expect(rules.SamplingRuleRecords.map((r: any) => [r.SamplingRule.RuleName, r.SamplingRule.ReservoirSize])).toEqual([
        ['cli-rule', 42],
        ['Default', 1],
      ]);
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  });
});

describe('fluoro sampling import / export', () => {
  let f: TestFluoro;
  const dir = tempDir('fluoro-sampling-cli-');
  beforeAll(async () => {
    f = await startTestFluoro();
  });
  afterAll(async () => {
    await f?.stop();
    dir.remove();
  });

  it('imports an SDK rules file into a running Fluoro and exports it back', async () => {
    const file = `${dir.path}/rules.json`;
    const rules = {
      version: 2,
      rules: [{ description: 'moves', host: '*', http_method: 'POST', url_path: '/api/move/*', fixed_target: 2, rate: 0.05 }],
      default: { fixed_target: 3, rate: 0.2 },
    };
    writeFileSync(file, JSON.stringify(rules));
    const imported = await runFluoro(['sampling', 'import', file, '--endpoint', f.url]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('created moves\nupdated Default: ReservoirSize 3, FixedRate 0.2\n');
    // Again: the same names are updated, not duplicated.
    expect((await runFluoro(['sampling', 'import', file, '--endpoint', f.url])).stdout).toContain('updated moves');
    const exported = await runFluoro(['sampling', 'export', '--endpoint', f.url]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(rules);
    const broken = `${dir.path}/broken.json`;
    writeFileSync(broken, JSON.stringify({ version: 2, default: { fixed_target: 1 } }));
    expect(await runFluoro(['sampling', 'import', broken, '--endpoint', f.url])).toMatchObject({
      code: 1,
      stderr: 'fluoro sampling import: default.rate must be a number from 0 to 1\n',
    });
    expect(await runFluoro(['sampling', 'export', '--endpoint', 'http://127.0.0.1:1'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot reach Fluoro at http://127.0.0.1:1'),
    });
  });
});

/** A Node service instrumented with the X-Ray SDK (`apps/xray-sampling-service.cjs`), started; resolves with its port. */
async function startNodeApp(daemon: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, [APP], {
    env: { ...process.env, AWS_XRAY_DAEMON_ADDRESS: daemon },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`sampling app exited with ${code}`)));
  });
  return { proc, port };
}

/** Sends `perSecond` requests per second to each port's `path` for `seconds`, bounded; resolves with what was sent. */
async function load(
  ports: readonly number[],
  path: string,
  perSecond: number,
  seconds: number,
  agent: Agent,
  sentAt?: number[],
): Promise<number> {
  const get = (port: number) =>
    new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', () => resolve());
      req.end();
    });
  const t0 = Date.now();
  let sent = 0;
  const pending: Array<Promise<void>> = [];
  for (let tick = 0; tick < perSecond * seconds; tick++) {
    const wait = t0 + (tick * 1000) / perSecond - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (const port of ports) {
      pending.push(get(port));
      sentAt?.push(Date.now() / 1000);
      sent++;
    }
  }
  await Promise.all(pending);
  return sent;
}

/** Traces stored matching `filter` between two times, from GetTraceSummaries. */
async function stored(xray: XRayClient, filter: string, from: number, to: number): Promise<number> {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: new Date(from * 1000),
        EndTime: new Date(to * 1000),
        FilterExpression: filter,
        NextToken: token,
      }),
    );
    n += page.TraceSummaries!.length;
    token = page.NextToken;
  } while (token);
  return n;
}

/**
 * The SDKs start polling on their first request: quotas arrive with the first report, ~10 s in.
 * The X-Ray SDK for Node.js misreads X-Ray's timestamps (`TimeUnit` in sampling/targets.ts):
 * Fluoro sees it borrow while it holds a quota at its second report, ~20 s in, and it obeys its
 * quota from then on. Steady state is counted from 22 s.
 */
const STEADY_FROM = 22;

describe('X-Ray SDK instances obey Fluoro’s rules', () => {
  let f: TestFluoro;
  let xray: XRayClient;
  const apps: Array<{ proc: ChildProcess; port: number }> = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const ports = () => apps.map((a) => a.port);

  beforeAll(async () => {
    f = await startTestFluoro();
    xray = client(f);
    await xray.send(
      new CreateSamplingRuleCommand({
        SamplingRule: samplingRule('sampled-path', { Priority: 1, URLPath: '/sampled', ReservoirSize: 10, FixedRate: 0 }),
      }),
    );
    const daemon = `tcp:${formatAddress(f.fluoro.http!)} udp:${formatAddress(f.udp)}`;
    for (let i = 0; i < 2; i++) apps.push(await startNodeApp(daemon));
    // An SDK fetches the rules on its first request, which it decides by its local rules meanwhile:
    // one request each first, so that every request of the test meets the rules.
    for (const a of apps) await fetch(`http://127.0.0.1:${a.port}/warm-up`);
    await new Promise((r) => setTimeout(r, 1_000));
  });
  afterAll(async () => {
    agent.destroy();
    for (const a of apps) a.proc.kill('SIGTERM');
    await f?.stop();
  });

  it('samples about ReservoirSize per second across both instances, Default elsewhere, and reports it', async () => {
    const t0 = Date.now() / 1000;
    const otherAt: number[] = [];
    const [sampledSent, otherSent] = await Promise.all([
      load(ports(), '/sampled', 100, 32, agent),
      load(ports(), '/other', 20, 32, agent, otherAt),
    ]);
    const t1 = Date.now() / 1000;
    const steady = [t0 + STEADY_FROM, t1] as const;
    await new Promise((r) => setTimeout(r, 2_000));
    const perSecond = (await stored(xray, 'http.url CONTAINS "/sampled"', ...steady)) / (steady[1] - steady[0]);
    expect(perSecond).toBeGreaterThan(8);
    expect(perSecond).toBeLessThan(12);
    // Default: a reservoir of 1 per second, which Fluoro gives to one instance; the other gets a
    // quota of 0, which the Node SDK ignores and borrows 1 a second instead: 2 a second in all,
    // then 5% of the rest, of the requests sent in the window (a busy machine sends some late, in bursts).
    const seconds = steady[1] - steady[0];
    const otherPerSecond = (await stored(xray, 'http.url CONTAINS "/other"', ...steady)) / seconds;
    const inWindow = otherAt.filter((t) => t >= steady[0] && t < steady[1]).length;
    const expected = 2 + (inWindow / seconds - 2) * 0.05;
    expect(otherPerSecond).toBeGreaterThan(expected * 0.5);
    expect(otherPerSecond).toBeLessThan(expected * 1.5);
    // Each instance reports every 10 s: once the last reports are in, they add up to what was sent.
    let summaries: SamplingStatisticSummary[] = [];
    const total = (name: string, key: 'RequestCount' | 'SampledCount' | 'BorrowCount') =>
      summaries.filter((s) => s.RuleName === name).reduce((n, s) => n + s[key]!, 0);
    await waitFor(
      async () => {
        summaries = (await xray.send(new GetSamplingStatisticSummariesCommand({}))).SamplingStatisticSummaries!;
        return total('sampled-path', 'RequestCount') === sampledSent && total('Default', 'RequestCount') === otherSent;
      },
      'the last statistics reports',
      25_000,
    ).catch(() => undefined); // the expectations below say by how much
    // The SDK resets a rule's counts when it takes them for a report, and a report that does not
    // arrive loses them (seen: 1 request of 6,400): never more than was sent, and at most 0.5% less.
    const within = (reported: number, actual: number) => {
      expect(reported).toBeLessThanOrEqual(actual);
      expect(reported).toBeGreaterThanOrEqual(Math.floor(actual * 0.995));
    };
    within(total('sampled-path', 'RequestCount'), sampledSent);
    within(total('Default', 'RequestCount'), otherSent);
    // What an SDK reported sampled (taken from its quota or borrowed) was stored as a trace.
    within(
      total('sampled-path', 'SampledCount') + total('sampled-path', 'BorrowCount'),
      await stored(xray, 'http.url CONTAINS "/sampled"', t0 - 5, t1 + 5),
    );
  }, 90_000);

  it('follows a new fixed rate within one reporting interval', async () => {
    await xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: 'sampled-path', FixedRate: 0.5 } }));
    const t0 = Date.now() / 1000;
    const sent = await load(ports(), '/sampled', 50, 16, agent);
    const t1 = Date.now() / 1000;
    await new Promise((r) => setTimeout(r, 2_000));
    const from = t0 + 11;
    const perSecond = (await stored(xray, 'http.url CONTAINS "/sampled"', from, t1)) / (t1 - from);
    // 10 per second from the reservoir, then half of the other ~90.
    const rate = sent / (t1 - t0);
    const expected = 10 + (rate - 10) * 0.5;
    expect(perSecond).toBeGreaterThan(expected * 0.8);
    expect(perSecond).toBeLessThan(expected * 1.2);
  });
});

/**
 * Issue 12 #2: SDKs behind the X-Ray daemon. Its TCP port is a plain HTTP forwarder to X-Ray (Go's
 * reverse proxy, signing each request), so a client that sends no User-Agent (the X-Ray SDK for
 * Node.js) arrives with Go's. This stands in for it: it forwards every request as is and sets
 * `User-Agent: Go-http-client/1.1` where the client sent none. Node and Python SDKs, behind it and
 * directly, each get and obey their quota of 3 a second.
 */
describe('X-Ray SDKs behind the X-Ray daemon’s proxy, and directly', () => {
  const PYTHON_APP = new URL('./apps/xray-python-sampling.py', import.meta.url).pathname;
  let f: TestFluoro;
  let xray: XRayClient;
  let proxy: Server;
  let node: { proc: ChildProcess; port: number };
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const seen: string[] = [];

  beforeAll(async () => {
    f = await startTestFluoro();
    xray = client(f);
    for (const [name, over] of [
      ['node-proxy', { ServiceName: 'sampling-app', URLPath: '/via-proxy' }],
      ['py-proxy', { ServiceName: 'py-proxy', URLPath: '*' }],
      ['py-direct', { ServiceName: 'py-direct', URLPath: '*' }],
    ] as const) {
      await xray.send(
        new CreateSamplingRuleCommand({ SamplingRule: samplingRule(name, { Priority: 1, ReservoirSize: 3, FixedRate: 0, ...over }) }),
      );
    }
    const upstream = f.fluoro.http!;
    proxy = createHttpServer((req, res) => {
      seen.push(`${req.url} ${req.headers['user-agent'] ?? '(none)'}`);
      const headers = { ...req.headers, 'user-agent': req.headers['user-agent'] ?? 'Go-http-client/1.1' };
      const out = request({ host: upstream.host, port: upstream.port, path: req.url, method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      out.on('error', () => res.destroy());
      req.pipe(out);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxied = `tcp:127.0.0.1:${(proxy.address() as AddressInfo).port} udp:${formatAddress(f.udp)}`;
    node = await startNodeApp(proxied);
    await fetch(`http://127.0.0.1:${node.port}/warm-up`);
  });
  afterAll(async () => {
    agent.destroy();
    node?.proc.kill('SIGTERM');
    await new Promise((r) => proxy?.close(r));
    await f?.stop();
  });

  const python = (service: string, daemon: string, seconds: number) =>
    new Promise<number>((resolve, reject) => {
      const proc = spawn('python3', [PYTHON_APP, service, '20', String(seconds)], {
        env: { ...process.env, AWS_XRAY_DAEMON_ADDRESS: daemon, AWS_ACCESS_KEY_ID: 'fluoro', AWS_SECRET_ACCESS_KEY: 'fluoro' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
      proc.on('exit', (code) => {
        const m = /handled (\d+)/.exec(out);
        if (code === 0 && m) resolve(Number(m[1]));
        else reject(new Error(`python app exited with ${code}: ${err}`));
      });
    });

  it('gives each its quota in a form it reads, whatever User-Agent arrives', async () => {
    const proxied = `tcp:127.0.0.1:${(proxy.address() as AddressInfo).port} udp:${formatAddress(f.udp)}`;
    const direct = `tcp:${formatAddress(f.fluoro.http!)} udp:${formatAddress(f.udp)}`;
    const t0 = Date.now() / 1000;
    await Promise.all([load([node.port], '/via-proxy', 20, 32, agent), python('py-proxy', proxied, 33), python('py-direct', direct, 33)]);
    const t1 = Date.now() / 1000;
    await new Promise((r) => setTimeout(r, 2_000));
    const from = t0 + STEADY_FROM;
    for (const filter of ['http.url CONTAINS "/via-proxy"', 'service("py-proxy")', 'service("py-direct")']) {
      const perSecond = (await stored(xray, filter, from, t1)) / (t1 - from);
      // 3 a second from the quota; a client that could not read it would borrow 1 a second.
      expect(perSecond, filter).toBeGreaterThan(1.8);
      expect(perSecond, filter).toBeLessThan(4);
    }
    // Both polled through the proxy: Node with no User-Agent (so Fluoro saw Go's), Python with botocore's.
    expect(seen).toContain('/SamplingTargets (none)');
    expect(seen.some((s) => /^\/SamplingTargets .*Botocore\//.test(s))).toBe(true);
  });
});
