/**
 * axe-core on the portal shell in Debian's Chromium: the home page, the agency directory, the search page
 * (with results and with none), the guide, the accessibility statement, in standard and 长者模式; and the
 * search works from the home page's box without JavaScript.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium, serve, axeViolations } from '../helpers/browser.js';
import { importItems, type SourceRow } from '../../src/modules/disclosure/import.service.js';



async function* rows(records: Record<string, unknown>[]): AsyncGenerator<SourceRow> {
  let line = 1;
  for (const record of records) yield { line: line++, record };
}

describe('portal shell accessibility (axe-core)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-06-02T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.agency('town', { parent: 'city', kind: 'township', name: '某某镇人民政府' });
    await importItems(t.ctx, { system: 'test' }, 'edu', rows([
      { title: '某市教育局关于2025年义务教育招生入学工作的通知', category: '政策文件', publishedOn: '2025-05-20', docNumber: '某教发〔2025〕5号', body: '招生工作坚持公开、公平、公正，实行阳光招生。' },
      { title: '某市教育局2024年政府信息公开工作年度报告', category: '政策文件', publishedOn: '2025-01-15', body: '本报告依据条例编制。' },
    ]), { file: 'seed.jsonl' });
    base = await serve(t);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.close();
  });

  const PAGES = ['/', '/agencies', '/search', `/search?q=${encodeURIComponent('公开')}`, `/search?q=${encodeURIComponent('量子计算机')}`, '/guide', '/agencies/edu/guide', '/institutions', '/accessibility'];

  test('no serious or critical violations, in standard and large-text mode', async () => {
    // bypassCSP only so that axe-core can be injected; the pages run no inline script.
    const ctx = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
    const page = await ctx.newPage();
    for (const large of [false, true]) {
      if (large) await page.goto(`${base}/accessibility/large-text?on=1&back=%2F`);
      for (const path of PAGES) {
        const res = await page.goto(`${base}${path}`);
        assert.equal(res?.status(), 200, path);
        assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
        if (large) assert.equal(await page.getAttribute('body', 'class'), 'large-text', path);
        assert.deepEqual(await axeViolations(page, { seriousOnly: true }), [], `${path}${large ? ' (长者模式)' : ''}`);
      }
    }
    await ctx.close();
  });

  test('searching from the home page works without JavaScript and highlights the words', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    await page.fill('#home-q', '招生');
    await Promise.all([page.waitForURL(/\/search\?q=/), page.press('#home-q', 'Enter')]);
    assert.match((await page.textContent('.result-count')) ?? '', /共找到 1 条/);
    assert.equal(await page.textContent('.result-title mark'), '招生');
    await page.click('.result-title a');
    assert.match(page.url(), /\/items\/\d+$/);
    await ctx.close();
  });
});
