import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TraceSummary } from '../src/api/xray-types.js';
import { OTEL_APP, startApp, stopApps, XRAY_APP, type App } from '../../server/test/apps.js';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { api, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Acceptance of the lost-trace-context hint (issue 12): a real X-Ray SDK service calls a real
 * OpenTelemetry JS service that reads only W3C traceparent (docs/opentelemetry.md, "The trap"),
 * so one request becomes two traces; the trace page of each names and links the other. Where the
 * OTel service reads X-Amzn-Trace-Id the request is one trace and no page says anything, even
 * though a request straight to that service began a trace during the call.
 */
describe('the trace page, when a call lost its trace context', () => {
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;
  const apps: App[] = [];
  const start = Math.floor(Date.now() / 1000) - 60;
  /** The broken request's two traces; the joined request's one; the direct request to the joined callee. */
  const ids = { caller: '', callee: '', joined: '', direct: '' };
  let calleeUrl = '';

  const summaries = async (filter: string): Promise<TraceSummary[]> =>
    (
      await api<{ TraceSummaries: TraceSummary[] }>(fluoro.url, '/TraceSummaries', {
        StartTime: start,
        EndTime: Math.ceil(Date.now() / 1000) + 60,
        FilterExpression: filter,
      })
    ).TraceSummaries;
  const entered = (list: TraceSummary[], service: string) => list.filter((s) => s.EntryPoint?.Name === service);

  beforeAll(async () => {
    fluoro = await startFluoro();
    const otel = (name: string, propagation: string) =>
      startApp(OTEL_APP, { SERVICE_NAME: name, EXPORTER: 'otlp-proto', ENDPOINT: fluoro.otlpHttp, PROPAGATION: propagation });
    const xray = (name: string, downstream: string) =>
      startApp(XRAY_APP, { SERVICE_NAME: name, AWS_XRAY_DAEMON_ADDRESS: fluoro.udp, DOWNSTREAM: downstream });
    const w3cOnly = await otel('otel-w3c', 'w3c');
    const readsXray = await otel('otel-xray', 'xray');
    apps.push(w3cOnly, readsXray);
    apps.push(await xray('front-broken', w3cOnly.url), await xray('front-joined', readsXray.url));
    // As the X-Ray SDK records the URL it calls: without the port.
    calleeUrl = `${w3cOnly.url.replace(/:\d+$/, '')}/work`;
    const [, , broken, joined] = apps as [App, App, App, App];

    // The joined request, and at the same moment one straight to its callee: a trace that begins
    // at the callee during the call, which the page must not take for a lost one.
    const answers = await Promise.all([fetch(`${joined.url}/work`), fetch(`${readsXray.url}/work`)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    // Apart by more than the pairing's slack, so the broken request is not near the joined one.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await fetch(`${broken.url}/work`)).status).toBe(200);

    await vi.waitFor(
      async () => {
        const [caller] = await summaries('service("front-broken")');
        const [callee] = await summaries('service("otel-w3c")');
        const [joined] = await summaries('service("front-joined")');
        const [direct] = entered(await summaries('service("otel-xray")'), 'otel-xray');
        // The broken call is an inferred node in the caller's trace; the joined call is answered.
        expect(caller?.ServiceIds?.map((s) => s.Type).sort()).toEqual(['remote', 'service']);
        expect(callee?.EntryPoint?.Name).toBe('otel-w3c');
        expect(joined?.ServiceIds?.map((s) => s.Name).sort()).toEqual(['front-joined', 'otel-xray']);
        expect(direct).toBeDefined();
        Object.assign(ids, { caller: caller!.Id, callee: callee!.Id, joined: joined!.Id, direct: direct!.Id });
      },
      { timeout: 20_000, interval: 100 },
    );
    session = await openBrowserSession();
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await stopApps(apps);
    await fluoro?.stop();
  });

  const openTrace = async (id: string) => {
    await page.goto(`${fluoro.url}/traces/${id}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[data-testid=timeline-row]');
  };

  it('names and links, on the caller’s trace, the trace the callee began', async () => {
    await openTrace(ids.caller);
    const hint = page.getByTestId('lost-context-hint');
    await hint.waitFor();
    expect(await hint.count()).toBe(1);
    const text = await hint.innerText();
    expect(text).toContain(`The call to ${calleeUrl} at `);
    expect(text).toContain(`got no segment from the service it called, but trace ${ids.callee} began at otel-w3c during that call`);
    expect(text).toContain('otel-w3c did not follow the X-Amzn-Trace-Id header it was sent.');
    expect(text).toContain('docs/opentelemetry.md');

    await hint.getByRole('link', { name: ids.callee }).click();
    await page.waitForURL(new RegExp(`/traces/${ids.callee}$`));
    expect(await page.getByTestId('trace-id').innerText()).toBe(ids.callee);
    // The callee's trace says which trace called it.
    const back = page.getByTestId('lost-context-hint');
    await back.waitFor();
    expect(await back.innerText()).toContain(
      `This trace began during a call from trace ${ids.caller} (front-broken calling ${calleeUrl} at `,
    );
    expect(await back.getByRole('link', { name: ids.caller }).getAttribute('href')).toBe(`/traces/${ids.caller}`);
    expect(session.pageErrors).toEqual([]);
  });

  it('says nothing where the trace context passed', async () => {
    // The trap is set: the direct request's trace began with the joined one (well inside a
    // quarter of a second), at the service the joined request called.
    const [joined] = await summaries(ids.joined);
    const [direct] = await summaries(ids.direct);
    expect(Math.abs(direct!.StartTime! - joined!.StartTime!)).toBeLessThan(0.1);
    for (const id of [ids.joined, ids.direct]) {
      await openTrace(id);
      expect(await page.getByTestId('trace-id').innerText()).toBe(id);
      expect(await page.getByTestId('lost-context').count(), id).toBe(0);
    }
    expect(session.pageErrors).toEqual([]);
  });
});
