/**
 * Browser journey: a handler builds the annual report from the records, edits section 五 and sends it for
 * review; an approver signs it off and publishes it; it appears in the portal's 年报专栏 with the format's
 * tables. Debian's Chromium through playwright-core; axe-core on the office and portal report pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium, staffPage, serve, axeViolations } from '../helpers/browser.js';
import * as f from '../reports/factories.js';



describe('annual report journey in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-01-15T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('culture', { parent: 'city', name: '某市文化广电和旅游局' });
    await t.user('culture', 'handler1', 'handler');
    await t.user('culture', 'approver1', 'approver');
    const id = await f.agencyId(t.ctx, 'culture');
    await f.request(t.ctx, id, { receivedOn: '2024-04-11', repliedOn: '2024-04-28', outcome: 'disclosed' });
    await f.request(t.ctx, id, { receivedOn: '2024-09-05', repliedOn: '2024-09-20', outcome: 'unavailable.not_held' });
    await f.items(t.ctx, id, '2024-06-01', 12);
    await f.newMedia(t.ctx, id, 'wechat', '2024-06-30', 300);
    base = await serve(t);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  const login = (username: string): Promise<Page> => staffPage(browser, base, username);

  test('handler builds and edits 五, approver publishes, the report appears in the 年报专栏', async () => {
    const handler = await login('handler1');
    await handler.click('nav.office-nav >> text=年度报告');
    await handler.click('a[href="/office/reports/culture/2024"]');
    await handler.click('button:has-text("从记录生成报告")');
    await handler.waitForSelector('table[data-table="requests"]');
    assert.match(await handler.locator('#f-overview').inputValue(), /新收政府信息公开申请2件/);
    assert.match(await handler.locator('.findings').innerText(), /【待填写】/);
    assert.deepEqual(await axeViolations(handler), []);

    await handler.fill('#f-problems', '一是政策解读形式不够丰富；二是栏目更新不够及时。\n下一步，将丰富解读形式，落实栏目更新责任。');
    await handler.click('button:has-text("保存正文")');
    await handler.waitForSelector('.notice >> text=正文已保存');
    assert.equal(await handler.locator('.finding-error').count(), 0);
    await handler.click('button:has-text("送审")');
    await handler.waitForSelector('.notice >> text=已送审');
    // The handler cannot sign off.
    assert.equal(await handler.locator('button:has-text("签发并发布到年报专栏")').count(), 0);

    const approver = await login('approver1');
    await approver.goto(`${base}/office/reports/culture/2024`);
    assert.equal(await approver.locator('#f-problems').count(), 0); // read-only while in review
    await approver.click('button:has-text("签发并发布到年报专栏")');
    await approver.waitForSelector('.notice >> text=已签发并发布到年报专栏');

    const citizen = await (await browser.newContext({ bypassCSP: true })).newPage();
    await citizen.goto(`${base}/`);
    await citizen.click('nav.main-nav >> text=政府信息公开年报');
    await citizen.click('text=某市文化广电和旅游局2024年政府信息公开工作年度报告');
    await citizen.waitForSelector('table[data-table="requests"]');
    assert.equal(await citizen.locator('h1.report-title').innerText(), '某市文化广电和旅游局2024年政府信息公开工作年度报告');
    assert.match(await citizen.locator('.report-section-problems').innerText(), /政策解读形式不够丰富/);
    assert.equal(await citizen.locator('table[data-table="requests"] th[rowspan="22"]').innerText(), '三、本年度办理结果');
    assert.match(await citizen.locator('.report-section-overview').innerText(), /全年主动公开政府信息共312条/);
    assert.deepEqual(await axeViolations(citizen), []);
    const pdf = await citizen.request.get(`${base}/agencies/culture/reports/2024/report.pdf`);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  });
});
