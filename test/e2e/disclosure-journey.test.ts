/**
 * Browser journey: an editor drafts an item; a reviewer sees a screen hit, fixes it, records the 保密审查 and
 * approves; an approver signs off; the item appears on the portal (catalogue, item page) and in search.
 * Debian's Chromium through playwright-core; axe-core on the catalogue and item pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium, staffPage, serve, axeViolations } from '../helpers/browser.js';



describe('disclosure journey in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.user('city', 'editor1', 'editor');
    await t.user('city', 'reviewer1', 'reviewer');
    await t.user('city', 'approver1', 'approver');
    base = await serve(t);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  const staff = (username: string): Promise<Page> => staffPage(browser, base, username);

  test('editor drafts → reviewer fixes a screen hit, 保密审查, approves → approver signs off → portal and search', async () => {
    // The editor.
    const ed = await staff('editor1');
    await ed.goto(`${base}/office/items/new?agency=city`);
    await ed.fill('#f-title', '关于开展2025年春季义务植树活动的通知');
    await ed.selectOption('#f-categoryId', { label: '通知公告' });
    await ed.fill('#f-summary', '部署2025年春季义务植树活动');
    await ed.fill('#f-body', '各区、县人民政府：\n\n请于3月12日前后组织义务植树。联系人：李某，手机 13812345678。');
    await ed.fill('#f-generatedOn', '2025-02-28');
    await ed.fill('#f-docNumber', '某政办发〔2025〕8号');
    await Promise.all([ed.waitForURL(/\/office\/items\/\d+/), ed.click('text=保存草稿')]);
    const itemUrl = new URL(ed.url());
    const id = Number(/items\/(\d+)/.exec(itemUrl.pathname)![1]);
    assert.match(await ed.textContent('main') ?? '', /草稿已保存，索引号 CITY\/2025-00001/);
    await Promise.all([ed.waitForLoadState('load'), ed.click('#form-submit button')]);
    assert.match(await ed.textContent('main') ?? '', /已提交审核/);

    // The reviewer sees the hit, and cannot approve yet.
    const rev = await staff('reviewer1');
    await rev.goto(`${base}/office/items/${id}`);
    const screen = (await rev.textContent('#screen')) ?? '';
    assert.match(screen, /发现 1 处问题/);
    assert.match(screen, /手机号码/);
    assert.match(screen, /138\*\*\*\*5678/);
    assert.deepEqual(await axeViolations(rev, { seriousOnly: true }), [], 'the office item page');
    await rev.reload();
    await rev.fill('#f-approveOpinion', '同意');
    await Promise.all([rev.waitForLoadState('load'), rev.click('#form-approve button')]);
    assert.match((await rev.textContent('#form-approve')) ?? '', /不能通过审核/);
    // …fixes the text in the content form…
    await rev.fill('#f-body', '各区、县人民政府：\n\n请于3月12日前后组织义务植树。联系电话：12345。');
    await Promise.all([rev.waitForLoadState('load'), rev.click('text=保存修改')]);
    assert.match((await rev.textContent('main')) ?? '', /已保存修改/);
    // …records the 保密审查 and approves (the screen runs again on the fixed text).
    await rev.fill('#form-confidentiality textarea[name=opinion]', '经审查，不涉及国家秘密和工作秘密，同意公开。');
    await Promise.all([rev.waitForLoadState('load'), rev.click('#form-confidentiality button')]);
    assert.match((await rev.textContent('main')) ?? '', /保密审查意见已记录/);
    await Promise.all([rev.waitForLoadState('load'), rev.click('#form-approve button')]);
    assert.match((await rev.textContent('main')) ?? '', /审核通过，等待签发/);

    // The approver signs off.
    const appr = await staff('approver1');
    await appr.goto(`${base}/office/items/${id}`);
    await Promise.all([appr.waitForLoadState('load'), appr.click('#form-sign-off button')]);
    assert.match((await appr.textContent('main')) ?? '', /已签发发布/);
    const history = (await appr.textContent('main')) ?? '';
    for (const s of ['起草', '提交审核', '内容筛查', '保密审查', '审核通过', '签发发布']) assert.ok(history.includes(s), s);

    // The public: the catalogue, the item page, search.
    const pub = await (await browser.newContext({ bypassCSP: true, javaScriptEnabled: true })).newPage();
    await pub.goto(`${base}/agencies/city/catalogue`);
    assert.match((await pub.textContent('main')) ?? '', /关于开展2025年春季义务植树活动的通知/);
    assert.deepEqual(await axeViolations(pub, { seriousOnly: true }), []);
    await Promise.all([pub.waitForURL(/\/items\/\d+/), pub.click('text=关于开展2025年春季义务植树活动的通知')]);
    const box = (await pub.textContent('.meta-box')) ?? '';
    assert.match(box, /CITY\/2025-00001/);
    assert.match(box, /某政办发〔2025〕8号/);
    assert.match(box, /2025-03-03/);
    assert.doesNotMatch((await pub.textContent('main')) ?? '', /13812345678/);
    assert.deepEqual(await axeViolations(pub, { seriousOnly: true }), []);
    await pub.goto(`${base}/agencies/city`);
    assert.deepEqual(await axeViolations(pub, { seriousOnly: true }), []);

    const search = await fetch(`${base}/api/v1/search?q=${encodeURIComponent('义务植树')}`);
    assert.equal(search.status, 200);
    const found = (await search.json()) as { items: { id: number; url: string }[] };
    assert.ok(found.items.some((i) => i.url === `/items/${id}`), JSON.stringify(found));

    // Without JavaScript the catalogue still works (filters are plain GET forms).
    const nojs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await nojs.goto(`${base}/agencies/city/catalogue`);
    await nojs.selectOption('#f-year', '2025');
    await Promise.all([nojs.waitForURL(/year=2025/), nojs.click('.filters button')]);
    assert.match((await nojs.textContent('main')) ?? '', /义务植树/);
  });
});
