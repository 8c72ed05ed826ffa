/**
 * The portal on a phone (390 px) and on a desktop (1366 px), over the demo city: every page kind without
 * horizontal scroll, titles at full width, the category navigation folded behind one control on the phone;
 * 长者模式 sizes (body ≥ 20 px, headings above body, controls ≥ 18 px and ≥ 44 px high) that stay on across
 * pages; axe-core with no violation at any impact. With SCREENSHOTS=1 it writes docs/screenshots/*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadDemo } from '../../src/cli/commands/demo.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { axeViolations, launchChromium, serve } from '../helpers/browser.js';
import { DEMO_PASSWORD } from '../../src/cli/commands/demo.js';

const SHOTS = process.env.SCREENSHOTS === '1';

/** What a page measures in the browser: overflow, the narrowest title link, sizes. */
// A string, so that the bundler's helper names never reach the page.
const MEASURE = `(() => {
    const px = (el) => (el ? parseFloat(getComputedStyle(el).fontSize) : NaN);
    const titles = [...document.querySelectorAll('main li > a, main td > a, main h3 > a, .result-title a')]
      .filter((a) => (a.textContent ?? '').trim().length >= 12 && a.offsetParent !== null)
      .map((a) => ({ w: a.getBoundingClientRect().width, t: (a.textContent ?? '').trim().slice(0, 16) }))
      .sort((x, y) => x.w - y.w);
    const controls = [...document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea, main button, main a.button')]
      .filter((c) => c.offsetParent !== null && !c.closest('.hp-field'))
      .map((c) => ({ size: px(c), h: c.getBoundingClientRect().height, name: c.outerHTML.slice(0, 60) }));
    const bodyText = document.querySelector('main p:not(.hint):not(.muted), main li, main td') ?? document.querySelector('main');
    return {
      scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      narrowest: titles[0] ?? null,
      body: px(bodyText),
      h1: px(document.querySelector('h1:not(.visually-hidden)') ?? document.querySelector('h1')),
      h2: px(document.querySelector('main h2:not(.visually-hidden)')),
      controls,
      largeClass: document.body.classList.contains('large-text'),
    };
  })()`;

interface Measured {
  scroll: number;
  narrowest: { w: number; t: string } | null;
  body: number;
  h1: number;
  h2: number;
  controls: { size: number; h: number; name: string }[];
  largeClass: boolean;
}
async function measure(page: Page): Promise<Measured> {
  return page.evaluate(MEASURE) as Promise<Measured>;
}

