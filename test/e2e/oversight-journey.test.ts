/**
 * Browser journey (no JavaScript): the oversight office opens a 督办 on an overdue request, the agency answers
 * with a file, the office accepts; the reminders, 考核 and 依申请转主动 pages pass axe (WCAG 2.1 A/AA), also on a
 * phone-sized screen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runReminders } from '../../src/modules/notifications/notifications.service.js';
import { api, buildTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { axeViolations, launchChromium, serve } from '../helpers/browser.js';

const person = (name: string, phone: string) => ({ kind: 'natural_person', name, phone, address: '某市某路1号' });

/** Logged in; without JavaScript unless `js` (axe-core itself is a script). */
async function staff(browser: Browser, base: string, username: string, width = 1366, js = false): Promise<Page> {
  const page = await (await browser.newContext({ bypassCSP: true, javaScriptEnabled: js, viewport: { width, height: 900 } })).newPage();
  await page.goto(`${base}/office/login`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', TEST_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/office/login')), page.click('button[type=submit]')]);
  return page;
}

describe('oversight that acts, in a browser without JavaScript', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let overdueNo: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('roads', { parent: 'city', name: '某市交通运输局' });
    await t.user('city', 'sup', 'supervisor');
    await t.user('roads', 'h1', 'handler');
    await t.user('roads', 'ed1', 'editor');
    const tok = await t.token('h1');
    const filed = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-04-01', applicant: person('李四', '13800000009'), subject: '道路维修资金使用情况', description: '2024年度' });
    overdueNo = filed.body.trackingNo;
    for (const [i, subject] of ['2025年城市道路维修工程中标结果', '关于公开今年道路维修项目中标情况的申请'].entries()) {
      const r = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-05-06', applicant: person(`申请人${i}`, `1380000000${i}`), subject, description: '请提供' });
      await api(t.app, tok, 'POST', `/api/v1/requests/${r.body.id}/actions`, { type: 'reply', on: '2025-05-20', outcome: 'disclosed', replyText: '予以公开' });
    }
    await runReminders(t.ctx, t.ctx.now());
    base = await serve(t);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  test('督办: opened from the overdue request, answered with a file, accepted; every page passes axe', async () => {
    const sup = await staff(browser, base, 'sup');
    const supAxe = await staff(browser, base, 'sup', 1366, true);
    const check = async (page: Page, url: string) => {
      await page.goto(url);
      assert.deepEqual(await axeViolations(page), [], url);
    };
    await check(supAxe, `${base}/office/supervision/new?agency=roads&matter=requests`);
    await sup.goto(`${base}/office/supervision/new?agency=roads&matter=requests`);
    assert.equal(await sup.isChecked(`#r-${overdueNo}`), true);
    await sup.fill('#f-details', '请立即答复并说明超期原因');
    await sup.fill('#f-deadline', '2025-07-10');
    await Promise.all([sup.waitForURL(/\/office\/supervision\/\d+/), sup.click('button:has-text("发起督办")')]);
    const url = sup.url().split('?')[0]!;
    await check(supAxe, url);

    const h1 = await staff(browser, base, 'h1');
    await h1.goto(`${base}/office`);
    assert.match((await h1.textContent('.office-notices')) ?? '', /提醒通知\d+条未读/);
    await check(await staff(browser, base, 'h1', 1366, true), url);
    await h1.goto(url);
    await h1.fill('#f-text', '已于今日答复申请人。');
    const dir = mkdtempSync(join(tmpdir(), 'gk-e2e-'));
    const file = join(dir, '答复说明.pdf');
    writeFileSync(file, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    await h1.setInputFiles('#f-files', file);
    await Promise.all([h1.waitForURL(/notice=/), h1.click('button:has-text("提交答复")')]);
    assert.match((await h1.textContent('main')) ?? '', /答复说明\.pdf/);

    await sup.goto(url);
    await Promise.all([sup.waitForURL(/notice=/), sup.click('button:has-text("认可答复，办结")')]);
    assert.match((await sup.textContent('main')) ?? '', /已办结/);
    await check(supAxe, `${base}/office/supervision`);
    await check(supAxe, url);
  });

  test('reminders, 考核 and 依申请转主动 pages pass axe, on a desk and on a phone', async () => {
    for (const width of [1366, 390]) {
      const h1 = await staff(browser, base, 'h1', width, true);
      await h1.goto(`${base}/office/notifications`);
      assert.match((await h1.textContent('main')) ?? '', /申请已超过答复期限/);
      assert.deepEqual(await axeViolations(h1), [], `notifications at ${width}`);
      const ed = await staff(browser, base, 'ed1', width, true);
      await ed.goto(`${base}/office/suggestions?agency=roads`);
      assert.match((await ed.textContent('main')) ?? '', /2 位申请人/);
      assert.deepEqual(await axeViolations(ed), [], `suggestions at ${width}`);
      const sup = await staff(browser, base, 'sup', width, true);
      await sup.goto(`${base}/office/assessment?year=2025`);
      assert.deepEqual(await axeViolations(sup), [], `assessment at ${width}`);
      // No English on the page (file format names in brackets aside).
      const main = ((await sup.textContent('main')) ?? '').replace(/（(XLSX|CSV)）|YSQ\d+/g, '');
      assert.doesNotMatch(main, /[A-Za-z]{3,}/, 'no English on the page');
      for (const p of [h1, ed]) assert.doesNotMatch(((await p.textContent('main')) ?? '').replace(/（(XLSX|CSV)）|YSQ\d+/g, ''), /[A-Za-z]{3,}/);
    }
  });
});
