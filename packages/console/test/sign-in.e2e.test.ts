import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { CLI, startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Issue 11 #10: with users configured, the console asks who you are, signs you in with a session
 * cookie, sends its CSRF token on every change, and signs you out.
 */
const KEY = { id: 'AKIAFLUOROTESTKEY001', secret: 'test-key-secret-0123456789', roles: ['admin'] };
const PASSWORD = 'alice-console-password';

describe('signing in to the console, in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fluoro-sign-in-'));
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;
  const rules = async () => {
    const res = await fetch(`${fluoro.url}/GetSamplingRules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY.secret}` },
      body: '{}',
    });
    return ((await res.json()) as { SamplingRuleRecords: Array<{ SamplingRule: { RuleName: string; FixedRate: number } }> })
      .SamplingRuleRecords;
  };

  beforeAll(async () => {
    const hash = execFileSync(process.execPath, [CLI, 'hash-password'], { input: PASSWORD }).toString().trim();
    const keysFile = join(dir, 'keys.yaml');
    writeFileSync(keysFile, JSON.stringify({ keys: [KEY], users: [{ name: 'alice', password: hash, roles: ['admin'] }] }));
    fluoro = await startFluoro(['--auth.keys-file', keysFile]);
    session = await openBrowserSession();
    page = session.page;
  });
  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks who you are, refuses a wrong password, and opens the page once signed in', async () => {
    await page.goto(`${fluoro.url}/sampling`);
    await page.getByRole('heading', { name: 'Sign in to Fluoro' }).waitFor();
    await page.getByLabel('User').fill('alice');
    await page.getByLabel('Password').fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('the user name or the password is wrong');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid=rule-row][data-rule="Default"]').waitFor();
    expect(await page.getByTestId('signed-in-user').innerText()).toBe('alice');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'fluoro_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('changes a rule from the console (the write carries the CSRF token), then signs out', async () => {
    await page.locator('[data-testid=rule-row][data-rule="Default"]').getByTestId('rule-edit').click();
    const dialog = page.getByTestId('rule-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('rule-field-FixedRate').fill('7');
    await dialog.getByTestId('rule-save').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('sampling-notice').innerText()).toContain('Rule Default updated');
    expect((await rules()).find((r) => r.SamplingRule.RuleName === 'Default')!.SamplingRule.FixedRate).toBe(0.07);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Fluoro' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Fluoro' }).waitFor();
    expect(session.pageErrors).toEqual([]);
  });
});
