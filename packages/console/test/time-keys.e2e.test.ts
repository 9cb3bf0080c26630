import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopTraffic } from '../../../fixtures/console/traffic.mjs';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { putSegments, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Issue 14 #5 and #10: one time format with its zone and a UTC/local switch kept in the URL; the
 * main loop (map node → its traces → a trace) from the keyboard alone, with visible focus; and a
 * message for a trace ID the header cannot use. The browser runs in Asia/Kolkata (UTC+5:30, no
 * summer time), so local and UTC times differ on any day; expected times are worked out here
 * from the instant, not by the console's code.
 */
describe('times with their zone, and the keyboard, in a browser against a real Fluoro', () => {
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;
  const now = Math.floor(Date.now() / 1000);
  // Two hours ago (off the map of the last hour, walked below), a quarter past a whole second:
  // exact in binary, shown as .250.
  const start = now - 7200 + 0.25;
  const traceId = `1-${Math.floor(start).toString(16)}-c10c0000000000000000c10c`;

  /** `2026-12-03 14:03:07.250` for the instant `offsetSeconds` east of UTC. */
  const wall = (t: number, offsetSeconds: number) => new Date((t + offsetSeconds) * 1000).toISOString().replace('T', ' ').replace('Z', '');
  const utc = (t: number) => `${wall(t, 0)} UTC`;
  const kolkata = (t: number) => `${wall(t, 5.5 * 3600)} GMT+5:30`;

  beforeAll(async () => {
    fluoro = await startFluoro();
    await putSegments(fluoro.url, shopTraffic({ traces: 300, end: now }).documents);
    await putSegments(fluoro.url, [
      {
        name: 'clock',
        id: 'c10c00000000c10c',
        trace_id: traceId,
        start_time: start,
        end_time: start + 0.5,
        http: { request: { method: 'GET', url: 'http://clock/now' }, response: { status: 200 } },
      },
    ]);
    session = await openBrowserSession();
    await session.page.close();
    const context = await session.browser.newContext({
      viewport: { width: 1440, height: 900 },
      timezoneId: 'Asia/Kolkata',
      locale: 'en-US',
    });
    page = await context.newPage();
    page.on('pageerror', (e) => session.pageErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
  });

  const param = (name: string) => new URL(page.url()).searchParams.get(name);

  it('shows times in UTC with the zone, and in local time when switched, the switch kept in the URL', async () => {
    await page.goto(`${fluoro.url}/traces?range=6h&filter=${encodeURIComponent('service("clock")')}`);
    const cell = page.locator(`[data-testid=trace-row][data-trace-id="${traceId}"] td`).first();
    await cell.waitFor();
    expect(await cell.innerText()).toBe(utc(start));
    expect(await page.getByTestId('time-zone').inputValue()).toBe('utc');

    await page.getByTestId('time-zone').selectOption('local');
    await page.waitForURL(/[?&]tz=local/);
    await expect.poll(() => cell.innerText()).toBe(kolkata(start));
    expect(param('filter')).toBe('service("clock")');

    // Into the trace, and on to another page: the zone goes along, the times follow it.
    await page.locator(`[data-testid=trace-row][data-trace-id="${traceId}"] a`).click();
    await page.waitForURL(new RegExp(`/traces/${traceId}\\?tz=local$`));
    const started = page.locator('.trace-header');
    await started.getByText(kolkata(start), { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.waitForURL(/\/analytics\?/);
    expect(param('tz')).toBe('local');
    await page.locator('[data-testid=activity-chart] canvas').waitFor();
    expect(await page.locator('[data-testid=activity-chart] .u-legend').innerText()).toContain('Time (GMT+5:30)');

    // A link opens as it was shared, and UTC again drops the parameter.
    await page.goto(`${fluoro.url}/traces/${traceId}?tz=local`);
    await started.getByText(kolkata(start), { exact: true }).waitFor();
    expect(await page.getByTestId('time-zone').inputValue()).toBe('local');
    await page.getByTestId('time-zone').selectOption('utc');
    await expect.poll(() => param('tz')).toBeNull();
    await started.getByText(utc(start), { exact: true }).waitFor();
    expect(await page.getByText(kolkata(start), { exact: true }).count()).toBe(0);
  });

  /** What has the focus: its test id, class or text, for the walk below. */
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { what: 'body', outline: 'none' };
      const node = el.closest('.react-flow__node');
      const shown = node?.querySelector('.map-node') ?? el;
      return {
        what: node
          ? `node:${node.querySelector('[data-testid=map-node]')?.getAttribute('data-name')}|${node.querySelector('[data-testid=map-node]')?.getAttribute('data-type')}`
          : el.closest('.react-flow__edge')
            ? `edge:${el.getAttribute('aria-label')}`
            : el.closest('[data-testid=trace-row]')
              ? `trace:${el.closest('[data-testid=trace-row]')!.getAttribute('data-trace-id')}`
              : el.getAttribute('data-testid') || el.getAttribute('aria-label') || el.innerText.trim() || el.tagName.toLowerCase(),
        outline: getComputedStyle(shown).outlineStyle,
      };
    });

  /** Presses Tab until `want` has the focus; returns how many presses it took (fails past `most`). */
  async function tabTo(want: (what: string) => boolean, most: number): Promise<number> {
    for (let n = 1; n <= most; n++) {
      await page.keyboard.press('Tab');
      if (want((await focused()).what)) return n;
    }
    throw new Error(`not reached within ${most} Tab presses; the focus is on ${(await focused()).what}`);
  }

  it('walks from the page start to a map node, its traces and a trace with the keyboard alone', async () => {
    await page.goto(`${fluoro.url}/map?range=1h`);
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true] [data-testid=map-node]');

    // The skip link first; past it, the map is the third stop (after the time range and refresh).
    await page.keyboard.press('Tab');
    expect((await focused()).what).toBe('Skip to content');
    await page.keyboard.press('Enter');
    const toMap = await tabTo((w) => w.startsWith('node:'), 10);
    expect(toMap).toBeLessThanOrEqual(3);
    // The map's first stop is its leftmost node, where requests come in; its focus is drawn.
    const first = await focused();
    expect(first.what).toBe('node:frontend|client');
    expect(first.outline).not.toBe('none');

    // Arrows go across the map, nodes and edges: right along the call (its edge between) to the
    // frontend service, left back to the client.
    const FRONTEND = 'node:frontend|AWS::EC2::Instance';
    const arrow = async (key: string, to: string) => {
      const path: string[] = [];
      while (path.length < 3 && path.at(-1) !== to) {
        await page.keyboard.press(key);
        path.push((await focused()).what);
      }
      return path;
    };
    expect(await arrow('ArrowRight', FRONTEND)).toEqual(['edge:calls from frontend to frontend', FRONTEND]);
    expect(await arrow('ArrowLeft', 'node:frontend|client')).toEqual(['edge:calls from frontend to frontend', 'node:frontend|client']);
    expect((await focused()).outline).not.toBe('none');

    // The whole map is one Tab stop: Tab leaves it (for the zoom buttons), Shift+Tab comes back to
    // its first node.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    expect((await focused()).what).not.toMatch(/^(node|edge):/);
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).what).toBe('node:frontend|client');

    // Enter opens the focused node; the map's Tab stop is then the selected node.
    await arrow('ArrowRight', FRONTEND);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('details-panel').locator('h2').innerText()).toBe('frontend');
    expect(param('selected')).toBe('frontend|AWS::EC2::Instance');

    // On to View traces, and Enter.
    const toTraces = await tabTo((w) => w === 'view-traces', 20);
    expect(toTraces).toBeLessThanOrEqual(12);
    expect((await focused()).outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/traces\?.*filter=service/);
    await page.waitForSelector('[data-testid=trace-row]');

    // The new page has the focus from its top: the first trace is a few stops away.
    const toTrace = await tabTo((w) => w.startsWith('trace:'), 40);
    expect(toTrace).toBeLessThanOrEqual(25);
    const opened = (await focused()).what.slice('trace:'.length);
    expect((await focused()).outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/traces/${opened}`));
    await page.waitForSelector('[data-testid=timeline-row]');
    expect(await page.getByTestId('trace-id').innerText()).toBe(opened);
  });

  it('says what a trace ID looks like when the header box cannot use what it got', async () => {
    await page.goto(`${fluoro.url}/map?range=1h`);
    const box = page.getByTestId('goto-trace');
    await box.fill('1-5759e988-nothex');
    await box.press('Enter');
    const problem = page.getByTestId('goto-trace-problem');
    await problem.waitFor();
    const text = await problem.innerText();
    expect(text).toContain('“1-5759e988-nothex” is not a trace ID');
    expect(text).toContain('1-5759e988-bd862e3fe1be46a994272793');
    expect(text).toContain('32 hex digits');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await box.getAttribute('aria-describedby')).toBe(await problem.getAttribute('id'));
    expect(new URL(page.url()).pathname).toBe('/map');

    // Typing again clears it; an empty box says what to type.
    await box.press('Backspace');
    expect(await problem.count()).toBe(0);
    await box.fill('');
    await box.press('Enter');
    expect(await problem.innerText()).toMatch(/^Type or paste a trace ID: a trace ID looks like/);

    // And a good one opens its trace.
    await box.fill(traceId);
    await box.press('Enter');
    await page.waitForURL(new RegExp(`/traces/${traceId}$`));
    expect(session.pageErrors).toEqual([]);
  });
});
