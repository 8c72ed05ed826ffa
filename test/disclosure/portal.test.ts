import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';

/** A multipart/form-data body as a browser sends it. */
function multipartBody(fields: Record<string, string>, file?: { name: string; data: Buffer; type?: string }) {
  const boundary = '----gongkaiTestBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('主动公开 on the portal and in the office: catalogue, item page, feeds, sitemap, attachments, forms', () => {
  let t: TestApp;
  let dataDir: string;
  let ed: string, rev: string, appr: string;
  let published: number;
  let cats: Record<string, number>;

  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    dataDir = mkdtempSync(join(tmpdir(), 'gongkai-att-'));
    t.config.dataDir = dataDir;
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.user('city', 'ed', 'editor');
    await t.user('city', 'rev', 'reviewer');
    await t.user('city', 'appr', 'approver');
    [ed, rev, appr] = await Promise.all(['ed', 'rev', 'appr'].map((u) => t.token(u)));
    cats = Object.fromEntries((await api(t.app, ed, 'GET', '/api/v1/agencies/city/categories')).body.map((c: { name: string; id: number }) => [c.name, c.id]));
    const publish = async (title: string, categoryId: number, generatedOn: string, extra: Record<string, unknown> = {}) => {
      const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'city', title, categoryId, generatedOn, ...extra });
      const id = d.body.id;
      await api(t.app, ed, 'POST', `/api/v1/items/${id}/actions`, { type: 'submit' });
      await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
      await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'approve' });
      const p = await api(t.app, appr, 'POST', `/api/v1/items/${id}/actions`, { type: 'sign_off', ...(extra.publishedOn ? { publishedOn: extra.publishedOn } : {}) });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      return id;
    };
    published = await publish('关于2025年行政事业性收费项目的公告', cats['行政事业性收费']!, '2025-02-27', { docNumber: '某财〔2025〕5号', summary: '公布收费项目及标准', subjectCategory: '财政、金融、审计', genre: '公告' });
    await publish('2024年统计公报', cats['统计信息']!, '2024-12-20', { publishedOn: '2024-12-25', validity: 'invalid' });
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the agency page lists its 目录 by category with counts and links to guide, reports and apply', async () => {
    const r = await t.anonymous().get('/agencies/city');
    assert.equal(r.statusCode, 200);
    for (const s of ['政府信息公开目录', '法定主动公开内容', '行政事业性收费', '政策解读', '/agencies/city/guide', '/agencies/city/reports', '/agencies/city/apply', '关于2025年行政事业性收费项目的公告', '/agencies/city/feed.xml']) {
      assert.ok(r.body.includes(s), s);
    }
    assert.match(r.body, new RegExp(`catalogue\\?category=${cats['行政事业性收费']}">行政事业性收费</a><span class="date">1 条`));
  });

  test('the catalogue pages by category and filters by year and 有效性; ETag and 304', async () => {
    const b = t.anonymous();
    const all = await b.get('/agencies/city/catalogue');
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /共 2 条/);
    const y = await b.get('/agencies/city/catalogue?year=2024');
    assert.match(y.body, /2024年统计公报/);
    assert.doesNotMatch(y.body, /行政事业性收费项目的公告/);
    const v = await b.get('/agencies/city/catalogue?validity=valid');
    assert.match(v.body, /共 1 条/);
    const c = await b.get(`/agencies/city/catalogue?category=${cats['统计信息']}`);
    assert.match(c.body, /2024年统计公报/);
    assert.match(c.body, /失效/);
    assert.equal((await b.get('/agencies/city/catalogue?category=999999')).statusCode, 404);
    const tag = all.headers.etag as string;
    assert.ok(tag);
    assert.match(all.headers['cache-control'] as string, /public/);
    const again = await t.app.inject({ url: '/agencies/city/catalogue', headers: { 'if-none-match': tag } });
    assert.equal(again.statusCode, 304);
    const everyone = await b.get('/catalogue?year=2025');
    assert.match(everyone.body, /某市人民政府/);
    assert.match(everyone.body, /行政事业性收费项目的公告/);
  });

  test('the item page shows the metadata box', async () => {
    const r = await t.anonymous().get(`/items/${published}`);
    assert.equal(r.statusCode, 200);
    for (const label of ['索引号', '名称', '发布机构', '生成日期', '发布日期', '文号', '主题分类', '体裁分类', '公开方式', '有效性']) assert.ok(r.body.includes(`<dt>${label}</dt>`), label);
    assert.match(r.body, /CITY\/2025-\d{5}/);
    assert.match(r.body, /某财〔2025〕5号/);
    assert.match(r.body, /财政、金融、审计/);
    assert.match(r.body, /<dd>主动公开<\/dd>/);
    assert.ok(r.headers.etag);
    assert.equal((await t.app.inject({ url: `/items/${published}`, headers: { 'if-none-match': r.headers.etag as string } })).statusCode, 304);
  });

  test('Atom feeds per agency and per category, and sitemap.xml', async () => {
    const f = await t.app.inject({ url: '/agencies/city/feed.xml' });
    assert.equal(f.statusCode, 200);
    assert.match(f.headers['content-type'] as string, /application\/atom\+xml/);
    assert.match(f.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    assert.match(f.body, new RegExp(`<id>http://localhost:\\d+/items/${published}</id>`));
    const fc = await t.app.inject({ url: `/agencies/city/categories/${cats['统计信息']}/feed.xml` });
    assert.match(fc.body, /2024年统计公报/);
    assert.doesNotMatch(fc.body, /收费项目/);
    assert.equal((await t.app.inject({ url: '/agencies/city/categories/999999/feed.xml' })).statusCode, 404);
    const s = await t.app.inject({ url: '/sitemap.xml' });
    assert.equal(s.statusCode, 200);
    assert.match(s.body, /<urlset/);
    assert.match(s.body, new RegExp(`/items/${published}</loc>`));
    assert.match(s.body, /\/agencies\/city<\/loc>/);
  });

  describe('office', () => {
    let b: Browser;
    before(async () => {
      b = await t.login('ed');
    });

    test('a draft form with bad input comes back with the input and the messages; a good one is saved', async () => {
      const form = await b.get('/office/items/new?agency=city');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /所属目录栏目/);
      const bad = await b.post('/office/items?agency=city', { title: '', summary: '我的概述', body: '我写的正文', categoryId: String(cats['通知公告']), generatedOn: '2025-02-30' }, { from: '/office/items/new?agency=city' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /请填写名称/);
      assert.match(bad.body, /生成日期格式不正确/);
      assert.match(bad.body, /我写的正文/);
      assert.match(bad.body, /我的概述/);
      const ok = await b.post('/office/items?agency=city', { title: '办公室起草的通知', body: `联系人电话 13912345678`, categoryId: String(cats['通知公告']), generatedOn: '2025-02-28' }, { from: '/office/items/new?agency=city' });
      assert.equal(ok.statusCode, 303);
      const loc = ok.headers.location as string;
      assert.match(loc, /^\/office\/items\/\d+/);
      const id = Number(/items\/(\d+)/.exec(loc)![1]);
      const sub = await b.post(`/office/items/${id}/submit`, {}, { from: `/office/items/${id}` });
      assert.equal(sub.statusCode, 303);
      // The reviewer sees the hit on the item page.
      const r = await t.login('rev');
      const page = await r.get(`/office/items/${id}`);
      assert.match(page.body, /内容筛查结果/);
      assert.match(page.body, /手机号码/);
      assert.match(page.body, /139\*\*\*\*5678/);
      const screenPanel = page.body.slice(page.body.indexOf('内容筛查结果'), page.body.indexOf('审核与发布'));
      assert.doesNotMatch(screenPanel, /13912345678/, 'the result shows the number masked (the reviewer fixes it in the form below)');
      const blocked = await r.post(`/office/items/${id}/approve`, {}, { from: `/office/items/${id}` });
      assert.equal(blocked.statusCode, 422);
      assert.match(blocked.body, /不能通过审核/);
      const list = await b.get('/office/items?status=in_review');
      assert.match(list.body, /办公室起草的通知/);
    });

    test('attachments: a PDF is stored under a generated name; a forbidden type, a disguised file and an oversized file are refused with a message', async () => {
      const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'city', title: '带附件的信息', categoryId: cats['通知公告'], generatedOn: '2025-02-28' });
      const id = d.body.id;
      const csrf = await b.csrf(`/office/items/${id}`);
      const upload = (file: { name: string; data: Buffer }) => {
        const m = multipartBody({ _csrf: csrf }, file);
        return b.request({ method: 'POST', url: `/office/items/${id}/attachments`, headers: { 'content-type': m.contentType }, payload: m.payload });
      };
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
      const ok = await upload({ name: '收费标准.pdf', data: pdf });
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
      const stored = readdirSync(join(dataDir, 'attachments'));
      assert.equal(stored.length, 1);
      assert.match(stored[0]!, /^[0-9a-f]{32}\.pdf$/);

      const exe = await upload({ name: 'setup.exe', data: Buffer.from('MZ\x90\x00 program') });
      assert.equal(exe.statusCode, 415);
      assert.match(exe.body, /不允许上传 \.exe 文件/);
      const disguised = await upload({ name: '通知.pdf', data: Buffer.from('MZ\x90\x00\x03\x00\x00\x00 this is a program') });
      assert.equal(disguised.statusCode, 415);
      assert.match(disguised.body, /内容与扩展名 \.pdf 不符/);
      const saved = t.config.maxUploadBytes;
      t.config.maxUploadBytes = 1000;
      try {
        const big = await upload({ name: '大文件.pdf', data: pdf });
        assert.equal(big.statusCode, 413);
        assert.match(big.body, /超过大小上限/);
      } finally {
        t.config.maxUploadBytes = saved;
      }
      assert.equal(readdirSync(join(dataDir, 'attachments')).length, 1, 'nothing stored for refused files');
      const noCsrf = multipartBody({}, { name: 'a.pdf', data: pdf });
      const forged = await b.request({ method: 'POST', url: `/office/items/${id}/attachments`, headers: { 'content-type': noCsrf.contentType }, payload: noCsrf.payload });
      assert.equal(forged.statusCode, 403);
      // Another agency's editor can neither add nor remove this item's attachments.
      await t.agency('other', { kind: 'government', name: '另一市人民政府' });
      await t.user('other', 'otherEd', 'editor');
      const other = await t.login('otherEd');
      const otherCsrf = await other.csrf('/office');
      const foreign = multipartBody({ _csrf: otherCsrf }, { name: '外部.pdf', data: pdf });
      const foreignUp = await other.request({ method: 'POST', url: `/office/items/${id}/attachments`, headers: { 'content-type': foreign.contentType }, payload: foreign.payload });
      assert.equal(foreignUp.statusCode, 403);
      const attachmentId = (await t.ctx.db.selectFrom('item_attachments' as never).select('id' as never).executeTakeFirstOrThrow() as { id: number }).id;
      const foreignDel = await other.post(`/office/items/${id}/attachments/${attachmentId}/delete`, {}, { csrf: otherCsrf });
      assert.equal(foreignDel.statusCode, 403);
      assert.equal(readdirSync(join(dataDir, 'attachments')).length, 1, 'nothing stored or removed by another agency');

      // Published, the attachment is downloadable from the item page.
      await api(t.app, ed, 'POST', `/api/v1/items/${id}/actions`, { type: 'submit' });
      await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'confidentiality', outcome: 'pass', opinion: '不涉密' });
      await api(t.app, rev, 'POST', `/api/v1/items/${id}/actions`, { type: 'approve' });
      await api(t.app, appr, 'POST', `/api/v1/items/${id}/actions`, { type: 'sign_off' });
      const item = (await t.app.inject({ url: `/api/v1/items/${id}` })).json();
      assert.equal(item.attachments.length, 1);
      assert.equal(item.attachments[0].name, '收费标准.pdf');
      const dl = await t.app.inject({ url: item.attachments[0].url });
      assert.equal(dl.statusCode, 200);
      assert.equal(dl.headers['content-type'], 'application/pdf');
      assert.match(dl.headers['content-disposition'] as string, /filename\*=UTF-8''%E6%94%B6/);
      assert.equal(dl.rawPayload.length, pdf.length);
    });

    test('the catalogue page: an agency column can be added, a statutory category cannot be deleted; a word joins the screen', async () => {
      const page = await b.get('/office/categories?agency=city');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /第二十条第（八）项/);
      const add = await b.post('/office/categories?agency=city', { name: '重点领域信息' }, { from: '/office/categories?agency=city' });
      assert.equal(add.statusCode, 303);
      const dup = await b.post('/office/categories?agency=city', { name: '重点领域信息' }, { from: '/office/categories?agency=city' });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /已存在/);
      const del = await b.post(`/office/categories/${cats['统计信息']}/delete?agency=city`, {}, { from: '/office/categories?agency=city' });
      assert.equal(del.statusCode, 422);
      assert.match(del.body, /法定主动公开类别/);

      const r = await t.login('rev');
      const w = await r.post('/office/screening-words?agency=city', { word: '某某领导', suggestion: '', kind: 'sensitive_wording' }, { from: '/office/categories?agency=city' });
      assert.equal(w.statusCode, 303);
      const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'city', title: '某某领导视察', categoryId: cats['工作动态'] });
      await api(t.app, ed, 'POST', `/api/v1/items/${d.body.id}/actions`, { type: 'submit' });
      const s = await api(t.app, rev, 'GET', `/api/v1/items/${d.body.id}/screening`);
      assert.equal(s.body.screening.hits[0].kind, 'sensitive_wording');
    });
  });
});
