/**
 * Browser journey on a phone: a citizen files a request at 390 px; the handler replies in the office with
 * the released file; the citizen, without the private link, finds the request by 登记编号 and phone number,
 * sees the timeline and downloads the file. With SCREENSHOTS=1 the tracking page goes to docs/screenshots.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { axeViolations, launchChromium, serve, staffPage } from '../helpers/browser.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('a citizen on a phone files, is answered with a file, finds it by number and phone', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.user('env', 'handler1', 'handler');
    base = await serve(t);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  test('file on a phone → reply with a file → lookup by number + phone → download', async () => {
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true, acceptDownloads: true };
    const citizen = await (await browser.newContext(phone)).newPage();
    await citizen.goto(`${base}/apply`);
    assert.equal(await citizen.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    await citizen.selectOption('#f-agency', 'env');
    await citizen.selectOption('#f-applicantKind', 'natural_person');
    await citizen.fill('#f-name', '王小明');
    await citizen.fill('#f-idNumber', '11010519491231002X');
    await citizen.fill('#f-phone', '13700137000');
    await citizen.fill('#f-subject', '2024年度大气污染防治资金使用情况');
    await citizen.fill('#f-description', '请公开本局2024年度大气污染防治专项资金的使用明细');
    await citizen.selectOption('#f-formWanted', 'electronic');
    await citizen.selectOption('#f-delivery', 'online');
    await citizen.waitForSelector('.challenge-status:has-text("人机验证已自动完成")');
    await citizen.click('button:has-text("提交申请")');
    await citizen.waitForURL(/\/track\/YSQ2025/);
    const trackingNo = decodeURIComponent(/\/track\/([^?]+)/.exec(citizen.url())![1]!);
    assert.match((await citizen.textContent('main')) ?? '', /申请已提交/);

    // The handler replies with the released file.
    const office = await staffPage(browser, base, 'handler1');
    await office.goto(`${base}/office/requests`);
    await office.click(`a:has-text("${trackingNo}")`);
    await office.setInputFiles('#f-reply-file', { name: '大气污染防治资金使用明细.pdf', mimeType: 'application/pdf', buffer: PDF });
    await Promise.all([office.waitForURL(/notice=/), office.click('#files button[type=submit]')]);
    assert.match((await office.textContent('.notice')) ?? '', /已上传/);
    assert.match((await office.textContent('#files')) ?? '', /大气污染防治资金使用明细\.pdf/);
    await office.click('summary:text-is("答复")');
    const reply = office.locator('form:has(input[name="type"][value="reply"])');
    await reply.locator('input[name="on"]').fill('2025-03-03');
    await reply.locator('select[name="outcome"]').selectOption('disclosed');
    await reply.locator('textarea[name="replyText"]').fill('所申请信息见附件。');
    await reply.locator('button[type="submit"]').click();
    await office.waitForSelector('.notice');
    assert.match((await office.textContent('main')) ?? '', /已答复/);

    // Later, on another phone without the private link: number + phone.
    const later = await (await browser.newContext(phone)).newPage();
    await later.goto(`${base}/track`);
    // A wrong phone first: the same answer as for a number that does not exist.
    await later.fill('#f-trackingNo', trackingNo);
    await later.fill('#f-proof', '13700137001');
    await later.click('form[action="/track"] button[type=submit]');
    assert.match((await later.textContent('.notice-error')) ?? '', /未找到该申请/);
    await later.fill('#f-trackingNo', trackingNo);
    await later.fill('#f-proof', '13700137000');
    await Promise.all([later.waitForURL(new RegExp(`/track/${trackingNo}$`)), later.click('form[action="/track"] button[type=submit]')]);
    const main = (await later.textContent('main')) ?? '';
    assert.match(main, /予以公开/);
    assert.match(main, /收到申请并登记/);
    assert.match(main, /作出答复/);
    assert.equal(await later.locator('.timeline li').count(), 2);
    assert.equal(await later.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    assert.deepEqual(await axeViolations(later), []);
    if (process.env.SCREENSHOTS === '1') {
      mkdirSync('docs/screenshots', { recursive: true });
      await later.screenshot({ path: 'docs/screenshots/tracking-390.png' });
      await later.setViewportSize({ width: 1366, height: 860 });
      await later.screenshot({ path: 'docs/screenshots/tracking-1366.png' });
      await later.setViewportSize({ width: 390, height: 844 });
    }
    const [download] = await Promise.all([later.waitForEvent('download'), later.click('a:has-text("大气污染防治资金使用明细.pdf")')]);
    assert.equal(download.suggestedFilename(), '大气污染防治资金使用明细.pdf');
    assert.ok(readFileSync((await download.path())!).equals(PDF));
  });
});
