import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserSession, type BrowserSession } from './support/browser.js';
import { startFluoro, type RunningFluoro } from './support/fluoro.js';

/**
 * Issue 11 #10: single sign-on through an OpenID Connect provider: a real one (`oidc-provider`,
 * the certified Node implementation, with its development login page) on loopback. Groups of the
 * ID token give Fluoro roles; a user in none of them is told so.
 */
const GROUPS: Record<string, string[]> = { alice: ['sre', 'fluoro-admins'], eve: ['marketing'] };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('single sign-on to the console, in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fluoro-oidc-'));
  let idp: Server;
  let fluoro: RunningFluoro;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    const [idpPort, fluoroPort] = [await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${idpPort}`;
    const redirectUrl = `http://127.0.0.1:${fluoroPort}/api/v1/session/oidc/callback`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'fluoro', client_secret: 'fluoro-client-secret-0123', redirect_uris: [redirectUrl] }],
      claims: { openid: ['sub'], profile: ['preferred_username', 'groups'], email: ['email'] },
      conformIdTokenClaims: false,
      findAccount: async (_ctx, id) => ({
        accountId: id,
        claims: async () => ({ sub: id, preferred_username: id, groups: GROUPS[id] ?? [] }),
      }),
    });
    idp = provider.listen(idpPort, '127.0.0.1');
    const keysFile = join(dir, 'keys.yaml');
    writeFileSync(
      keysFile,
      JSON.stringify({
        oidc: {
          issuer,
          clientId: 'fluoro',
          clientSecret: 'fluoro-client-secret-0123',
          redirectUrl,
          name: 'Test IdP',
          roles: { admin: ['fluoro-admins'], read: ['sre'] },
        },
      }),
    );
    fluoro = await startFluoro(['--auth.keys-file', keysFile, '--http', `127.0.0.1:${fluoroPort}`]);
    session = await openBrowserSession();
    page = session.page;
  });
  afterAll(async () => {
    await session?.close();
    await fluoro?.stop();
    await new Promise((r) => idp?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const signInAs = async (login: string) => {
    // The provider remembers who signed in last; each case starts a stranger to it.
    await page.context().clearCookies();
    await page.goto(`${fluoro.url}/map`);
    await page.getByTestId('sign-in-oidc').click();
    await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/map' && url.port === String(new URL(fluoro.url).port));
  };

  it('signs in through the provider, with the roles its groups give', async () => {
    await signInAs('alice');
    expect(await page.getByTestId('signed-in-user').innerText()).toBe('alice');
    const me = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
    expect(me).toMatchObject({ user: 'alice', oidc: 'Test IdP' });
    expect([...me.roles].sort()).toEqual(['admin', 'read']);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Fluoro' }).waitFor();
  });

  it('tells a user whose groups give no role why they are not let in', async () => {
    await signInAs('eve');
    expect(await page.getByRole('alert').innerText()).toContain(
      'eve signed in with Test IdP, but none of their groups gives a Fluoro role; ask the operator',
    );
    expect(await page.evaluate(async () => (await fetch('/api/v1/session')).json())).toMatchObject({ user: null });
    expect(session.pageErrors).toEqual([]);
  });
});
