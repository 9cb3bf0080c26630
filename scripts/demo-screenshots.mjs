#!/usr/bin/env node
// The README's demo screenshots (docs/images/demo-*.png), taken from the real thing: a fresh
// Fluoro, the demo shop with chaos that soon makes payments fail, and the console in Debian's
// chromium. Takes about two minutes.   node scripts/demo-screenshots.mjs [--out docs/images]
// Needs `npm run build` and /usr/bin/chromium.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startShop } from '../examples/shop/dist/index.js';
import { parseArgs, root, startFluoro } from '../bench/lib.mjs';

const out = parseArgs().out ?? join(root, 'docs/images');
mkdirSync(out, { recursive: true });
const dataDir = join(root, 'bench/out/demo-screenshots-data');
rmSync(dataDir, { recursive: true, force: true });
const fluoro = await startFluoro(['--data-dir', dataDir, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0']);
// Incidents every 20 s (rather than 2–5 min) so that payments fails within a couple of minutes.
const shop = await startShop({
  fluoro: { udp: fluoro.address('udp'), http: fluoro.address('http') },
  rate: 8,
  chaos: true,
  chaosEveryMs: 20_000,
  chaosEffectMs: 40_000,
  restartAfterMs: 15_000,
  log: (l) => l.includes(' chaos ') && console.log(l),
});

async function waitFor(what, probe, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}
async function traceIds(filter) {
  const now = Date.now() / 1000;
  const res = await fetch(`${fluoro.url}/TraceSummaries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ StartTime: Math.floor(now - 900), EndTime: Math.ceil(now + 5), FilterExpression: filter }),
  });
  return (await res.json()).TraceSummaries.map((s) => s.Id);
}

try {
  {
    await waitFor('a payments incident', async () => shop.events.some((e) => e.kind === 'payments-faults' && e.phase === 'start'), 120_000);
    await new Promise((r) => setTimeout(r, 25_000));
    const faulted = await waitFor('payments faults', () => traceIds('service("payments") { fault }').then((ids) => ids[0]), 20_000);
    const checkout = await waitFor(
      'a fulfilled checkout',
      () => traceIds('service("fulfillment") AND http.url CONTAINS "/api/checkout" AND !fault').then((ids) => ids[0]),
      20_000,
    );

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => localStorage.setItem('fluoro.theme', 'dark'));
    await page.goto(`${fluoro.url}/map?range=15m`);
    await page.waitForSelector('[data-testid=service-map][data-laid-out=true]');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'demo-map.png') });

    await page.goto(`${fluoro.url}/traces?range=15m&filter=${encodeURIComponent('service("payments") { fault }')}`);
    await page.waitForSelector('[data-testid=trace-row]');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'demo-payments-faults.png') });

    await page.setViewportSize({ width: 1440, height: 1100 });
    await page.goto(`${fluoro.url}/traces/${faulted}`);
    await page.waitForSelector('[data-testid=trace-map][data-laid-out=true]');
    await page.locator('[data-testid=timeline-row][data-name="payments"]').last().click();
    await page.getByTestId('tab-exceptions').click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'demo-payments-trace.png') });

    await page.goto(`${fluoro.url}/traces/${checkout}`);
    await page.waitForSelector('[data-testid=trace-map][data-laid-out=true]');
    await page.locator('[data-testid=timeline-row][data-name="fulfillment"]').last().click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'demo-checkout-trace.png') });
    await browser.close();
    console.log(`screenshots written to ${out}: demo-map.png, demo-payments-faults.png, demo-payments-trace.png, demo-checkout-trace.png`);
  }
} finally {
  await shop.stop();
  await fluoro.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
