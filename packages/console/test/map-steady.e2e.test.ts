import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { api, putSegments, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Issue 14 #3 and #4: the service map holds still and says what is weak at a glance. A real
 * Fluoro gets 100 requests spread over three whole minutes that have settled: `client → shop →
 * stock` and `shop → prices`, where stock answers 3 of them with a 500. A trace sent a moment
 * before the page opens (still in flight as far as the map can know) must not be drawn. The map
 * refreshes every 10 s: nodes keep their places, and when a new service appears the others do
 * not move. Expectations come from the segments sent, not from the console's code.
 */

type Doc = Record<string, unknown>;
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const hex = (n: number, w: number) => Math.floor(n).toString(16).padStart(w, '0');
const round = (t: number) => Math.round(t * 1e6) / 1e6;

describe('the service map, steady across refreshes', () => {
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;
  const now = Math.floor(Date.now() / 1000);
  // Three whole minutes ending at least a minute before now: settled whatever second it is.
  const base = Math.floor(now / 60) * 60 - 240;
  const COUNT = 100;
  const FAULTS = new Set([7, 41, 88]);
  /** Response times of stock's own segments, seconds, as sent. */
  const stockTimes: number[] = [];
  let seq = 0;
  const id = () => hex(++seq, 16);

  /** One request: client → shop, which calls `callees` (each a service sending its own segment). */
  const request = (start: number, callees: Array<{ name: string; seconds: number; fault?: boolean }>, root = 'shop'): Doc[] => {
    const traceId = `1-${hex(start, 8)}-${hex(++seq, 24)}`;
    const shopId = id();
    const docs: Doc[] = [];
    const subsegments: Doc[] = [];
    let t = start + 0.001;
    let fault = false;
    for (const c of callees) {
      const subId = id();
      subsegments.push({
        name: c.name,
        id: subId,
        start_time: round(t),
        end_time: round(t + c.seconds + 0.002),
        namespace: 'remote',
        http: { request: { method: 'GET', url: `http://${c.name}.internal/`, traced: true }, response: { status: c.fault ? 500 : 200 } },
        ...(c.fault ? { fault: true } : {}),
      });
      docs.push({
        name: c.name,
        id: id(),
        parent_id: subId,
        trace_id: traceId,
        start_time: round(t + 0.001),
        end_time: round(t + 0.001 + c.seconds),
        http: { request: { method: 'GET', url: `http://${c.name}.internal/` }, response: { status: c.fault ? 500 : 200 } },
        ...(c.fault ? { fault: true } : {}),
      });
      fault ||= c.fault === true;
      t += c.seconds + 0.004;
    }
    docs.unshift({
      name: root,
      id: shopId,
      trace_id: traceId,
      start_time: start,
      end_time: round(t + 0.001),
      http: { request: { method: 'GET', url: `http://${root}.example/api` }, response: { status: fault ? 500 : 200 } },
      ...(fault ? { fault: true } : {}),
      subsegments,
    });
    return docs;
  };

  beforeAll(async () => {
    fluoro = await startFluoro();
    const docs: Doc[] = [];
    for (let i = 0; i < COUNT; i++) {
      const stock = round(0.01 + ((i * 37) % 100) * 0.002);
      stockTimes.push(stock);
      docs.push(
        ...request(base + (i * 178) / COUNT, [
          { name: 'stock', seconds: stock, fault: FAULTS.has(i) },
          { name: 'prices', seconds: 0.02 },
        ]),
      );
    }
    await putSegments(fluoro.url, docs);
    session = await openBrowserSession();
    page = session.page;
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
  });

  const drawn = () =>
    page.waitForSelector('[data-testid=service-map][data-laid-out=true] [data-testid=map-node]').then(() => page.waitForTimeout(700));
  const nodeNames = () => page.locator('[data-testid=map-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!).sort());
  const node = (name: string) => page.locator(`[data-testid=map-node][data-name="${name}"][data-type="service"]`);
  const layouts = () => page.evaluate(() => performance.getEntriesByName('fluoro:map-layout').length);
  /** Each node's box on screen, and in the map's own coordinates (what a pan or zoom does not change). */
  const boxes = () =>
    page.evaluate(() => {
      const vp = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
      const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
      const out: Record<string, { screen: Box; flow: Box }> = {};
      for (const e of document.querySelectorAll('[data-testid=map-node]')) {
        const b = e.closest('.react-flow__node')!.getBoundingClientRect();
        const screen = { x: b.x, y: b.y, width: b.width, height: b.height };
        const flow = { x: (b.x - pane.x - vp.e) / vp.a, y: (b.y - pane.y - vp.f) / vp.a, width: b.width / vp.a, height: b.height / vp.a };
        out[`${e.getAttribute('data-name')}|${e.getAttribute('data-type')}`] = { screen, flow };
      }
      return out;
    });
  const expectSame = (a: Record<string, Box>, b: Record<string, Box>, what: string) => {
    for (const [k, box] of Object.entries(a))
      for (const side of ['x', 'y', 'width', 'height'] as const)
        expect(Math.abs(b[k]![side] - box[side]), `${what}: ${k} ${side}`).toBeLessThan(0.5);
  };
  const pick = (all: Awaited<ReturnType<typeof boxes>>, side: 'screen' | 'flow') =>
    Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v[side]]));

  it('keeps every node where it was across refreshes, and when a new service appears', async () => {
    await page.goto(`${fluoro.url}/map?range=15m&refresh=10`);
    await drawn();
    const before = await boxes();
    expect(Object.keys(before).sort()).toEqual(['prices|service', 'shop|client', 'shop|service', 'stock|service']);
    expect(await layouts()).toBe(1);

    const DRAWN = '[data-testid=map-node], [data-testid=map-edge], [data-testid=edge-label]';
    await page.evaluate((sel) => ((window as unknown as { drawn: Element[] }).drawn = [...document.querySelectorAll(sel)]), DRAWN);
    // A refresh: the same nodes and edges. Nothing moves on screen, nothing is laid out again, and
    // nothing is drawn anew (an edge drawn anew blinks).
    await page.waitForResponse((r) => r.url().endsWith('/ServiceGraph') && r.status() === 200, { timeout: 20_000 });
    await page.waitForTimeout(700);
    const refreshed = await boxes();
    expectSame(pick(before, 'screen'), pick(refreshed, 'screen'), 'after a refresh');
    expect(await layouts()).toBe(1);
    const redrawn = await page.evaluate((sel) => {
      const before = (window as unknown as { drawn: Element[] }).drawn;
      const now = [...document.querySelectorAll(sel)];
      return now.length !== before.length || now.some((e, i) => e !== before[i]);
    }, DRAWN);
    expect(redrawn, 'nodes or edges drawn anew by a refresh').toBe(false);

    // A new service called by shop, in a settled minute: it appears on the next refresh, and the
    // nodes already drawn keep their places on the map (the view may zoom out to show it).
    await putSegments(fluoro.url, request(base + 100, [{ name: 'reviews', seconds: 0.03 }]));
    await node('reviews').waitFor({ timeout: 25_000 });
    await page.waitForTimeout(700);
    const grown = await boxes();
    expectSame(pick(refreshed, 'flow'), pick(grown, 'flow'), 'after a node appeared');
    expect(await layouts()).toBe(2);
    expect(await page.getByTestId('service-map').getAttribute('data-layout')).toBe('carried');
    // The new node covers none of the others.
    const r = grown['reviews|service']!.flow;
    for (const [k, v] of Object.entries(grown)) {
      if (k === 'reviews|service') continue;
      const b = v.flow;
      const apart = r.x + r.width <= b.x || b.x + b.width <= r.x || r.y + r.height <= b.y || b.y + b.height <= r.y;
      expect(apart, `reviews overlaps ${k}`).toBe(true);
    }
    expect(session.pageErrors).toEqual([]);
  });

  it('shows fault %, p95 and the rate over the minutes with traffic on nodes and edges, and no node of an unsettled trace', async () => {
    // A request sent now: its minute cannot have settled within the next 30 s.
    const sent = Date.now();
    await putSegments(fluoro.url, request(Math.floor(sent / 1000) - 1, [{ name: 'ledger', seconds: 0.01 }], 'inflight'));
    const stored = await api<{ Services: Array<{ Name: string }> }>(fluoro.url, '/ServiceGraph', {
      StartTime: base,
      EndTime: Math.ceil(sent / 1000) + 60,
    });
    expect(stored.Services.map((s) => s.Name)).toContain('inflight');

    await page.goto(`${fluoro.url}/map?range=15m`);
    await drawn();
    // reviews: from the test before.
    expect(await nodeNames()).toEqual(['prices', 'reviews', 'shop', 'shop', 'stock']);
    expect(Date.now() - sent, 'checked while the in-flight minute cannot be settled').toBeLessThan(30_000);
    expect(await page.getByTestId('map-settled').count()).toBe(1);

    // stock: 3 faults in 100 → "3% fault", coloured; its ring shows a visible arc for them.
    const stock = node('stock');
    const fault = stock.locator('[data-testid=node-shares] [data-status=fault]');
    expect(await fault.innerText()).toBe('3% fault');
    expect(await fault.getAttribute('class')).toContain('level-1');
    const arc = stock.locator('.ring-arc[data-status=fault]');
    expect(Number(await arc.getAttribute('data-share'))).toBeCloseTo(0.03, 4);
    expect(Number(await arc.getAttribute('data-drawn'))).toBeGreaterThanOrEqual(0.04);
    expect(await node('prices').locator('[data-testid=node-shares] [data-status=fault]').innerText()).toBe('0% fault');

    // p95 by nearest rank over the response times sent, to the millisecond.
    const ms = stockTimes.map((t) => Math.round(t * 1000)).sort((a, b) => a - b);
    const p95 = ms[Math.ceil(0.95 * ms.length) - 1]!;
    const text = await stock.getByTestId('node-p95').innerText();
    expect(text).toMatch(/^p95 [\d.]+ ms$/);
    expect(parseFloat(text.slice(4))).toBe(p95);

    // 100 requests in 3 minutes: 33/min, not the 6.7 of the whole 15 minutes; the title says so.
    const rate = stock.getByTestId('node-rate');
    expect(await rate.innerText()).toBe(`${Math.round(COUNT / 3)}/min`);
    expect(await rate.getAttribute('title')).toContain(`${COUNT} requests over the 3 minutes that had traffic`);

    // The edge into stock says the same as the caller saw it.
    const label = page.locator(`[data-testid=edge-label][data-edge="shop|service->stock|service"]`);
    expect(await label.getByTestId('edge-p95').innerText()).toMatch(/^p95 [\d.]+ ms$/);
    expect(await label.locator('[data-status=fault]').innerText()).toBe('3% fault');
    const edge = page.locator('[data-testid=map-edge][data-source="shop"][data-target="stock"]');
    expect([await edge.getAttribute('data-tint'), await edge.getAttribute('data-level')]).toEqual(['fault', '1']);
    expect(await page.getByTestId('map-thresholds').innerText()).toBe('tint ≥ 1%, strong ≥ 5%');
    expect(session.pageErrors).toEqual([]);
  });
});