describe('the portal at 390 px and 1366 px, and in 长者模式', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let pages: [string, string][];

  before(async () => {
    t = await buildTestApp({ now: '2026-06-15T02:00:00Z' });
    await loadDemo(t.ctx, { quiet: true });
    const item = await t.ctx.db.selectFrom('items').select('id').where('status', '=', 'published').orderBy('id', 'desc').executeTakeFirstOrThrow();
    base = await serve(t);
    browser = await launchChromium();
    pages = [
      ['home', '/'],
      ['agencies', '/agencies'],
      ['agency', '/agencies/hrb-wglj'],
      ['catalogue', '/agencies/hrb-wglj/catalogue'],
      ['all-catalogue', '/catalogue'],
      ['item', `/items/${item.id}`],
      ['search', `/search?q=${encodeURIComponent('旅游')}`],
      ['reports', '/reports'],
      ['report', '/agencies/hrb-wglj/reports/2022'],
      ['guide', '/agencies/hrb-wglj/guide'],
      ['apply', '/apply'],
      ['track-lookup', '/track'],
    ];
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function context(width: number, large = false): Promise<BrowserContext> {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width, height: 860 } });
    if (large) await ctx.addCookies([{ name: 'gk_large', value: '1', url: base }]);
    return ctx;
  }

  for (const width of [390, 1366]) {
    test(`every page kind at ${width} px: no horizontal scroll, titles at full width, axe clean`, async () => {
      const ctx = await context(width);
      const page = await ctx.newPage();
      if (SHOTS) mkdirSync('docs/screenshots', { recursive: true });
      for (const [name, path] of pages) {
        const res = await page.goto(`${base}${path}`);
        assert.equal(res?.status(), 200, path);
        const m = await measure(page);
        assert.equal(m.scroll, 0, `${path} scrolls sideways at ${width} px`);
        if (m.narrowest) assert.ok(m.narrowest.w >= 150, `${path}: title “${m.narrowest.t}” is ${Math.round(m.narrowest.w)} px wide at ${width} px`);
        // axe once per page (the layout differs by width, so at both widths).
        assert.deepEqual(await axeViolations(page), [], `${path} at ${width} px`);
        if (SHOTS && ['home', 'catalogue', 'item', 'search', 'apply', 'tracking'].includes(name)) {
          await page.screenshot({ path: `docs/screenshots/${name}-${width}.png`, type: 'png' });
        }
      }
      if (width === 390) {
        // The catalogue's category list and the main navigation sit behind one control each, without JavaScript.
        await page.goto(`${base}/agencies/hrb-wglj/catalogue`);
        assert.equal(await page.isVisible('.catalogue-nav li a'), false);
        await page.click('.catalogue-nav summary');
        assert.equal(await page.isVisible('.catalogue-nav li a'), true);
        assert.equal(await page.isVisible('.main-nav li a'), false);
        // Catalogue rows are stacked: the title cell spans the page.
        const cell = await page.locator('.catalogue-table td.title-cell').first().boundingBox();
        assert.ok(cell && cell.width > 300, `title cell ${cell?.width} px`);
      } else {
        await page.goto(`${base}/agencies/hrb-wglj/catalogue`);
        assert.equal(await page.isVisible('.catalogue-nav li a'), true);
        assert.equal(await page.isVisible('.main-nav li a'), true);
      }
      await ctx.close();
    });
  }

  test('长者模式 on a phone: body ≥ 20 px, headings above it, controls ≥ 18 px and 44 px high; it stays on', async () => {
    const ctx = await context(390);
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    // Switched on by the link in the top bar (a cookie), it holds on the next pages.
    await page.click('.topbar a:text-is("长者模式")');
    for (const path of ['/', '/agencies/hrb-wglj/catalogue', `/search?q=${encodeURIComponent('旅游')}`, '/apply', '/track']) {
      await page.goto(`${base}${path}`);
      const m = await measure(page);
      assert.equal(m.largeClass, true, `${path}: 长者模式 is off`);
      assert.equal(m.scroll, 0, `${path} scrolls sideways in 长者模式`);
      assert.ok(m.body >= 20, `${path}: body text ${m.body} px`);
      assert.ok(m.h1 > m.body && (Number.isNaN(m.h2) || m.h2 > m.body), `${path}: headings ${m.h1}/${m.h2} px vs body ${m.body} px`);
      for (const c of m.controls) {
        assert.ok(c.size >= 18, `${path}: control at ${c.size} px: ${c.name}`);
        assert.ok(c.h >= 44, `${path}: control ${Math.round(c.h)} px high: ${c.name}`);
      }
      if (path === '/apply') assert.ok(m.controls.length >= 5, 'the apply form has its controls');
      assert.deepEqual(await axeViolations(page), [], `${path} in 长者模式`);
    }
    await ctx.close();
  });

  test('office pages: axe clean at any impact and no sideways scroll, at 1366 and 390 px', async () => {
    const OFFICE = ['/office', '/office/requests', '/office/items', '/office/reports', '/office/reports/hrb-wglj/2022', '/office/oversight', '/office/audit', '/office/users', '/office/agencies'];
    for (const width of [1366, 390]) {
      const ctx = await context(width);
      const page = await ctx.newPage();
      await page.goto(`${base}/office/login`);
      await page.fill('#f-username', 'admin');
      await page.fill('#f-password', DEMO_PASSWORD);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/office/login')), page.click('button[type=submit]')]);
      for (const path of OFFICE) {
        const res = await page.goto(`${base}${path}`);
        assert.equal(res?.status(), 200, path);
        assert.equal((await measure(page)).scroll, 0, `${path} scrolls sideways at ${width} px`);
        assert.deepEqual(await axeViolations(page), [], `${path} at ${width} px`);
      }
      await ctx.close();
    }
  });
});
