import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFilter, toXrayTraceId } from '@fluoro/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterTraces, shop } from '../../../fixtures/index.js';
import { shopTraffic } from '../../../fixtures/console/traffic.mjs';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { api, putSegments, startFluoro, type RunningFluoro } from './support/fluoro.js';
import { Oracle } from './support/oracle.js';

/**
 * Acceptance of the web console (issue 5): a real Fluoro (the built binary, a real DuckDB file)
 * fed with fixture traffic, driven through Debian's chromium. Expectations come from the
 * fixtures and from the filter language's own evaluator, not from the console's code.
 */

type Doc = Record<string, unknown>;
interface ThreeServices {
  traceId: string;
  w3cTraceId: string;
  documents: Doc[];
  expectRows: Array<{ group: string } | { span: string; depth: number }>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const three = JSON.parse(readFileSync(join(ROOT, 'fixtures/console/three-services.json'), 'utf8')) as ThreeServices;
const fx = shop();
// The shop fixture's hour (its timestamps are in 2026-01); the console is asked for it by URL.
const SHOP = `from=${fx.base}&to=${fx.base + 3600}`;

describe('the web console, in a browser, against a real Fluoro', () => {
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;
  const shopOracle = new Oracle();

  beforeAll(async () => {
    fluoro = await startFluoro();
    const shopDocs = fx.steps.flatMap((s) => s.documents);
    for (const step of fx.steps) await putSegments(fluoro.url, step.documents);
    shopOracle.add(shopDocs);
    await putSegments(fluoro.url, three.documents);
    await putSegments(fluoro.url, shopTraffic({ traces: 300, end: Math.floor(Date.now() / 1000) }).documents);
    session = await openBrowserSession();
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
  });

  const open = async (path: string) => {
    await page.goto(`${fluoro.url}${path}`);
  };

  const listedTraceIds = async (): Promise<string[]> => {
    await page.waitForSelector('[data-testid=trace-row], [data-testid=no-matches]');
    return (await page.locator('[data-testid=trace-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')!))).sort();
  };

