/**
 * Browser journeys: Debian's Chromium through playwright-core (never a downloaded browser), the app served
 * on a local port, staff logged in through the form, and axe-core for WCAG 2.1 A/AA.
 */
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEST_PASSWORD, type TestApp } from './app.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serve the test app on a free local port; returns its base URL. */
export async function serve(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
}

/**
 * A new page in its own context. bypassCSP only so that axe-core can be injected; the pages themselves run
 * no inline script.
 */
export async function newPage(browser: Browser, opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  return (await browser.newContext({ bypassCSP: true, ...opts })).newPage();
}

/** Log in through the office form, as a person does. */
export async function staffPage(browser: Browser, base: string, username: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`${base}/office/login`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', TEST_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/office/login')), page.click('button[type=submit]')]);
  return page;
}

/** axe-core's WCAG 2.1 A/AA violations on the page, as readable lines (empty when none). */
export async function axeViolations(page: Page, opts: { seriousOnly?: boolean } = {}): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const all = await page.evaluate(async () => {
    const r = await (globalThis as unknown as { axe: { run: (ctx?: unknown, o?: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({ impact: v.impact, text: `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}` }));
  });
  return all.filter((v) => !opts.seriousOnly || v.impact === 'serious' || v.impact === 'critical').map((v) => v.text);
}
