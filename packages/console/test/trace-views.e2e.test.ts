import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { putSegments, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Acceptance of the trace page's views (issue 14 #8): the flame graph, span search, the
 * statistics and the trace ID's copy button, in Debian's chromium against the built Fluoro fed
 * with real segment documents. The expected rows, matches and times are worked out by hand from
 * the documents below, not taken from the console's code.
 */

type Doc = Record<string, unknown>;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const three = JSON.parse(readFileSync(join(ROOT, 'fixtures/console/three-services.json'), 'utf8')) as { traceId: string; documents: Doc[] };
const T = Math.floor(Date.now() / 1000) - 120;
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/**
 * Work in parallel, for the statistics: gateway (1.2 s) calls catalog and pricing at once;
 * pricing runs two rules at once.
 */
const parallelId = `1-${hex(T, 8)}-${hex(0x5ca1ab1e, 24)}`;
const parallel: Doc[] = [
  {
    name: 'gateway',
    id: 'c000000000000001',
    trace_id: parallelId,
    start_time: T,
    end_time: T + 1.2,
    origin: 'AWS::EC2::Instance',
    http: { request: { method: 'GET', url: 'http://gateway/quote' }, response: { status: 200 } },
    subsegments: [
      { name: 'auth', id: 'c000000000000002', start_time: T, end_time: T + 0.1 },
      {
        name: 'catalog',
        id: 'c000000000000003',
        namespace: 'remote',
        start_time: T + 0.1,
        end_time: T + 0.6,
        http: { request: { method: 'GET', url: 'http://catalog/items', traced: true }, response: { status: 200 } },
      },
      {
        name: 'pricing',
        id: 'c000000000000004',
        namespace: 'remote',
        start_time: T + 0.2,
        end_time: T + 0.9,
        http: { request: { method: 'GET', url: 'http://pricing/price', traced: true }, response: { status: 200 } },
      },
    ],
  },
  {
    name: 'catalog',
    id: 'c000000000000005',
    parent_id: 'c000000000000003',
    trace_id: parallelId,
    start_time: T + 0.12,
    end_time: T + 0.58,
    http: { response: { status: 200 } },
    subsegments: [{ name: 'query', id: 'c000000000000006', start_time: T + 0.15, end_time: T + 0.45 }],
  },
  {
    name: 'pricing',
    id: 'c000000000000007',
    parent_id: 'c000000000000004',
    trace_id: parallelId,
    start_time: T + 0.22,
    end_time: T + 0.88,
    http: { response: { status: 200 } },
    subsegments: [
      { name: 'rules', id: 'c000000000000008', start_time: T + 0.25, end_time: T + 0.55 },
      { name: 'rules', id: 'c000000000000009', start_time: T + 0.4, end_time: T + 0.7 },
    ],
  },
];

/** 400 spans, one after the other, the 351st named `needle`: far below the timeline's first screen. */
const longId = `1-${hex(T, 8)}-${hex(0x10c, 24)}`;
const NEEDLE = hex(0xd000 + 351, 16);
const long: Doc[] = [
  {
    name: 'batch',
    id: hex(0xd000, 16),
    trace_id: longId,
    start_time: T,
    end_time: T + 4,
    subsegments: Array.from({ length: 399 }, (_, i) => ({
      name: i === 350 ? 'needle' : `item-${i}`,
      id: hex(0xd000 + i + 1, 16),
      start_time: T + i * 0.01,
      end_time: T + i * 0.01 + 0.009,
    })),
  },
];

describe('the trace page’s views, in a browser, against a real Fluoro', () => {
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    fluoro = await startFluoro();
    await putSegments(fluoro.url, [...three.documents, ...parallel, ...long]);
    session = await openBrowserSession();
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
  });

  const open = async (id: string, query = '') => {
    await page.goto(`${fluoro.url}/traces/${id}${query}`);
    await page.waitForSelector('[data-testid=trace-page]');
  };
  const inspectorTitle = () => page.getByTestId('inspector').locator('h2').innerText();
  const flame = () => page.getByTestId('flame-graph');
  const openFlame = async (id: string, query = '') => {
    await open(id, `?view=flame${query ? `&${query}` : ''}`);
    await page.waitForSelector('[data-testid=flame-graph][data-drawn=true]');
  };

  /** Where on the page the middle of a frame is: `t` seconds into the view, in `row`. */
  const framePoint = async (row: number, t: number): Promise<{ x: number; y: number }> => {
    await page.getByTestId('flame-canvas').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('flame-canvas').boundingBox())!;
    const [a, b] = (await flame().getAttribute('data-view'))!.split(',').map(Number) as [number, number];
    const rowHeight = Number(await flame().getAttribute('data-row-height'));
    return { x: box.x + ((t - a) / (b - a)) * box.width, y: box.y + row * rowHeight + rowHeight / 2 };
  };
  /** The canvas's alpha at a page point: 0 where nothing is drawn, 255 for a frame, less for a faded one. */
  const alphaAt = (p: { x: number; y: number }) =>
    page.getByTestId('flame-canvas').evaluate((c: HTMLCanvasElement, p) => {
      const r = c.getBoundingClientRect();
      const scale = c.width / r.width;
      return c.getContext('2d')!.getImageData(Math.round((p.x - r.left) * scale), Math.round((p.y - r.top) * scale), 1, 1).data[3]!;
    }, p);

  it('draws the flame graph, and a frame opens its span; click again to zoom, Esc to reset', async () => {
    await openFlame(three.traceId);
    // 14 spans sent and the two inferred nodes; seven levels deep, no siblings at the same time.
    expect(await flame().getAttribute('data-frames')).toBe('16');
    expect(await flame().getAttribute('data-rows')).toBe('7');
    expect(await page.getByTestId('view-flame').getAttribute('aria-selected')).toBe('true');

    // reserve (0.17–0.40 s) is on row 5: frontend, the orders call, orders, the inventory call, inventory, reserve.
    const reserve = await framePoint(5, 0.285);
    expect(await alphaAt(reserve)).toBe(255);
    expect(await alphaAt(await framePoint(6, 0.05))).toBe(0); // nothing under orders that early
    await page.mouse.move(reserve.x, reserve.y);
    await expect.poll(() => page.getByTestId('flame-tip').innerText()).toContain('reserve');
    expect(await page.getByTestId('flame-tip').innerText()).toMatch(/inventory · subsegment\n230 ms · self 25 ms\nfault/);

    await page.mouse.click(reserve.x, reserve.y);
    await expect.poll(inspectorTitle).toBe('reserve');
    expect(new URL(page.url()).searchParams.get('span')).toBe('0b00000000000002');
    expect(await flame().getAttribute('data-zoomed')).toBeNull();

    // The selected frame again: zoomed to it, lock (0.175–0.2 s) now wide enough to click.
    await page.mouse.click(reserve.x, reserve.y);
    await expect.poll(() => flame().getAttribute('data-zoomed')).toBe('0b00000000000002');
    const [a, b] = (await flame().getAttribute('data-view'))!.split(',').map(Number);
    expect(a).toBeCloseTo(0.17, 5);
    expect(b).toBeCloseTo(0.4, 5);
    const lock = await framePoint(6, 0.19);
    await page.mouse.click(lock.x, lock.y);
    await expect.poll(inspectorTitle).toBe('lock');

    // The keyboard: up to the parent, and its parent; Escape zooms out.
    await page.locator('.flame-scroll').focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(inspectorTitle).toBe('reserve');
    await page.keyboard.press('ArrowUp');
    await expect.poll(inspectorTitle).toBe('inventory');
    expect(await page.getByTestId('inspector').innerText()).toContain('segment 0b00000000000001');
    await page.keyboard.press('Escape');
    await expect.poll(() => flame().getAttribute('data-zoomed')).toBeNull();
    await page.screenshot({ path: join(session.shots, 'console-trace-flame.png') });

    // The timeline shows the same selection; back returns to the flame graph.
    await page.getByTestId('view-timeline').click();
    await page.waitForSelector('[data-testid=timeline-row]');
    expect(await page.locator('[data-testid=timeline-row][aria-selected=true]').getAttribute('data-span-id')).toBe('0b00000000000001');
    await page.goBack();
    await page.waitForSelector('[data-testid=flame-graph][data-drawn=true]');
    expect(session.pageErrors).toEqual([]);
  });

  it('finds spans, counts them and steps through them with Enter, Shift+Enter and the buttons', async () => {
    await open(three.traceId);
    await page.waitForSelector('[data-testid=timeline-row]');
    const input = page.getByTestId('span-search-input');
    const count = page.getByTestId('span-search-count');
    const selectedRow = () => page.locator('[data-testid=timeline-row][aria-selected=true]').getAttribute('data-span-id');

    // The four faulted spans: the call from orders to inventory, inventory, reserve, write.
    await input.fill('fault');
    await expect.poll(() => count.innerText()).toBe('1 of 4');
    expect(
      await page
        .locator('[data-testid=timeline-row][data-match=true]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-span-id'))),
    ).toEqual(['0a00000000000004', '0b00000000000001', '0b00000000000002', '0b00000000000004']);
    expect(await page.locator('[data-testid=timeline-row][data-match=false]').count()).toBe(12);
    expect(await selectedRow()).toBe('0a00000000000004');
    expect(new URL(page.url()).searchParams.get('find')).toBe('fault');

    await input.press('Enter');
    await expect.poll(() => count.innerText()).toBe('2 of 4');
    expect(await selectedRow()).toBe('0b00000000000001');
    await input.press('Enter');
    await expect.poll(() => count.innerText()).toBe('3 of 4');
    expect(await inspectorTitle()).toBe('reserve');
    await input.press('Shift+Enter');
    await expect.poll(() => count.innerText()).toBe('2 of 4');
    await page.getByRole('button', { name: 'Next match' }).click();
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect.poll(() => count.innerText()).toBe('4 of 4');
    expect(await inspectorTitle()).toBe('write');
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect.poll(() => count.innerText()).toBe('1 of 4');
    await page.getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(() => count.innerText()).toBe('4 of 4');

    // The flame graph marks the same matches: frontend (row 0) faded, reserve drawn in full.
    await page.getByTestId('view-flame').click();
    await page.waitForSelector('[data-testid=flame-graph][data-drawn=true]');
    expect(await flame().getAttribute('data-matches')).toBe('4');
    const faded = await alphaAt(await framePoint(0, 0.3));
    expect(faded).toBeGreaterThan(0);
    expect(faded).toBeLessThan(128);
    expect(await alphaAt(await framePoint(5, 0.285))).toBe(255);
    await page.getByTestId('view-timeline').click();
    await page.waitForSelector('[data-testid=timeline-row]');

    // Annotation keys and values, HTTP status, exception text; every word must be found.
    for (const [query, expected, span] of [
      ['tier=gold', '1 of 1', 'f000000000000001'],
      ['http.status=500', '1 of 2', '0a00000000000004'],
      ['StockConflictError', '1 of 1', '0b00000000000004'],
      ['orders fault', '1 of 1', '0a00000000000004'],
      ['ord-1842', '1 of 1', '0a00000000000001'],
    ] as const) {
      await input.fill(query);
      await expect.poll(() => count.innerText(), { message: query }).toBe(expected);
      expect(await selectedRow(), query).toBe(span);
    }
    await input.fill('no-such-thing');
    await expect.poll(() => count.innerText()).toBe('No match');
    expect(await page.getByRole('button', { name: 'Next match' }).isDisabled()).toBe(true);
    await input.press('Escape');
    await expect.poll(() => input.inputValue()).toBe('');
    expect(await page.locator('[data-testid=timeline-row][data-match]').count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });

  it('scrolls the match into view, in the timeline and out of a zoomed flame graph', async () => {
    await open(longId);
    await page.waitForSelector('[data-testid=timeline-row]');
    // Row 352 (the service's row, batch, 350 items): not in the page until scrolled to.
    expect(await page.locator(`[data-span-id="${NEEDLE}"]`).count()).toBe(0);
    await page.getByTestId('span-search-input').fill('needle');
    await expect.poll(() => page.getByTestId('span-search-count').innerText()).toBe('1 of 1');
    const row = page.locator(`[data-testid=timeline-row][data-span-id="${NEEDLE}"]`);
    await row.waitFor();
    await expect.poll(() => inside(row, page.locator('.timeline-scroll'))).toBe(true);
    expect(await row.getAttribute('aria-selected')).toBe('true');

    // Zoomed into the first item, the needle (3.5 s in) is out of view: the search zooms out.
    await page.getByTestId('span-search-input').fill('');
    await openFlame(longId);
    const first = await framePoint(1, 0.0045);
    await page.mouse.click(first.x, first.y);
    await expect.poll(inspectorTitle).toBe('item-0');
    await page.mouse.click(first.x, first.y);
    await expect.poll(() => flame().getAttribute('data-zoomed')).toBe(hex(0xd001, 16));
    await page.getByTestId('span-search-input').fill('needle');
    await expect.poll(() => flame().getAttribute('data-zoomed')).toBeNull();
    expect(await inspectorTitle()).toBe('needle');
    expect(session.pageErrors).toEqual([]);
  });

  it('shows self and total time per service and per operation, sortable', async () => {
    await open(parallelId, '?view=stats');
    const services = page.getByTestId('stats-services');
    await services.waitFor();
    const table = (l: Locator) =>
      l.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    // By hand: gateway 1.2 s less auth, catalog, pricing (0–0.9 s) = 0.3 s, plus auth 0.1 and the
    // two calls less their segments (0.04 each). catalog 0.46 − 0.3 + query 0.3. pricing 0.66 −
    // the rules' 0.25–0.7 = 0.21, plus the two rules 0.3 each. Shares of the 1.2 s trace.
    expect(await table(services)).toEqual([
      ['pricing', '3', '660 ms', '810 ms', '67.5 %'],
      ['gateway AWS::EC2::Instance', '4', '1.2 s', '480 ms', '40.0 %'],
      ['catalog', '2', '460 ms', '460 ms', '38.3 %'],
    ]);
    const operations = await table(page.getByTestId('stats-operations'));
    expect(operations[0]).toEqual(['pricing', 'rules', '2', '600 ms', '600 ms', '50.0 %']);
    expect(operations.find((r) => r[1] === 'gateway')).toEqual(['gateway AWS::EC2::Instance', 'gateway', '1', '1.2 s', '300 ms', '25.0 %']);
    expect(operations.length).toBe(8);

    await services.getByRole('button', { name: 'Total' }).click();
    expect((await table(services)).map((r) => r[0])).toEqual(['gateway AWS::EC2::Instance', 'pricing', 'catalog']);
    expect(await services.locator('th[aria-sort]').innerText()).toContain('Total');
    await services.getByRole('button', { name: 'Total' }).click();
    expect((await table(services)).map((r) => r[0])).toEqual(['catalog', 'pricing', 'gateway AWS::EC2::Instance']);
    await services.getByRole('button', { name: 'Service' }).click();
    expect((await table(services)).map((r) => r[0])).toEqual(['catalog', 'gateway AWS::EC2::Instance', 'pricing']);
    await page.screenshot({ path: join(session.shots, 'console-trace-statistics.png') });
    expect(session.pageErrors).toEqual([]);
  });

  it('copies the trace ID', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fluoro.url });
    await open(three.traceId);
    const button = page.getByTestId('copy-trace-id');
    expect(await button.innerText()).toBe('Copy');
    await button.click();
    await expect.poll(() => button.innerText()).toBe('✓ Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(three.traceId);
    await expect.poll(() => button.innerText(), { timeout: 5000 }).toBe('Copy');
    expect(session.pageErrors).toEqual([]);
  });
});

/** Whether an element is wholly inside a container's visible box. */
async function inside(el: Locator, container: Locator): Promise<boolean> {
  const [a, b] = [await el.boundingBox(), await container.boundingBox()];
  return !!a && !!b && a.y >= b.y - 1 && a.y + a.height <= b.y + b.height + 1;
}