  it('says exactly how to send data when a time range is empty', async () => {
    await open('/map?from=1767100000&to=1767103600');
    const empty = page.getByTestId('empty-state');
    await empty.waitFor();
    const text = await empty.innerText();
    expect(text).toContain('No services in this time range');
    expect(text).toContain(`AWS_XRAY_DAEMON_ADDRESS=${fluoro.udp}`);
    expect(text).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:\d+/);
  });

  it('draws every service and edge of the shop with its health colours, callers left of callees', async () => {
    await open(`/map?${SHOP}`);
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true] [data-testid=map-node]');
    const nodes = await page.locator('[data-testid=map-node]').evaluateAll((els) =>
      els.map((e) => {
        const box = e.getBoundingClientRect();
        return {
          key: `${e.getAttribute('data-name')}|${e.getAttribute('data-type')}`,
          health: ['ok', 'error', 'fault', 'throttle'].map((s) => Number(e.getAttribute(`data-${s}`))),
          arcs: [...e.querySelectorAll('.ring-arc')].map((a) => ({
            status: a.getAttribute('data-status'),
            share: Number(a.getAttribute('data-share')),
            stroke: getComputedStyle(a).stroke,
          })),
          x: box.left + box.width / 2,
        };
      }),
    );
    // From fixtures/traces/shop.json: T1 ok, T2 fault (cart) with a throttled DynamoDB call,
    // T3 404, T4 ok once completed, T5 ok via payments.example.com, T7 ok; T6 is an orphan
    // subsegment and on no graph. [ok, error, fault, throttle]:
    const expected: Record<string, number[]> = {
      'frontend|client': [4, 1, 1, 0],
      'frontend|service': [4, 1, 1, 0],
      'cart|service': [1, 0, 1, 0],
      'carts|AWS::DynamoDB::Table': [1, 0, 0, 1],
      'catalog@db.internal|Database::SQL': [1, 0, 0, 0],
      'payments.example.com|remote': [1, 0, 0, 0],
    };
    expect(Object.fromEntries(nodes.map((n) => [n.key, n.health]))).toEqual(expected);

    // Each non-zero status is an arc of its share, in its colour: green, yellow, red, purple.
    const hue = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map((v) => Number(v) / 255) as [number, number, number];
      const max = Math.max(r, g, b);
      const d = max - Math.min(r, g, b);
      const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
      return (h * 60 + 360) % 360;
    };
    const HUES = { ok: [90, 170], error: [35, 60], fault: [-15, 15], throttle: [250, 290] } as const;
    for (const n of nodes) {
      const total = n.health.reduce((a, b) => a + b, 0);
      const statuses = (['ok', 'error', 'fault', 'throttle'] as const).filter((_, i) => n.health[i]! > 0);
      expect(
        n.arcs.map((a) => a.status),
        n.key,
      ).toEqual(statuses);
      for (const a of n.arcs) {
        const i = ['ok', 'error', 'fault', 'throttle'].indexOf(a.status!);
        expect(a.share, `${n.key} ${a.status}`).toBeCloseTo(n.health[i]! / total, 3);
        const [lo, hi] = HUES[a.status as keyof typeof HUES];
        const h = hue(a.stroke);
        expect(h > 180 && lo < 0 ? h - 360 : h, `${n.key} ${a.status} colour ${a.stroke}`).toBeGreaterThanOrEqual(lo);
        expect(h > 180 && lo < 0 ? h - 360 : h, `${n.key} ${a.status} colour ${a.stroke}`).toBeLessThanOrEqual(hi);
      }
    }

    const edges = await page
      .locator('[data-testid=map-edge]')
      .evaluateAll((els) =>
        els.map(
          (e) =>
            `${e.getAttribute('data-from-client') === 'true' ? 'client:' : ''}${e.getAttribute('data-source')} -> ${e.getAttribute('data-target')} (${e.getAttribute('data-count')})`,
        ),
      );
    expect(edges.sort()).toEqual(
      [
        'cart -> carts (2)',
        'client:frontend -> frontend (6)',
        'frontend -> cart (2)',
        'frontend -> catalog@db.internal (1)',
        'frontend -> payments.example.com (1)',
      ].sort(),
    );
    // Wider for more traffic.
    const width = (s: string, t: string) =>
      page.locator(`[data-testid=map-edge][data-source="${s}"][data-target="${t}"]`).first().getAttribute('data-width').then(Number);
    expect(await width('frontend', 'frontend')).toBeGreaterThan(await width('frontend', 'cart'));
    expect(await width('frontend', 'cart')).toBeGreaterThan(await width('frontend', 'payments.example.com'));

    const x = Object.fromEntries(nodes.map((n) => [n.key, n.x]));
    expect(x['frontend|client']).toBeLessThan(x['frontend|service']!);
    expect(x['frontend|service']).toBeLessThan(x['cart|service']!);
    expect(x['cart|service']).toBeLessThan(x['carts|AWS::DynamoDB::Table']!);
  });

  it('opens the node a link names, by name and type', async () => {
    await open(`/map?${SHOP}&selected=${encodeURIComponent('cart|service')}`);
    const panel = page.getByTestId('details-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('details-filter').innerText()).toBe('service("cart")');
    await open(`/map?${SHOP}&selected=${encodeURIComponent('frontend|service->cart|service')}`);
    await page.getByTestId('details-panel').waitFor();
    expect(await page.getByTestId('details-filter').innerText()).toBe('edge("frontend", "cart")');
  });

  it('opens a node’s histogram, and View traces lists exactly the traces its filter selects', async () => {
    await open(`/map?${SHOP}`);
    await page.locator('[data-testid=map-node][data-name="cart"]').click();
    const panel = page.getByTestId('details-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('details-total').innerText()).toBe('2');
    const histogram = panel.getByTestId('details-histogram');
    expect(Number(await histogram.getAttribute('data-total'))).toBe(2);
    await histogram.locator('canvas').waitFor();
    // The link names the node, so it opens the same node however the map changed meanwhile.
    expect(new URL(page.url()).searchParams.get('selected')).toBe('cart|service');

    // Status: faults only.
    await panel.getByTestId('status-fault').check();
    const filter = await panel.getByTestId('details-filter').innerText();
    expect(filter).toBe('service("cart") { fault }');
    await panel.getByTestId('view-traces').click();
    await page.waitForURL(/\/traces\?/);
    expect(new URL(page.url()).searchParams.get('filter')).toBe(filter);
    expect(await listedTraceIds()).toEqual(shopOracle.select(filter));
    expect(shopOracle.select(filter)).toEqual([fx.traceIds.T2]);
    expect(await page.getByTestId('filter-input').inputValue()).toBe(filter);

    // Back to the map, same node; drag across the left half of the histogram: a latency range.
    await page.goBack();
    await page.waitForURL(/\/map\?/);
    await page.getByTestId('details-panel').waitFor();
    const over = page.locator('[data-testid=details-histogram] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const ranged = await page.getByTestId('details-filter').innerText();
    expect(ranged).toMatch(/^service\("cart"\) \{ responsetime >= 0 AND responsetime <= 0\.\d+ \}$/);
    await page.getByTestId('view-traces').click();
    await page.waitForURL(/\/traces\?/);
    const selected = shopOracle.select(ranged);
    expect(selected).toEqual([fx.traceIds.T1]);
    expect(await listedTraceIds()).toEqual(selected);

    // An edge: click on its line; the caller's view of its calls, and their traces.
    await open(`/map?${SHOP}`);
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true] [data-testid=map-node]');
    await page.waitForSelector('[data-testid=map-edge][data-source="cart"][data-target="carts"] path.react-flow__edge-path', {
      state: 'attached',
    });
    await page.waitForTimeout(200); // fitView settles on the next frame
    const point = await page
      .locator('[data-testid=map-edge][data-source="cart"][data-target="carts"] path.react-flow__edge-path')
      .evaluate((p: SVGPathElement) => {
        const at = p.getPointAtLength(p.getTotalLength() / 2);
        const m = p.getScreenCTM()!;
        return { x: at.x * m.a + at.y * m.c + m.e, y: at.x * m.b + at.y * m.d + m.f };
      });
    await page.mouse.click(point.x, point.y);
    const edgePanel = page.getByTestId('details-panel');
    await edgePanel.waitFor();
    expect(await edgePanel.locator('h2').innerText()).toBe('cart → carts');
    await edgePanel.getByTestId('status-throttle').check();
    const edgeFilter = await edgePanel.getByTestId('details-filter').innerText();
    expect(edgeFilter).toBe('edge("cart", "carts") { throttle }');
    await edgePanel.getByTestId('view-traces').click();
    await page.waitForURL(/\/traces\?/);
    expect(await listedTraceIds()).toEqual(shopOracle.select(edgeFilter));
    expect(shopOracle.select(edgeFilter)).toEqual([fx.traceIds.T2]);

    // The keyboard reaches the nodes too: focus one, Enter opens it.
    await page.goBack();
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true]');
    await page.locator('.react-flow__node:has([data-name="payments.example.com"])').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('details-panel').locator('h2').innerText()).toBe('payments.example.com');
  });

  it('shows a bad expression’s diagnostic where the server puts it', async () => {
    await open(`/traces?${SHOP}`);
    const expression = 'service("cart") { fault } AND responsetime > fast';
    await page.getByTestId('filter-input').fill(expression);
    const diag = page.locator('[data-testid=filter-diagnostic][data-source=server]');
    await diag.waitFor();
    const server = await api<{ diagnostics: Array<{ message: string; line: number; column: number; start: number; end: number }> }>(
      fluoro.url,
      '/api/v1/filter/analyze',
      { expression },
    );
    const want = server.diagnostics[0]!;
    // The language's own parser agrees on where the problem is.
    const parsed = parseFilter(expression);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect([parsed.error.start, parsed.error.column]).toEqual([want.start, want.column]);
    expect(expression.slice(want.start, want.end)).toBe('fast');
    expect(await diag.innerText()).toBe(`${want.line}:${want.column} ${want.message}`);
    expect(await diag.getAttribute('data-start')).toBe(String(want.start));

    // The underline covers exactly those characters, at their place on screen.
    const mark = page.getByTestId('diagnostic-mark');
    expect(await mark.innerText()).toBe('fast');
    const place = await page.evaluate(() => {
      const pre = document.querySelector('.filter-highlight')!;
      const m = document.querySelector('[data-testid=diagnostic-mark]')!;
      const range = document.createRange();
      range.setStart(pre, 0);
      range.setEndBefore(m);
      const ta = document.querySelector('[data-testid=filter-input]')!.getBoundingClientRect();
      const probe = document.createElement('span');
      probe.textContent = 'x'.repeat(10);
      pre.appendChild(probe);
      const charWidth = probe.getBoundingClientRect().width / 10;
      probe.remove();
      return { before: range.toString(), left: m.getBoundingClientRect().left - ta.left, charWidth };
    });
    expect(place.before).toBe(expression.slice(0, want.start));
    expect(place.left).toBeCloseTo(10 + want.start * place.charWidth, -1);

    // Running it anyway: the page says why nothing runs, at the same position.
    await page.getByTestId('filter-input').press('Enter');
    const error = page.getByTestId('error-state');
    await error.waitFor();
    expect(await error.innerText()).toContain(`${want.line}:${want.column}: ${want.message}`);
    expect(new URL(page.url()).searchParams.get('filter')).toBe(expression);
  });

  it('finds traces by an OpenTelemetry span attribute that was never configured as an annotation', async () => {
    const otel = filterTraces();
    for (const request of otel.otlp) {
      const res = await fetch(`${fluoro.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(res.status).toBe(200);
    }
    const { start, end } = otel.otlpWindow;
    for (const [expression, trace] of [
      ['attribute.http.route = "/api/users/{id}"', 'O1'],
      ['attribute.app.tier = "silver" AND attribute.http.request.method = "POST"', 'O2'],
    ] as const) {
      await open(`/traces?from=${start}&to=${end}`);
      await page.getByTestId('filter-input').fill(expression);
      await page.getByTestId('filter-input').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('filter') === expression);
      expect(await listedTraceIds(), expression).toEqual([toXrayTraceId(otel.otlpTraceIds[trace]!)]);
    }
  });

  it('shows every segment and subsegment of a 3-service trace in order on the timeline', async () => {
    await open(`/traces/${three.traceId}`);
    await page.waitForSelector('[data-testid=timeline-row]');
    const rows = await page
      .locator('.timeline-inner > *')
      .evaluateAll((els) =>
        els.map((e) =>
          e.getAttribute('data-testid') === 'timeline-group'
            ? { group: e.getAttribute('data-name')! }
            : { span: e.getAttribute('data-name')!, depth: Number(e.getAttribute('aria-level')) - 2 },
        ),
      );
    expect(rows).toEqual(three.expectRows);
    // Bars coloured by status; the critical path runs through the root.
    expect(await page.locator('[data-testid=timeline-row][data-name="inventory"][data-kind="segment"]').getAttribute('data-status')).toBe(
      'fault',
    );
    expect(await page.locator('[data-testid=timeline-row][data-kind="segment"][data-name="frontend"]').getAttribute('data-critical')).toBe(
      'true',
    );
    // The trace's own map.
    await page.waitForSelector('[data-testid=trace-map][data-laid-out=true]');
    expect(await page.locator('[data-testid=trace-map] [data-testid=map-node]').count()).toBe(6);

    // Inspector: the exception of the failed write, with its stack; the SQL of the database call.
    await page.locator('[data-testid=timeline-row][data-name="write"]').click();
    await page.getByTestId('tab-exceptions').click();
    const exceptions = await page.getByTestId('exceptions').innerText();
    expect(exceptions).toContain('StockConflictError');
    expect(exceptions).toContain('writeReservation src/reserve.js:88');
    await page.locator('[data-testid=timeline-row][data-name="postgres@db.internal"][data-kind="subsegment"]').click();
    await page.getByTestId('tab-sql').click();
    expect(await page.getByTestId('inspector-panel').innerText()).toContain('INSERT INTO orders (id, customer, total) VALUES ($1, $2, $3)');
    expect(new URL(page.url()).searchParams.get('span')).toBe('0a00000000000005');

    // Collapse a group: its rows go, the others stay.
    await page.getByRole('button', { name: 'Collapse service orders' }).click();
    expect(await page.locator('[data-testid=timeline-row]').count()).toBe(three.expectRows.filter((r) => 'span' in r).length - 5);
  });

  it('opens a trace from a pasted W3C trace ID, and the back button returns', async () => {
    await open(`/traces?${SHOP}`);
    await page.waitForSelector('[data-testid=trace-row]');
    const w3c = fx.traceIds.T7; // 0a1b2c3d4e5f60718293a4b5c6d7e8f9 as X-Ray form 1-0a1b2c3d-…
    const hex = w3c.slice(2, 10) + w3c.slice(11);
    await page.getByTestId('filter-input').focus();
    await page.evaluate((text) => {
      const el = document.querySelector('[data-testid=filter-input]')!;
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, hex);
    await page.waitForURL(new RegExp(`/traces/${w3c}$`));
    await page.waitForSelector('[data-testid=timeline-row]');
    expect(await page.getByTestId('trace-id').innerText()).toBe(w3c);
    expect(await page.locator('.trace-header').innerText()).toContain('http://shop/w3c');
    await page.goBack();
    await page.waitForURL(/\/traces\?/);
    await page.waitForSelector('[data-testid=trace-row]');

    // The header's box takes a traceparent header too.
    await page.getByTestId('goto-trace').fill(`00-${three.w3cTraceId}-f000000000000001-01`);
    await page.getByTestId('goto-trace').press('Enter');
    await page.waitForURL(new RegExp(`/traces/${three.traceId}$`));
    await page.waitForSelector('[data-testid=timeline-row]');
  });

  it('groups traces, adds a group’s condition to the filter, and sorts the list', async () => {
    await open(`/traces?${SHOP}&group=http.status`);
    const row = page.locator('[data-testid=group-row][data-value="200"]');
    await row.waitFor();
    const groups = await api<{ groups: Array<{ value: unknown; traces: number }> }>(fluoro.url, '/api/v1/traces/groups', {
      start: fx.base,
      end: fx.base + 3600,
      by: 'http.status',
    });
    expect(Number(await row.getAttribute('data-traces'))).toBe(groups.groups.find((g) => g.value === 200)!.traces);
    await row.click();
    await page.waitForURL(/filter=/);
    const filter = new URL(page.url()).searchParams.get('filter')!;
    expect(filter).toBe('http.status = 200');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=trace-row]').length > 0 && !document.querySelector('.state-loading'),
    );
    expect(await listedTraceIds()).toEqual(shopOracle.select(filter));

    // Sort by response time, longest first; again for shortest first.
    await page.getByTestId('sort-responseTime').click();
    await page.waitForURL(/sort=responseTime%3Adesc/);
    const times = async () => page.locator('[data-testid=trace-row] td:nth-child(5)').allInnerTexts();
    const seconds = (t: string) => (t.endsWith(' ms') ? parseFloat(t) / 1000 : parseFloat(t));
    const desc = (await times()).map(seconds);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.getByTestId('sort-responseTime').click();
    await page.waitForURL(/sort=responseTime%3Aasc/);
    const asc = (await times()).map(seconds);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
  });

  it('compares two sets on the analytics charts, with a Δ column, and a drag refines set A', async () => {
    await open('/analytics?range=1h&compare=1&b=fault');
    await page.waitForSelector('[data-testid=distribution-chart] canvas');
    await page.waitForSelector('[data-testid=activity-chart] canvas');
    const row = page.locator('[data-testid="table-http.status"] [data-testid=group-row][data-value="200"]');
    await row.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-delta]').length > 0);
    const now = Math.floor(Date.now() / 1000) + 1;
    const [a, b] = await Promise.all(
      ['', 'fault'].map((filter) =>
        api<{ traces: number; groups: Array<{ value: unknown; share: number }> }>(fluoro.url, '/api/v1/traces/groups', {
          start: now - 3600,
          end: now,
          by: 'http.status',
          limit: 20,
          ...(filter ? { filter } : {}),
        }),
      ),
    );
    const share = (r: typeof a, v: unknown) => r!.groups.find((g) => g.value === v)?.share ?? 0;
    expect(await row.getByTestId('group-delta').innerText()).toBe(
      `${share(a, 200) > share(b, 200) ? '+' : ''}${((share(a, 200) - share(b, 200)) * 100).toFixed(1)}`,
    );

    const over = page.locator('[data-testid=distribution-chart] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/filter=responsetime/);
    const filter = new URL(page.url()).searchParams.get('filter')!;
    expect(filter).toMatch(/^responsetime >= [\d.]+ AND responsetime <= [\d.]+$/);
    expect(parseFilter(filter).ok).toBe(true);
  });

  it('moves through the header with the keyboard, switches themes, and makes the screenshots', async () => {
    await open(`/map?range=1h`);
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true]');
    const focused: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(
          () =>
            document.activeElement!.getAttribute('aria-label') ||
            (document.activeElement as HTMLElement).innerText?.trim() ||
            document.activeElement!.id,
        ),
      );
    }
    expect(focused).toEqual(['Skip to content', 'Fluoro home', 'Service map', 'Traces', 'Analytics', 'Sampling', 'goto-trace', focused[7]]);
    expect(focused[7]).toMatch(/^Switch to (light|dark) theme$/);

    await page.evaluate(() => localStorage.setItem('fluoro.theme', 'dark'));
    await page.reload();
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(session.shots, 'console-map.png') });
    await page.locator('[data-testid=map-node][data-name="cart"]').click();
    await page.getByTestId('details-panel').locator('canvas').waitFor();
    await page.screenshot({ path: join(session.shots, 'console-map-details.png') });

    await open(`/traces?range=1h&group=http.url&filter=${encodeURIComponent('service("cart")')}`);
    await page.waitForSelector('[data-testid=trace-row]');
    await page.waitForSelector('[data-testid=group-row]');
    await page.waitForSelector('[data-testid=scatter-dot]');
    await page.screenshot({ path: join(session.shots, 'console-traces.png') });

    // A shared link to a span opens with that span in view and inspected.
    await open(`/traces/${three.traceId}?span=0b00000000000004`);
    await page.waitForSelector('[data-testid=trace-map][data-laid-out=true]');
    await expect.poll(() => page.locator('[data-testid=timeline-row][data-span-id="0b00000000000004"]').isVisible()).toBe(true);
    expect(await page.getByTestId('inspector').locator('h2').innerText()).toBe('write');
    await page.setViewportSize({ width: 1440, height: 1180 });
    await open(`/traces/${three.traceId}`);
    await page.waitForSelector('[data-testid=trace-map][data-laid-out=true]');
    await page.locator('[data-testid=timeline-row][data-name="write"]').click();
    await page.getByTestId('tab-exceptions').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(session.shots, 'console-trace.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    await open('/analytics?range=1h&compare=1&b=fault');
    await page.waitForSelector('[data-testid=activity-chart] canvas');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-delta]').length > 0);
    await page.screenshot({ path: join(session.shots, 'console-analytics.png') });

    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await open(`/traces?${SHOP}`);
    await page.waitForSelector('[data-testid=trace-row]');
    await page.getByTestId('filter-input').fill('service("cart") { fault } AND responsetime > fast');
    await page.locator('[data-testid=filter-diagnostic][data-source=server]').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.screenshot({ path: join(session.shots, 'console-light-diagnostic.png') });

    // Autocomplete offers the services of the time range inside service( ).
    await page.getByTestId('filter-input').fill('service("ca');
    const completions = page.getByTestId('filter-completions');
    await completions.waitFor();
    expect(await completions.locator('.completion-label').allInnerTexts()).toEqual(['cart', 'carts', 'catalog@db.internal']);
    await page.screenshot({ path: join(session.shots, 'console-autocomplete.png'), clip: { x: 0, y: 0, width: 1440, height: 300 } });
    await page.getByTestId('filter-input').press('Tab');
    expect(await page.getByTestId('filter-input').inputValue()).toBe('service("cart"');
    expect(session.pageErrors).toEqual([]);
  });
});
