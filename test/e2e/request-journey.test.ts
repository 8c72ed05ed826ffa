/**
 * Browser journey: a citizen files a request on the portal and sees its status; a handler replies in the
 * office; the citizen sees the reply. Debian's Chromium through playwright-core; axe-core on the pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, buildTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium, serve, axeViolations } from '../helpers/browser.js';



describe('request journey in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.user('env', 'handler1', 'handler');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  test('citizen files, handler replies, citizen reads the reply', async () => {
    // The citizen.
    // bypassCSP only so that axe-core can be injected; the pages themselves run no inline script.
    const citizen = await (await browser.newContext({ bypassCSP: true })).newPage();
    await citizen.goto(`${base}/apply`);
    assert.deepEqual(await axeViolations(citizen), []);
    await citizen.selectOption('#f-agency', 'env');
    await citizen.selectOption('#f-applicantKind', 'natural_person');
    await citizen.fill('#f-name', '王小明');
    await citizen.fill('#f-idNumber', '11010519491231002X');
    await citizen.fill('#f-phone', '13700137000');
    await citizen.fill('#f-subject', '2024年度大气污染防治资金使用情况');
    // Submit with the description missing: the form comes back with the input kept.
    await citizen.selectOption('#f-formWanted', 'electronic');
    await citizen.selectOption('#f-delivery', 'online');
    // The page's script solves the self-hosted challenge (proof of work) by itself; the question is hidden then.
    await citizen.waitForSelector('.challenge-status:has-text("人机验证已自动完成")');
    assert.equal(await citizen.isVisible('#f-challengeAnswer'), false);
    await citizen.click('button:has-text("提交申请")');
    await citizen.waitForSelector('.error-summary');
    assert.equal(await citizen.inputValue('#f-name'), '王小明');
    assert.match(await citizen.textContent('.error-summary') ?? '', /内容描述/);
    await citizen.fill('#f-description', '请公开本局2024年度大气污染防治专项资金的使用明细');
    await citizen.waitForSelector('.challenge-status:has-text("人机验证已自动完成")'); // a new challenge on the returned form
    await citizen.click('button:has-text("提交申请")');
    await citizen.waitForURL(/\/track\/YSQ2025/);
    const trackUrl = citizen.url();
    const body = await citizen.textContent('main');
    assert.match(body ?? '', /申请已提交/);
    assert.match(body ?? '', /办理中/);
    assert.match(body ?? '', /2025-03-31 前/);
    const trackingNo = (await citizen.textContent('main table td'))?.trim();
    assert.match(trackingNo ?? '', /^YSQ2025/);
    assert.deepEqual(await axeViolations(citizen), []);

    // The handler.
    const office = await (await browser.newContext({ bypassCSP: true })).newPage();
    await office.goto(`${base}/office/login`);
    await office.fill('#f-username', 'handler1');
    await office.fill('#f-password', TEST_PASSWORD);
    await office.click('button:has-text("登录")');
    await office.goto(`${base}/office/requests`);
    await office.click(`a:has-text("${trackingNo}")`);
    assert.match((await office.textContent('main')) ?? '', /13700137000/); // the handler sees the phone
    assert.deepEqual(await axeViolations(office), []);
    await office.click('summary:text-is("答复")');
    const reply = office.locator('form:has(input[name="type"][value="reply"])');
    await reply.locator('input[name="on"]').fill('2025-03-03');
    await reply.locator('select[name="outcome"]').selectOption('disclosed');
    await reply.locator('textarea[name="replyText"]').fill('所申请信息见本局网站“财政资金”栏目。');
    await reply.locator('button[type="submit"]').click();
    await office.waitForSelector('.notice');
    assert.match((await office.textContent('.notice')) ?? '', /已办理：答复/);
    assert.match((await office.textContent('main')) ?? '', /已答复/);

    // The citizen sees the reply.
    await citizen.goto(trackUrl);
    const after = (await citizen.textContent('main')) ?? '';
    assert.match(after, /已答复/);
    assert.match(after, /予以公开/);
    assert.match(after, /所申请信息见本局网站/);
    assert.doesNotMatch(after, /13700137000/);
  });
});
