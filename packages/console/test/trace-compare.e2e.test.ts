import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TraceSummary } from '../src/api/xray-types.js';
import { checkoutTraffic } from '../../../fixtures/console/compare.mjs';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { api, putSegments, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Acceptance of trace compare (issue 14 #8) in Debian's chromium against the built `fluoro`:
 * 50 checkout traces of one shape and one whose DynamoDB hop is ten times slower, which also
 * retries and skips the cache (fixtures/console/compare.mjs), sent over PutTraceSegments.
 * "Compare with typical" marks that hop against the operation's p50 and p95 of the hour around
 * it; comparing the outlier with a typical trace shows the span only it has and the one it lacks.
 */
describe('trace compare', () => {
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;
  const end = Math.floor(Date.now() / 1000);
  const traffic = checkoutTraffic({ end });

  const rows = () => page.locator('[data-testid=timeline-row]');
  const row = (name: string, kind?: string) =>
    page.locator(`[data-testid=timeline-row][data-name="${name}"]${kind ? `[data-kind=${kind}]` : ''}`);
  const classes = async (name: string, kind?: string) => ((await row(name, kind).getAttribute('class')) ?? '').split(' ');

  beforeAll(async () => {
    fluoro = await startFluoro();
    await putSegments(fluoro.url, traffic.documents);
    await vi.waitFor(
      async () => {
        const r = await api<{ TraceSummaries: TraceSummary[] }>(fluoro.url, '/TraceSummaries', {
          StartTime: end - 3600,
          EndTime: end + 60,
          FilterExpression: 'service("orders")',
        });
        expect(r.TraceSummaries.length).toBe(51);
      },
      { timeout: 20_000, interval: 200 },
    );
    session = await openBrowserSession();
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
  });

  const openTrace = async (id: string, query = '') => {
    await page.goto(`${fluoro.url}/traces/${id}${query}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[data-testid=timeline-row]');
  };

  it('marks the hop slower than the p95 of its operation, coloured by its ratio to p50', async () => {
    await openTrace(traffic.outlierId);
    // Off until asked: no marks.
    expect(await page.locator('[data-testid=timeline-row].cmp-slow').count()).toBe(0);
    await page.getByTestId('compare-typical').click();
    await page.getByTestId('typical-summary').waitFor();
    expect(page.url()).toContain('typical=1h');
    expect(await page.getByTestId('compare-typical').getAttribute('aria-pressed')).toBe('true');

    // The DynamoDB call, and the table's inferred segment standing for it: 10× their p50, above p95.
    for (const [name, kind] of [
      ['DynamoDB', 'subsegment'],
      ['orders-table', 'inferred'],
    ] as const) {
      expect(await classes(name, kind), name).toEqual(expect.arrayContaining(['cmp-slow', 'cmp-r4']));
      const title = (await row(name, kind).getAttribute('title')) ?? '';
      expect(title, name).toMatch(
        /^p50 \d+(\.\d+)? ms · p95 \d+(\.\d+)? ms · this 200 ms \((9\.\d|10|11)× p50\) · 51 spans of this operation in the hour around it$/,
      );
      expect(await row(name, kind).locator('.cmp-badge').innerText()).toBe('> p95');
    }
    // What the slow hop does not contain took its usual time: not marked, about 1× p50.
    for (const name of ['validate', 'payments.example.com']) {
      const c = await classes(name, 'subsegment');
      expect(c, name).not.toContain('cmp-slow');
      expect(c, name).toContain('cmp-r1');
    }
    // The retry has no other span of its operation than itself: p50 = p95 = this, not slower.
    expect(await classes('retry-backoff')).not.toContain('cmp-slow');

    // The summary names the slowest hop; choosing it selects it, and the line says how it compares.
    const slowest = page.getByTestId('typical-slowest');
    expect(await slowest.innerText()).toMatch(/^DynamoDB \((9\.\d|10|11)× p50\)$/);
    await slowest.click();
    const spanId = await row('DynamoDB', 'subsegment').getAttribute('data-span-id');
    await page.waitForURL(new RegExp(`span=${spanId}`));
    expect(await page.getByTestId('typical-line').innerText()).toMatch(
      /^DynamoDB: p50 \d+(\.\d+)? ms · p95 \d+(\.\d+)? ms · this 200 ms \((9\.\d|10|11)× p50\) · 51 spans of this operation in the hour around it$/,
    );
    expect(await rows().count()).toBeGreaterThan(5);

    // The mode is in the URL: a link opens it on.
    await openTrace(traffic.outlierId, '?typical=6h');
    await page.getByTestId('typical-summary').waitFor();
    expect(await classes('DynamoDB', 'subsegment')).toContain('cmp-slow');
    expect(await page.getByTestId('typical-window').inputValue()).toBe('1');
    expect(session.pageErrors).toEqual([]);
  });

  it('compares with another trace: the span only the outlier has, the one it lacks, and the slow hop first', async () => {
    const typicalId = traffic.typicalIds[10]!;
    await openTrace(traffic.outlierId);
    const input = page.getByTestId('compare-other-id');
    await input.fill('not-a-trace');
    await input.press('Enter');
    expect(await page.getByTestId('compare-other-message').innerText()).toContain('"not-a-trace" is not a trace ID');
    await input.fill(typicalId);
    await input.press('Enter');
    await page.waitForURL(new RegExp(`/traces/${traffic.outlierId}/compare/${typicalId}$`));
    await page.getByTestId('diff-table').waitFor();

    /** The states of the rows of an operation's name (the orders call and the orders segment are two). */
    const state = async (name: string) =>
      (
        await page.locator(`[data-testid=diff-row][data-name="${name}"]`).evaluateAll((rs) => rs.map((r) => r.getAttribute('data-state')))
      ).join(' ');
    expect(await state('retry-backoff')).toBe('only-a');
    expect(await state('cache-lookup')).toBe('only-b');
    for (const name of ['frontend', 'DynamoDB', 'orders-table', 'validate']) expect(await state(name), name).toBe('both');
    expect(await state('orders')).toBe('both both');
    expect(await page.getByTestId('compare-counts').innerText()).toMatch(/^1 only in A 1 only in B \d+ in both$/);
    // A's table call takes 200 ms against about 20 ms: the first slowdown, its Δ positive.
    const first = page.getByTestId('diff-slowdown').first();
    expect(await first.getAttribute('data-name')).toBe('orders-table');
    const table = page.locator('[data-testid=diff-row][data-name="orders-table"]');
    expect(await table.getByTestId('diff-a').innerText()).toBe('200 ms');
    expect(await table.getByTestId('diff-delta').innerText()).toMatch(/^\+1\d\d ms$/);
    await first.getByRole('button').click();
    await page.waitForURL(/node=/);
    expect(await table.getAttribute('class')).toContain('selected');

    // Swapped, what only A had is only in B.
    await page.getByRole('link', { name: 'Swap A and B' }).click();
    await page.waitForURL(new RegExp(`/traces/${typicalId}/compare/${traffic.outlierId}$`));
    await vi.waitFor(async () => expect(await state('retry-backoff')).toBe('only-b'), { timeout: 10_000, interval: 50 });
    expect(await state('cache-lookup')).toBe('only-a');
    expect(session.pageErrors).toEqual([]);
  });

  it('picks a typical trace of the same request to compare with', async () => {
    await openTrace(traffic.outlierId);
    await page.getByTestId('compare-median').click();
    await page.waitForURL(new RegExp(`/traces/${traffic.outlierId}/compare/1-`));
    const other = decodeURIComponent(page.url().split('/compare/')[1]!);
    expect(traffic.typicalIds).toContain(other);
    await page.getByTestId('diff-table').waitFor();
    expect(await page.locator('[data-testid=diff-row][data-name="retry-backoff"]').getAttribute('data-state')).toBe('only-a');
    expect(await page.getByTestId('compare-trace-b').innerText()).toBe(other);
    expect(session.pageErrors).toEqual([]);
  });
});
