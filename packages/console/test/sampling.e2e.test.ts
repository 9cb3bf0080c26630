import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamplingRule, SamplingRuleRecord } from '../src/api/xray-types.js';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { api, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Acceptance of the Sampling page (issue 6): a real Fluoro (the built binary) driven through
 * Debian's chromium. What the page did is read back through the X-Ray API; what it shows is
 * compared with what the test reported as SDKs and with Fluoro's own answers.
 */

type Rule = SamplingRule;
type RuleRecord = Required<SamplingRuleRecord>;

const rule = (over: Partial<Rule> & { RuleName: string }): Rule => ({
  ResourceARN: '*',
  Priority: 100,
  FixedRate: 0.05,
  ReservoirSize: 1,
  ServiceName: '*',
  ServiceType: '*',
  Host: '*',
  HTTPMethod: '*',
  URLPath: '*',
  Version: 1,
  ...over,
});

// Two SDK instances report one interval each; per rule: [requests, sampled, borrowed].
const CLIENT_A = '0123456789abcdef01234567';
const CLIENT_B = 'fedcba9876543210fedcba98';
const REPORTS: Array<[client: string, rule: string, counts: [number, number, number]]> = [
  [CLIENT_A, 'checkout', [90, 14, 2]],
  [CLIENT_B, 'checkout', [30, 4, 1]],
  [CLIENT_A, 'health', [120, 0, 0]],
  [CLIENT_B, 'Default', [20, 1, 0]],
];

describe('the Sampling page, in a browser, against a real Fluoro', () => {
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;

  const rules = async (): Promise<Map<string, RuleRecord>> => {
    const r = await api<{ SamplingRuleRecords: RuleRecord[] }>(fluoro.url, '/GetSamplingRules', {});
    return new Map(r.SamplingRuleRecords.map((x) => [x.SamplingRule.RuleName, x]));
  };
  const row = (name: string): Locator => page.locator(`[data-testid=rule-row][data-rule="${name}"]`);
  const dialog = () => page.getByTestId('rule-dialog');
  const field = (k: string) => dialog().getByTestId(`rule-field-${k}`);
  const openPage = async (query = '') => {
    await page.goto(`${fluoro.url}/sampling${query}`);
    await row('Default').waitFor();
  };

  beforeAll(async () => {
    fluoro = await startFluoro();
    await api(fluoro.url, '/CreateSamplingRule', {
      SamplingRule: rule({
        RuleName: 'checkout',
        Priority: 10,
        FixedRate: 0.1,
        ReservoirSize: 5,
        HTTPMethod: 'POST',
        URLPath: '/api/checkout*',
      }),
    });
    await api(fluoro.url, '/CreateSamplingRule', {
      SamplingRule: rule({
        RuleName: 'health',
        Priority: 5,
        FixedRate: 0,
        ReservoirSize: 0,
        ServiceName: 'frontend',
        HTTPMethod: 'GET',
        URLPath: '/health',
      }),
    });
    await api(fluoro.url, '/CreateSamplingRule', {
      SamplingRule: rule({ RuleName: 'api-reads', Priority: 200, FixedRate: 0.02, ReservoirSize: 2, HTTPMethod: 'GET', URLPath: '/api/*' }),
    });
    const now = Math.floor(Date.now() / 1000);
    for (const client of [CLIENT_A, CLIENT_B]) {
      const docs = REPORTS.filter(([c]) => c === client).map(([ClientID, RuleName, [RequestCount, SampledCount, BorrowCount]]) => ({
        RuleName,
        ClientID,
        Timestamp: now,
        RequestCount,
        SampledCount,
        BorrowCount,
      }));
      const r = await api<{ SamplingTargetDocuments: unknown[]; UnprocessedStatistics: unknown[] }>(fluoro.url, '/SamplingTargets', {
        SamplingStatisticsDocuments: docs,
      });
      expect(r.UnprocessedStatistics).toEqual([]);
      expect(r.SamplingTargetDocuments).toHaveLength(docs.length);
    }
    session = await openBrowserSession();
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
  });

  it('lists the rules in priority order, with the counts SDKs reported', async () => {
    await openPage();
    const shown = await page.locator('[data-testid=rule-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')));
    expect(shown).toEqual([...(await rules()).keys()]);
    expect(shown).toEqual(['health', 'checkout', 'api-reads', 'Default']);
    expect(await row('checkout').getByTestId('rule-rate').innerText()).toBe('10%');
    expect(await row('checkout').getByTestId('rule-reservoir').innerText()).toBe('5/s');
    expect(await row('checkout').getByTestId('rule-matches').innerText()).toBe('POST /api/checkout*');
    expect(await row('health').getByTestId('rule-matches').innerText()).toContain('service name frontend');

    // Totals for the hour are the sums of the reports; per minute over 5 minutes, a fifth.
    const counts = (name: string, prefix: 'hour' | 'recent') =>
      Promise.all(['requests', 'sampled', 'borrowed'].map((c) => row(name).getByTestId(`${prefix}-${c}`).innerText()));
    await expect.poll(() => counts('checkout', 'hour')).toEqual(['120', '18', '3']);
    expect(await counts('health', 'hour')).toEqual(['120', '0', '0']);
    expect(await counts('Default', 'hour')).toEqual(['20', '1', '0']);
    expect(await counts('api-reads', 'hour')).toEqual(['0', '0', '0']);
    expect(await counts('checkout', 'recent')).toEqual(['24', '3.6', '0.6']);
    expect(await counts('Default', 'recent')).toEqual(['4', '0.2', '0']);

    // Over the last minute, the rates are the counts themselves (all were reported just now).
    await page.getByTestId('recent').selectOption('1m');
    await page.waitForURL(/recent=1m/);
    expect(await counts('checkout', 'recent')).toEqual(['120', '18', '3']);
    expect(await page.getByTestId('no-reports').count()).toBe(0);

    // A new report shows within a refresh (every 10 s) without reloading the page.
    await api(fluoro.url, '/SamplingTargets', {
      SamplingStatisticsDocuments: [
        {
          RuleName: 'api-reads',
          ClientID: CLIENT_A,
          Timestamp: Math.floor(Date.now() / 1000),
          RequestCount: 7,
          SampledCount: 2,
          BorrowCount: 1,
        },
      ],
    });
    await expect.poll(() => counts('api-reads', 'hour'), { timeout: 12_000, interval: 250 }).toEqual(['7', '2', '1']);
  });

  it('edits a rule’s fixed rate and reservoir, and the X-Ray API has the change', async () => {
    await openPage();
    const before = (await rules()).get('checkout')!;
    await row('checkout').getByTestId('rule-edit').click();
    await page.waitForURL(/edit=checkout/);
    await dialog().waitFor();
    expect(await field('FixedRate').inputValue()).toBe('10');
    await field('FixedRate').fill('25');
    await field('ReservoirSize').fill('12');
    await dialog().getByTestId('rule-save').click();
    await dialog().waitFor({ state: 'detached' });
    expect(await page.getByTestId('sampling-notice').innerText()).toContain('Rule checkout updated');
    expect(new URL(page.url()).searchParams.has('edit')).toBe(false);

    const after = (await rules()).get('checkout')!;
    expect(after.SamplingRule).toEqual({ ...before.SamplingRule, FixedRate: 0.25, ReservoirSize: 12 });
    expect(after.ModifiedAt).toBeGreaterThan(before.ModifiedAt);
    await expect.poll(() => row('checkout').getByTestId('rule-rate').innerText()).toBe('25%');
    expect(await row('checkout').getByTestId('rule-reservoir').innerText()).toBe('12/s');

    // 150 % is sent, and Fluoro's refusal is shown at the field it names.
    await row('checkout').getByTestId('rule-edit').click();
    await field('FixedRate').fill('150');
    expect(await dialog().getByTestId('rule-hint-FixedRate').innerText()).toBe('The fixed rate must be 0–100 %.');
    await dialog().getByTestId('rule-save').click();
    await dialog().getByTestId('rule-form-error').waitFor();
    expect(await dialog().getByTestId('rule-form-error').locator('strong').innerText()).toBe('Not saved.');
    expect(await dialog().getByTestId('rule-form-message').innerText()).toContain(
      "Value 1.5 at 'samplingRuleUpdate.fixedRate' failed to satisfy constraint: Member must have value less than or equal to 1",
    );
    expect(await field('FixedRate').getAttribute('aria-invalid')).toBe('true');
    // An emptied box cannot be sent at all: the form says so instead of leaving it unchanged.
    await field('FixedRate').fill('');
    await dialog().getByTestId('rule-save').click();
    await expect.poll(() => dialog().getByTestId('rule-form-error').locator('strong').innerText()).toBe('Not sent.');
    expect(await dialog().getByTestId('rule-form-message').innerText()).toBe('Enter the fixed rate.');
    await dialog().getByTestId('rule-cancel').click();
    await dialog().waitFor({ state: 'detached' });
    expect((await rules()).get('checkout')!.SamplingRule.FixedRate).toBe(0.25);
  });

  it('creates a rule in the page, and the X-Ray API has it', async () => {
    await openPage();
    await page.getByTestId('rule-new').click();
    await page.waitForURL(/new=1/);
    await dialog().waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rule-field-RuleName');
    await field('RuleName').fill('search');
    await field('Priority').fill('50');
    await field('FixedRate').fill('2.5');
    await field('ReservoirSize').fill('3');
    await field('ServiceName').fill('frontend');
    await field('HTTPMethod').fill('GET');
    await field('URLPath').fill('/search*');
    await dialog().getByRole('button', { name: 'Add attribute' }).click();
    await dialog().getByLabel('Attribute 1 key').fill('tier');
    await dialog().getByLabel('Attribute 1 value').fill('gold');
    await dialog().getByTestId('rule-save').click();
    await dialog().waitFor({ state: 'detached' });

    const created = (await rules()).get('search');
    expect(created?.SamplingRule).toEqual({
      ...rule({
        RuleName: 'search',
        Priority: 50,
        FixedRate: 0.025,
        ReservoirSize: 3,
        ServiceName: 'frontend',
        HTTPMethod: 'GET',
        URLPath: '/search*',
        Attributes: { tier: 'gold' },
      }),
      RuleARN: 'arn:aws:xray:local:000000000000:sampling-rule/search',
    });
    // In its place by priority, on the page as in the API.
    await row('search').waitFor();
    const shown = await page.locator('[data-testid=rule-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')));
    expect(shown).toEqual([...(await rules()).keys()]);
    expect(shown.indexOf('search')).toBe(shown.indexOf('checkout') + 1);
    expect(await row('search').getByTestId('rule-matches').innerText()).toContain('X-Ray SDKs skip this rule');
  });

  it('shows Fluoro’s own message when it refuses a value, at the form', async () => {
    await openPage();
    await page.getByTestId('rule-new').click();
    await field('RuleName').fill('too-much');
    await field('FixedRate').fill('150');
    await dialog().getByTestId('rule-save').click();
    // What Fluoro answers to the same rule, asked directly.
    const res = await fetch(`${fluoro.url}/CreateSamplingRule`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SamplingRule: rule({ RuleName: 'too-much', FixedRate: 1.5 }) }),
    });
    const refusal = (await res.json()) as { __type: string; message: string };
    expect(res.status).toBe(400);
    expect(refusal.message).toBe(
      "1 validation error detected: Value 1.5 at 'samplingRule.fixedRate' failed to satisfy constraint: Member must have value less than or equal to 1",
    );
    const error = dialog().getByTestId('rule-form-message');
    expect(await dialog().getByTestId('rule-form-error').locator('strong').innerText()).toBe('Not saved.');
    expect(await error.innerText()).toBe(`CreateSamplingRule failed (400 ${refusal.__type}): ${refusal.message}`);
    expect(await field('FixedRate').getAttribute('aria-invalid')).toBe('true');
    expect(await field('RuleName').getAttribute('aria-invalid')).toBeNull();

    // A name already taken: Fluoro's message again.
    await field('FixedRate').fill('5');
    await field('RuleName').fill('checkout');
    await dialog().getByTestId('rule-save').click();
    await expect
      .poll(() => error.innerText())
      .toBe('CreateSamplingRule failed (400 InvalidRequestException): a sampling rule named checkout already exists');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect((await rules()).has('too-much')).toBe(false);
  });

  it('offers Default’s rate and reservoir only, never its deletion, and deletes a custom rule after confirming', async () => {
    await openPage();
    expect(await row('Default').getByTestId('rule-delete').count()).toBe(0);
    expect(await row('api-reads').getByTestId('rule-delete').count()).toBe(1);
    await row('Default').getByTestId('rule-edit').click();
    await dialog().waitFor();
    const editable = await dialog()
      .locator('input')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(editable).toEqual(['rule-field-ReservoirSize', 'rule-field-FixedRate']);
    expect(
      await dialog()
        .getByRole('button', { name: /delete/i })
        .count(),
    ).toBe(0);
    await field('FixedRate').fill('10');
    await dialog().getByTestId('rule-save').click();
    await dialog().waitFor({ state: 'detached' });
    const def = (await rules()).get('Default')!.SamplingRule;
    expect([def.FixedRate, def.ReservoirSize, def.URLPath, def.Priority]).toEqual([0.1, 1, '*', 10000]);

    // Cancelling keeps the rule; confirming deletes it.
    await row('api-reads').getByTestId('rule-delete').click();
    const confirm = page.getByTestId('delete-dialog');
    await confirm.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('delete-cancel');
    await confirm.getByTestId('delete-cancel').click();
    await confirm.waitFor({ state: 'detached' });
    expect((await rules()).has('api-reads')).toBe(true);
    await row('api-reads').getByTestId('rule-delete').click();
    await confirm.getByTestId('delete-confirm').click();
    await row('api-reads').waitFor({ state: 'detached' });
    const after = await rules();
    expect(after.has('api-reads')).toBe(false);
    expect(after.has('Default')).toBe(true);
    expect(await page.getByTestId('sampling-notice').innerText()).toContain('Rule api-reads deleted');
  });

  it('works from the keyboard, in both themes, and makes the screenshot', async () => {
    await openPage();
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
    expect(focused.slice(0, 6)).toEqual(['Skip to content', 'Fluoro home', 'Service map', 'Traces', 'Analytics', 'Sampling']);
    expect(await page.locator('nav a[aria-current=page]').innerText()).toBe('Sampling');

    // Edit from the keyboard: the form takes focus, Escape closes it and gives focus back.
    const edit = row('checkout').getByTestId('rule-edit');
    await edit.focus();
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rule-field-Priority');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rule-field-ReservoirSize');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.has('edit')).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit rule checkout');

    // A shared link opens the form; the back button closes it.
    await openPage('?edit=health');
    await dialog().waitFor();
    expect(await field('FixedRate').inputValue()).toBe('0');
    await page.getByTestId('rule-cancel').click();
    await page.goBack();
    await dialog().waitFor();
    await page.goBack();
    await page.waitForURL(/\/sampling$/);
    await dialog().waitFor({ state: 'detached' });

    // Both themes: the page and the rule table take the theme's colours (styles.css).
    const THEMES = {
      light: { page: 'rgb(246, 247, 249)', panel: 'rgb(255, 255, 255)', text: 'rgb(27, 31, 39)' },
      dark: { page: 'rgb(15, 18, 23)', panel: 'rgb(22, 26, 33)', text: 'rgb(230, 233, 239)' },
    };
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => localStorage.setItem('fluoro.theme', t), theme);
      await page.reload();
      await row('Default').waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      const colours = await page.evaluate(() => ({
        page: getComputedStyle(document.body).backgroundColor,
        panel: getComputedStyle(document.querySelector('.sampling-page .panel')!).backgroundColor,
        text: getComputedStyle(document.querySelector('.rule-name')!).color,
      }));
      expect(colours).toEqual(THEMES[theme]);
    }
    await page.locator('[data-testid=hour-requests]').first().waitFor();
    await expect.poll(() => row('checkout').getByTestId('hour-requests').innerText()).toBe('120');
    await page.screenshot({ path: join(session.shots, 'console-sampling.png'), fullPage: true });
    expect(session.pageErrors).toEqual([]);
  });
});
