/**
 * Stored script (issue 8.3): script payloads filed through the public form and drafted as a disclosure item
 * are shown on every page that shows them — the applicant's tracking page, the office list and detail, the
 * item in the office — in Chromium, and none runs (no dialog, no marker set, no request to an outside host).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, api, buildTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium, serve } from '../helpers/browser.js';
import { solvedChallenge } from '../helpers/challenge.js';

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=2">',
  "'><svg onload=window.__xss=3>",
  '<a href="javascript:window.__xss=4">点我</a>',
  '</textarea><script>window.__xss=5</script>',
  '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
];

describe('stored script payloads do not run in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let trackUrl: string;
  let requestId: number;
  let itemId: number;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('env', { name: '某市生态环境局' });
    await t.user('env', 'handler1', 'handler');
    await t.user('env', 'ed1', 'editor');
    const b = t.anonymous();
    const page = await b.get('/apply');
    const payload = PAYLOADS.join(' ');
    const res = await b.post('/apply', {
      ...(await solvedChallenge(page.body)), agency: 'env', applicantKind: 'natural_person', name: `张${PAYLOADS[1]}`.slice(0, 100), idType: 'passport', idNumber: 'E12345678',
      phone: '13900139000', address: PAYLOADS[0], subject: payload.slice(0, 200), description: payload, formWanted: 'electronic', delivery: 'online',
    }, { from: '/apply' });
    assert.equal(res.statusCode, 303, res.body.match(/error-text[^>]*>([^<]+)/g)?.join(' '));
    trackUrl = String(res.headers.location);
    requestId = Number((await t.ctx.db.selectFrom('requests').select('id').executeTakeFirstOrThrow()).id);
    const ed = await t.token('ed1');
    const cats = (await api(t.app, ed, 'GET', '/api/v1/agencies/env/categories')).body as { id: number }[];
    const item = await api(t.app, ed, 'POST', '/api/v1/items', { title: PAYLOADS[0], summary: PAYLOADS[1], body: `<p>正文</p>${payload}`, categoryId: cats[0]!.id, generatedOn: '2025-03-01' });
    assert.equal(item.status, 201, JSON.stringify(item.body));
    itemId = item.body.id;
    base = await serve(t);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('tracking page, office list and detail, item page: the text is shown, nothing runs', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const events: string[] = [];
    page.on('dialog', (d) => {
      events.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) events.push(`outside request: ${r.url()}`);
    });
    const visit = async (url: string, expectText: RegExp) => {
      await page.goto(base + url);
      await page.waitForLoadState('load');
      const marker = await page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null);
      assert.equal(marker, null, `a stored script ran on ${url}`);
      assert.match((await page.textContent('main')) ?? '', expectText, url);
      // Clicking the javascript: link does nothing either.
      const link = page.locator('main a[href^="javascript:"]');
      assert.equal(await link.count(), 0, `a javascript: link on ${url}`);
    };
    await visit(trackUrl, /<script>window.__xss=1<\/script>/);
    await page.goto(`${base}/office/login`);
    await page.fill('#f-username', 'handler1');
    await page.fill('#f-password', TEST_PASSWORD);
    await page.click('button:has-text("登录")');
    await page.waitForURL(/\/office/);
    await visit('/office/requests', /window.__xss/);
    await visit(`/office/requests/${requestId}`, /<svg onload=window.__xss=3>/);
    await page.goto(`${base}/office/logout`).catch(() => undefined);
    const ed = await (await browser.newContext()).newPage();
    ed.on('dialog', (d) => {
      events.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await ed.goto(`${base}/office/login`);
    await ed.fill('#f-username', 'ed1');
    await ed.fill('#f-password', TEST_PASSWORD);
    await ed.click('button:has-text("登录")');
    await ed.waitForURL(/\/office/);
    await ed.goto(`${base}/office/items/${itemId}`);
    assert.equal(await ed.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null), null, 'a stored script ran on the item page');
    assert.match((await ed.textContent('main')) ?? '', /<script>window.__xss=1<\/script>/);
    assert.deepEqual(events, []);
  });
});
