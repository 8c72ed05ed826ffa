/**
 * Everything a citizen looks for is searchable (issue 13, part 3; docs/search.md): published annual reports
 * section by section (never a draft; a correction replaces them), the agencies' guides, and the text of items'
 * PDF, DOCX and XLSX attachments (the hit shown from the attachment, with its name); a withdrawn item leaves
 * with its attachments. Through HTTP, on the run's engine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'node-html-parser';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';
import * as f from '../reports/factories.js';
import { docxWith, multipartBody, pdfWith, xlsxWith } from './attachment-files.js';
import { indexGuides } from '../../src/modules/portal/guide.service.js';
import { readMissingAttachmentTexts } from '../../src/modules/disclosure/attachments.service.js';


interface Hit { id: number; title: string; url: string; kind: string; kindLabel: string; attachment?: string; snippet: string; snippetHtml: string }

describe('search: annual reports, guides and attachments', () => {
  let t: TestApp;
  let dataDir: string;
  let handler: Browser;
  let approver: Browser;
  let editor: Browser;
  let ed: string, rev: string, appr: string;
  const search = async (q: string, extra: Record<string, string> = {}) => {
    const r = await t.app.inject({ url: `/api/v1/search?${new URLSearchParams({ q, ...extra }).toString()}` });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as { total: number; items: Hit[] };
  };
  const page = '/office/reports/bureau/2024';

  before(async () => {
    t = await buildTestApp({ now: '2025-01-20T02:00:00Z' });
    dataDir = mkdtempSync(join(tmpdir(), 'gongkai-search-'));
    t.config.dataDir = dataDir;
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('bureau', { parent: 'city', name: '某市文化和旅游局' });
    await t.user('bureau', 'hd', 'handler');
    await t.user('bureau', 'ap', 'approver');
    await t.user('bureau', 'ed', 'editor');
    await t.user('bureau', 'rv', 'reviewer');
    const bureau = await f.agencyId(t.ctx, 'bureau');
    await f.request(t.ctx, bureau, { receivedOn: '2024-03-01', repliedOn: '2024-03-15', outcome: 'disclosed' });
    handler = await t.login('hd');
    approver = await t.login('ap');
    editor = await t.login('ed');
    [ed, rev, appr] = await Promise.all(['ed', 'rv', 'ap'].map((u) => t.token(u)));
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function writeProblems(problems: string) {
    const p = parse((await handler.get(page)).body);
    const res = await handler.post(`${page}/narrative`, { overview: p.querySelector('#f-overview')!.text, problems, other: p.querySelector('#f-other')!.text }, { from: page });
    assert.equal(res.statusCode, 303);
  }

  test('a draft annual report is not searchable; published, each section is, linked to its anchor', async () => {
    assert.equal((await handler.post(`${page}/build`, { reviewsReading: 'filed' }, { from: page })).statusCode, 303);
    await writeProblems('一是群众满意度调查覆盖面不足。下一步将扩大调查范围。');
    assert.equal((await handler.post(`${page}/submit`, {}, { from: page })).statusCode, 303);
    for (const q of ['政府信息公开年度报告', '年度报告', '群众满意度调查']) assert.equal((await search(q, { kind: 'all' })).total, 0, `draft: ${q}`);

    assert.equal((await approver.post(`${page}/publish`, {}, { from: page })).statusCode, 303);
    const all = await search('政府信息公开年度报告', { kind: 'all' });
    assert.equal(all.total, 6, 'the six sections of the one published report');
    for (const h of all.items) {
      assert.equal(h.kind, 'report');
      assert.equal(h.kindLabel, '年度报告');
      assert.match(h.url, /^\/agencies\/bureau\/reports\/2024#section-/);
      assert.match(h.title, /^某市文化和旅游局2024年政府信息公开工作年度报告 /);
    }
    assert.equal(new Set(all.items.map((h) => h.url)).size, 6);
    const phrase = await search('群众满意度调查', { kind: 'report' });
    assert.equal(phrase.total, 1);
    assert.equal(phrase.items[0]!.url, '/agencies/bureau/reports/2024#section-problems');
    assert.match(phrase.items[0]!.snippetHtml, /<mark>群众满意度调查<\/mark>/);
    // the anchor is on the report page
    assert.match((await t.anonymous().get('/agencies/bureau/reports/2024')).body, /id="section-problems"/);
    // table cells are text too: table 三's row label
    assert.ok((await search('本年新收政府信息公开申请数量', { kind: 'report' })).total >= 1);
    // the API's default stays the contract's: items only
    assert.equal((await search('政府信息公开年度报告')).total, 0);
    // the page shows the kind, and filters by it
    const html = (await t.anonymous().get(`/search?q=${encodeURIComponent('政府信息公开年度报告')}`)).body;
    assert.match(html, /共找到 6 条/);
    assert.match(html, /class="badge kind-report">年度报告</);
    assert.match((await t.anonymous().get(`/search?q=${encodeURIComponent('政府信息公开年度报告')}&kind=guide`)).body, /未找到/);
  });

  test('a correction replaces the sections; the published version stays found while the year is unlocked', async () => {
    assert.equal((await approver.post(`${page}/unlock`, { reason: '更正第五部分的表述' }, { from: page })).statusCode, 303);
    assert.equal((await search('群众满意度调查', { kind: 'report' })).total, 1, 'the published version is still on the portal');
    await writeProblems('一是政策解读形式较为单一。下一步将丰富解读形式。');
    assert.equal((await handler.post(`${page}/submit`, {}, { from: page })).statusCode, 303);
    assert.equal((await search('政策解读形式较为单一', { kind: 'report' })).total, 0, 'the working copy is not searchable');
    assert.equal((await approver.post(`${page}/publish`, {}, { from: page })).statusCode, 303);
    assert.equal((await search('群众满意度调查', { kind: 'report' })).total, 0);
    assert.equal((await search('政策解读形式较为单一', { kind: 'report' })).total, 1);
    assert.equal((await search('政府信息公开年度报告', { kind: 'all' })).total, 6);
  });

  test('a guide phrase finds the guide; saving it updates the index', async () => {
    assert.equal(await indexGuides(t.ctx), 2);
    const g = await search('政府信息公开指南', { kind: 'guide' });
    assert.deepEqual(g.items.map((h) => h.url).sort(), ['/agencies/bureau/guide', '/agencies/city/guide']);
    assert.equal(g.items[0]!.kindLabel, '公开指南');
    // generated text of the guide (section 三)
    assert.equal((await search('一次性告知需要补正的事项', { kind: 'guide' })).total, 2);
    assert.equal(await indexGuides(t.ctx), 2, 'indexing again, unchanged, is harmless');
    assert.equal((await search('政府信息公开指南', { kind: 'guide' })).total, 2);

    const csrf = await editor.csrf('/office/guide?agency=bureau');
    const res = await editor.post('/office/guide?agency=bureau', { _csrf: csrf, other: '本局档案查阅室设在文旅大厦三楼东侧。' }, { csrf });
    assert.equal(res.statusCode, 303);
    const hit = await search('文旅大厦三楼', { kind: 'all' });
    assert.equal(hit.total, 1);
    assert.equal(hit.items[0]!.url, '/agencies/bureau/guide');
    assert.equal(hit.items[0]!.kind, 'guide');
    // traditional characters find it too
    assert.equal((await search('檔案查閱室', { kind: 'guide' })).total, 1);
  });

  test("a phrase only in a PDF, a DOCX or an XLSX attachment finds the item, the snippet from the attachment with its name; withdrawal removes it", async () => {
    const cats = Object.fromEntries((await api(t.app, ed, 'GET', '/api/v1/agencies/bureau/categories')).body.map((c: { name: string; id: number }) => [c.name, c.id]));
    const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'bureau', title: '关于公布城市公园名录的通知', categoryId: cats['通知公告'], generatedOn: '2025-01-10', body: '详见附件。' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const id = d.body.id as number;
    const csrf = await editor.csrf(`/office/items/${id}`);
    const files = [
      { name: '公园名录.pdf', data: await pdfWith('本市共有城市公园八十七座，其中湿地公园九座。') },
      { name: '资金说明.docx', data: await docxWith('第一部分\n乡村振兴衔接资金使用情况说明') },
      { name: '补助明细.xlsx', data: await xlsxWith([['项目', '金额（万元）'], ['老旧小区改造补助', '120.5']]) },
    ];
    for (const file of files) {
      const m = multipartBody({ _csrf: csrf }, file);
      const up = await editor.request({ method: 'POST', url: `/office/items/${id}/attachments`, headers: { 'content-type': m.contentType }, payload: m.payload });
      assert.equal(up.statusCode, 303, up.body);
    }
    const phrases: [string, string][] = [['湿地公园九座', '公园名录.pdf'], ['乡村振兴衔接资金', '资金说明.docx'], ['老旧小区改造补助', '补助明细.xlsx']];
    for (const [q] of phrases) assert.equal((await search(q, { kind: 'all' })).total, 0, `a draft's attachment is not searchable: ${q}`);

    await api(t.app, ed, 'POST', `/api/v1/items/${id}/actions`, { type: 'submit' });
    await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'approve' });
    const s = await api(t.app, appr, 'POST', `/api/v1/items/${id}/actions`, { type: 'sign_off' });
    assert.equal(s.status, 200, JSON.stringify(s.body));

    for (const [q, name] of phrases) {
      const r = await search(q);
      assert.equal(r.total, 1, q);
      const h = r.items[0]!;
      assert.equal(h.id, id);
      assert.equal(h.url, `/items/${id}`);
      assert.equal(h.kind, 'attachment');
      assert.equal(h.kindLabel, '附件');
      assert.equal(h.attachment, name);
      assert.ok(h.snippet.includes(q), `${q}: ${h.snippet}`);
      assert.match(h.snippetHtml, new RegExp(`<mark>${q}</mark>`));
    }
    // phrase-exact: the characters of a phrase apart do not match; 繁体 folds; a word in the body and one in an attachment both count
    assert.equal((await search('湿地公园八十七座')).total, 0);
    assert.equal((await search('濕地公園九座')).total, 1);
    const two = await search('详见附件 湿地公园');
    assert.equal(two.total, 1);
    assert.equal(two.items[0]!.kind, 'item', 'the body holds a word: the snippet is the body');
    const html = (await t.anonymous().get(`/search?q=${encodeURIComponent('乡村振兴衔接资金')}`)).body;
    assert.match(html, /附件：资金说明\.docx/);
    assert.match(html, /class="badge kind-attachment">附件</);

    const w = await api(t.app, appr, 'POST', `/api/v1/items/${id}/actions`, { type: 'withdraw', reason: '名录有误，更正后重新发布' });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    for (const [q] of phrases) assert.equal((await search(q, { kind: 'all' })).total, 0, `withdrawn: ${q}`);
  });

  test('attachments uploaded before the search read them are read by the reindex and their published items indexed again', async () => {
    const cats = Object.fromEntries((await api(t.app, ed, 'GET', '/api/v1/agencies/bureau/categories')).body.map((c: { name: string; id: number }) => [c.name, c.id]));
    const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'bureau', title: '关于旧附件的通知', categoryId: cats['通知公告'], generatedOn: '2025-01-12' });
    const id = d.body.id as number;
    const csrf = await editor.csrf(`/office/items/${id}`);
    const m = multipartBody({ _csrf: csrf }, { name: '旧附件.docx', data: await docxWith('非遗传承人认定名单') });
    assert.equal((await editor.request({ method: 'POST', url: `/office/items/${id}/attachments`, headers: { 'content-type': m.contentType }, payload: m.payload })).statusCode, 303);
    // as an attachment stored before this change: its text never read
    await t.ctx.db.updateTable('item_attachments' as never).set({ text: null } as never).where('item_id' as never, '=', id as never).execute();
    await api(t.app, ed, 'POST', `/api/v1/items/${id}/actions`, { type: 'submit' });
    await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
    await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'approve' });
    assert.equal((await api(t.app, appr, 'POST', `/api/v1/items/${id}/actions`, { type: 'sign_off' })).status, 200);
    assert.equal((await search('非遗传承人认定名单')).total, 0);
    assert.deepEqual(await readMissingAttachmentTexts(t.ctx, dataDir), { files: 1, items: 1 });
    const r = await search('非遗传承人认定名单');
    assert.equal(r.total, 1);
    assert.equal(r.items[0]!.attachment, '旧附件.docx');
    assert.deepEqual(await readMissingAttachmentTexts(t.ctx, dataDir), { files: 0, items: 0 }, 'each file is read once');
  });
});
