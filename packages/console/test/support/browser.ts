import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

/** Debian's chromium, headless (`.ci/run` installs it), with any further command-line switches. */
export async function launchBrowser(args: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', ...args] });
}

export interface BrowserSession {
  readonly browser: Browser;
  /** A 1440×900 page. */
  readonly page: Page;
  /** Uncaught errors in the page so far: a test ends by expecting none. */
  readonly pageErrors: string[];
  /**
   * Where screenshots go: `docs/images` (for the README) with UPDATE_SCREENSHOTS=1, else a
   * temporary directory that `close` removes; taking them always checks they can be taken.
   */
  readonly shots: string;
  close(): Promise<void>;
}

export async function openBrowserSession(): Promise<BrowserSession> {
  const shots = UPDATE_SCREENSHOTS ? join(ROOT, 'docs/images') : mkdtempSync(join(tmpdir(), 'fluoro-shots-'));
  mkdirSync(shots, { recursive: true });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    browser,
    page,
    pageErrors,
    shots,
    async close() {
      await browser.close();
      if (!UPDATE_SCREENSHOTS) rmSync(shots, { recursive: true, force: true });
    },
  };
}
