import { spawn, type ChildProcess } from 'node:child_process';
import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  GetTraceGraphCommand,
  GetTraceSummariesCommand,
  XRayClient,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress } from '../src/config/address.js';
import { startTestFluoro, waitFor, type TestFluoro } from './helpers.js';

/**
 * Acceptance: two real Express services instrumented with aws-xray-sdk-core/-express, A calling B
 * through captureHTTPsGlobal, send UDP segments to Fluoro; the test reads everything back with the
 * AWS SDK's own X-Ray client.
 */
const APP = new URL('./apps/xray-express-service.cjs', import.meta.url).pathname;

interface Service {
  proc: ChildProcess;
  url: string;
}

function startService(name: string, daemon: string, downstream?: string): Promise<Service> {
  const proc = spawn(process.execPath, [APP], {
    env: { ...process.env, SERVICE_NAME: name, AWS_XRAY_DAEMON_ADDRESS: daemon, ...(downstream ? { DOWNSTREAM: downstream } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve({ proc, url: `http://127.0.0.1:${m[1]}` });
    });
    proc.on('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

describe('X-Ray SDK services → Fluoro → AWS SDK X-Ray client', () => {
  let fluoro: TestFluoro;
  let a: Service;
  let b: Service;
  let client: XRayClient;
  const start = new Date(Date.now() - 60_000);
  const OK = 5;
  const FAULTS = 2;
  const ERRORS = 1;

  beforeAll(async () => {
    fluoro = await startTestFluoro();
    const daemon = formatAddress(fluoro.udp);
    b = await startService('service-b', daemon);
    a = await startService('service-a', daemon, b.url);
    client = new XRayClient({
      endpoint: fluoro.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'fluoro', secretAccessKey: 'fluoro' },
    });
    for (let i = 0; i < OK; i++) expect((await fetch(`${a.url}/work?user=user-${i}`)).status).toBe(200);
    for (let i = 0; i < FAULTS; i++) expect((await fetch(`${a.url}/fail`)).status).toBe(500);
    for (let i = 0; i < ERRORS; i++) expect((await fetch(`${a.url}/missing`)).status).toBe(404);
  });

  afterAll(async () => {
    a?.proc.kill('SIGTERM');
    b?.proc.kill('SIGTERM');
    await fluoro?.stop();
  });

  const total = OK + FAULTS + ERRORS;
  const summaries = async () =>
    (await client.send(new GetTraceSummariesCommand({ StartTime: start, EndTime: new Date(Date.now() + 60_000) }))).TraceSummaries ?? [];

  it('lists one summary per request, with the root segment’s facts', async () => {
    const list = await waitFor(async () => {
      const s = await summaries();
      return s.length === total && s;
    }, `${total} trace summaries`);
    const work = list.filter((s) => s.Http?.HttpURL?.includes('/work'));
    expect(work).toHaveLength(OK);
    for (const s of work) {
      expect(s.Id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(s).toMatchObject({
        HasFault: false,
        HasError: false,
        Http: { HttpMethod: 'GET', HttpStatus: 200 },
        EntryPoint: { Name: 'service-a' },
      });
      expect(s.ServiceIds!.map((x) => x.Name).sort()).toEqual(['service-a', 'service-b']);
      expect(s.Annotations!['route']![0]!.AnnotationValue).toEqual({ StringValue: 'work' });
      expect(s.ResponseTime).toBeGreaterThan(0);
      expect(s.Duration).toBeGreaterThanOrEqual(s.ResponseTime!);
    }
    // Users come from every segment: A records the caller's user, B (called without one) "anonymous".
    const usersOfA = work.flatMap((s) => s.Users!.filter((u) => u.ServiceIds!.some((x) => x.Name === 'service-a')).map((u) => u.UserName));
    expect(usersOfA.sort()).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
    for (const s of work) expect(s.Users!.find((u) => u.UserName === 'anonymous')!.ServiceIds!.map((x) => x.Name)).toEqual(['service-b']);
    expect(list.filter((s) => s.HasFault)).toHaveLength(FAULTS);
    expect(list.filter((s) => s.HasError && !s.HasFault)).toHaveLength(ERRORS);
    const times = list.map((s) => s.StartTime!.getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('returns one trace holding both services’ segments, linked by the calling subsegment', async () => {
    const id = (await summaries()).find((s) => s.Http?.HttpURL?.includes('/work'))!.Id!;
    const out = await client.send(new BatchGetTracesCommand({ TraceIds: [id] }));
    expect(out.UnprocessedTraceIds).toEqual([]);
    const docs = out.Traces![0]!.Segments!.map((s) => JSON.parse(s.Document!) as Record<string, any>);
    const segA = docs.find((d) => d['name'] === 'service-a')!;
    const segB = docs.find((d) => d['name'] === 'service-b')!;
    expect(segA.trace_id).toBe(id);
    expect(segB.trace_id).toBe(id);
    const call = (segA.subsegments as Array<Record<string, any>>).find((s) => s.namespace === 'remote')!;
    // The SDK records the host without the port.
    expect(call.http.request.url).toBe('http://127.0.0.1/work');
    expect(call.name).toBe('127.0.0.1');
    expect(segB.parent_id).toBe(call.id);
    expect(docs.filter((d) => d['inferred'])).toEqual([]);
  });

  it('draws client → service-a → service-b with the right counts and statistics', async () => {
    const graph = await client.send(new GetServiceGraphCommand({ StartTime: start, EndTime: new Date(Date.now() + 60_000) }));
    const services = graph.Services!;
    const byKey = new Map(services.map((s) => [`${s.Name}|${s.Type}`, s]));
    expect([...byKey.keys()].sort()).toEqual(['service-a|client', 'service-a|service', 'service-b|service']);
    const clientNode = byKey.get('service-a|client')!;
    const nodeA = byKey.get('service-a|service')!;
    const nodeB = byKey.get('service-b|service')!;
    expect(nodeA).toMatchObject({ Root: true, State: 'active' });
    expect(clientNode.SummaryStatistics).toBeUndefined();
    const clientEdge = clientNode.Edges!.find((e) => e.ReferenceId === nodeA.ReferenceId)!;
    expect(clientEdge.SummaryStatistics).toMatchObject({
      TotalCount: total,
      OkCount: OK,
      FaultStatistics: { TotalCount: FAULTS },
      ErrorStatistics: { TotalCount: ERRORS, ThrottleCount: 0 },
    });
    expect(nodeA.SummaryStatistics).toMatchObject({ TotalCount: total, OkCount: OK, FaultStatistics: { TotalCount: FAULTS } });
    const ab = nodeA.Edges!.find((e) => e.ReferenceId === nodeB.ReferenceId)!;
    expect(ab.SummaryStatistics).toMatchObject({ TotalCount: OK, OkCount: OK });
    expect(nodeB.SummaryStatistics).toMatchObject({ TotalCount: OK, OkCount: OK });
    // The edge is measured by the caller, so it includes the network: never faster than B itself.
    expect(ab.SummaryStatistics!.TotalResponseTime!).toBeGreaterThanOrEqual(nodeB.SummaryStatistics!.TotalResponseTime!);
    expect(ab.ResponseTimeHistogram!.reduce((n, h) => n + h.Count!, 0)).toBe(OK);
    expect(nodeB.Edges).toEqual([]);
  });

  it('draws the graph of a single trace', async () => {
    const id = (await summaries()).find((s) => s.Http?.HttpURL?.includes('/work'))!.Id!;
    const graph = await client.send(new GetTraceGraphCommand({ TraceIds: [id] }));
    const a = graph.Services!.find((s) => s.Name === 'service-a' && s.Type !== 'client')!;
    expect(a.SummaryStatistics!.TotalCount).toBe(1);
    expect(a.Edges).toHaveLength(1);
  });
});
