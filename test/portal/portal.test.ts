import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import { importItems, type SourceRow } from '../../src/modules/disclosure/import.service.js';

async function* rows(records: Record<string, unknown>[]): AsyncGenerator<SourceRow> {
  let line = 1;
  for (const record of records) yield { line: line++, record };
}

describe('portal shell: home, directory, guide, institutions, accessibility', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-06-02T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府', kind: 'government' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.agency('town', { parent: 'city', kind: 'township', name: '某某镇人民政府' });
    await t.user('edu', 'ed', 'editor');
    await t.user('edu', 'hd', 'handler');
    await t.user('city', 'sup', 'supervisor');
    await importItems(t.ctx, { system: 'test' }, 'edu', rows([
      { title: '某市教育局关于2025年义务教育招生入学工作的通知', category: '政策文件', publishedOn: '2025-05-20', body: '招生工作坚持公开、公平、公正。' },
      { title: '某市教育局2024年政府信息公开工作年度报告', category: '政策文件', publishedOn: '2025-01-15', body: '本报告依据条例编制。' },
    ]), { file: 'test.jsonl' });
  });
  after(async () => t.close());

  test('the home page: the four sections, the request block, 最新文件, 重点领域, the search box with 热门搜索', async () => {
    const res = await t.anonymous().get('/');
    assert.equal(res.statusCode, 200);
    for (const s of ['政府信息公开指南', '政府信息公开制度', '法定主动公开内容', '政府信息公开年报', '政府信息公开申请', '最新文件', '重点领域信息公开', '热门搜索']) assert.match(res.body, new RegExp(s), s);
    assert.match(res.body, /某市教育局关于2025年义务教育招生入学工作的通知/);
    // newest first
    assert.ok(res.body.indexOf('2025年义务教育招生入学工作的通知</a>') < res.body.indexOf('2024年政府信息公开工作年度报告</a>'));
    assert.match(res.body, /href="\/search\?q=%E5%8F%8C%E9%9A%8F%E6%9C%BA/); // 双随机、一公开 links to a search
    assert.match(res.body, /<form method="get" action="\/search" role="search"/);
  });

  test('public pages carry an ETag and answer If-None-Match with 304', async () => {
    for (const url of ['/', '/agencies', '/guide', '/agencies/edu/guide', '/institutions', '/accessibility', '/search?q=%E5%85%AC%E5%BC%80']) {
      const first = await t.app.inject({ url });
      assert.equal(first.statusCode, 200, url);
      const etag = first.headers.etag as string;
      assert.ok(etag, url);
      assert.match(first.headers['cache-control'] as string, /public/);
      const again = await t.app.inject({ url, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304, url);
      assert.equal(again.body, '');
      const other = await t.app.inject({ url, headers: { 'if-none-match': 'W/"other"' } });
      assert.equal(other.statusCode, 200, url);
    }
  });

  test('the agency directory is a tree: government, then departments and townships under it', async () => {
    const res = await t.anonymous().get('/agencies');
    assert.equal(res.statusCode, 200);
    const city = res.body.indexOf('某市人民政府</a>');
    const edu = res.body.indexOf('某市教育局</a>');
    const town = res.body.indexOf('某某镇人民政府</a>');
    assert.ok(city > 0 && city < edu && edu < town);
    assert.match(res.body, /<ul class="tree">.*某市人民政府.*<ul class="tree">.*某市教育局/s);
    assert.match(res.body, /href="\/agencies\/edu\/guide"/);
  });

  test('the guide (第12条): default text from the agency data, with the office contact block', async () => {
    const b = await t.login('ed');
    await b.post('/office/agencies/edu', { name: '某市教育局', phone: '0451-88880000', fax: '0451-88880001', email: 'gk@edu.example.cn', address: '某市某路 1 号', postcode: '150001', officeHours: '工作日 9:00-17:00', officeName: '某市教育局办公室' }, { from: '/office/agencies/edu' });
    const res = await t.anonymous().get('/agencies/edu/guide');
    assert.equal(res.statusCode, 200);
    for (const s of ['一、政府信息的分类', '二、编排体系', '三、获取方式', '四、政府信息公开工作机构', '某市教育局办公室', '某市某路 1 号', '工作日 9:00-17:00', '0451-88880000', '0451-88880001', 'gk@edu.example.cn', '20 个工作日']) {
      assert.match(res.body, new RegExp(s.replace(/[()]/g, '\\$&')), s);
    }
    assert.match(res.body, /政策文件/); // the catalogue's categories are the classification
    const top = await t.anonymous().get('/guide');
    assert.match(top.body, /某市人民政府政府信息公开指南/);
    assert.match(top.body, /href="\/agencies\/edu\/guide"/);
    assert.equal((await t.anonymous().get('/agencies/nope/guide')).statusCode, 404);
  });

  test('an editor edits the guide in the office (audit-logged); others cannot; empty falls back to the default', async () => {
    const ed = await t.login('ed');
    const form = await ed.get('/office/guide');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="classification"/);
    const ok = await ed.post('/office/guide?agency=edu', { classification: '本局信息分为：一、机构职能；二、教育政策。', arrangement: '', access: '', other: '查阅点：本局一楼大厅。', institutions: '本局实行信息公开保密审查制度。' }, { from: '/office/guide' });
    assert.equal(ok.statusCode, 303);
    const page = await t.anonymous().get('/agencies/edu/guide');
    assert.match(page.body, /本局信息分为：一、机构职能；二、教育政策。/);
    assert.match(page.body, /查阅点：本局一楼大厅。/);
    assert.match(page.body, /索引号由/); // arrangement left empty: the default
    const inst = await t.anonymous().get('/agencies/edu/institutions');
    assert.match(inst.body, /本局实行信息公开保密审查制度。/);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'data']).where('action', '=', 'guide.update').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.data).changed, ['classification', 'other', 'institutions']);

    const hd = await t.login('hd');
    const view = await hd.get('/office/guide');
    assert.equal(view.statusCode, 200);
    assert.doesNotMatch(view.body, /<form method="post" action="\/office\/guide/);
    const refused = await hd.post('/office/guide?agency=edu', { classification: '篡改' }, { from: '/office/guide' });
    assert.equal(refused.statusCode, 403);
    const sup = await t.login('sup');
    assert.equal((await sup.post('/office/guide?agency=edu', { classification: '篡改' }, { from: '/office/guide' })).statusCode, 403);
    assert.doesNotMatch((await t.anonymous().get('/agencies/edu/guide')).body, /篡改/);
  });

  test('the accessibility statement explains 长者模式, and the toggle works', async () => {
    const b = t.anonymous();
    const res = await b.get('/accessibility');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /长者模式/);
    assert.match(res.body, /第四十三条/);
    const on = await b.get('/accessibility/large-text?on=1&back=%2Faccessibility');
    assert.ok([302, 303].includes(on.statusCode));
    const after = await b.get('/accessibility');
    assert.match(after.body, /<body class="large-text">/);
    assert.match(after.body, /已开启长者模式/);
  });

  test('imported items are searchable right away (search index fed in the same transaction)', async () => {
    const res = await t.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('招生')}` });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 1);
    assert.equal(body.items[0].agency, '某市教育局');
    const edu = await t.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('公开')}&agency=city` });
    assert.equal(edu.json().total, 0);
    const openapi = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    assert.ok(openapi.paths['/api/v1/search']);
    assert.ok(openapi.paths['/api/v1/registries/documents']);
    void api;
  });
});
