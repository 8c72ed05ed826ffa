import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

const person = (name: string, phone: string) => ({ kind: 'natural_person', name, phone, address: '某市某路1号' });

describe('依申请转主动 (条例第四十四条): clusters of released requests, one click to a draft', () => {
  let t: TestApp;
  let tok: string;
  const ids: Record<string, number> = {};
  const fileAndRelease = async (key: string, applicant: object, subject: string, description: string, outcome = 'disclosed') => {
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-05-06', applicant, subject, description });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const r = await api(t.app, tok, 'POST', `/api/v1/requests/${res.body.id}/actions`, { type: 'reply', on: '2025-05-20', outcome, replyText: '予以公开' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    ids[key] = res.body.id;
  };

  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('roads', { parent: 'city', name: '某市交通运输局' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.user('roads', 'h1', 'handler');
    await t.user('roads', 'ed1', 'editor');
    await t.user('edu', 'h2', 'handler');
    await t.user('city', 'sup', 'supervisor');
    tok = await t.token('h1');
    await fileAndRelease('a', person('张一', '13800000001'), '2025年城市道路维修工程中标结果', '请提供中标公告');
    await fileAndRelease('b', person('王二', '13800000002'), '关于公开今年道路维修项目中标情况的申请', '希望获取中标单位名称');
    await fileAndRelease('c', person('赵三', '13800000003'), '2024年学校招生计划', '各校招生人数');
    await fileAndRelease('d', person('钱四', '13800000004'), '某小区环境监测数据', '噪声监测报告');
    await fileAndRelease('e', person('孙五', '13800000005'), '关于申请公开道路绿化养护合同的函', '合同文本');
    // Asked by a third applicant but not released: not counted.
    await fileAndRelease('f', person('周六', '13800000006'), '城市道路维修工程中标结果', '中标公告', 'unavailable.not_held');
  });
  after(async () => t.close());

  test('GET /api/v1/agencies/:code/disclosure-suggestions: one cluster of the differently worded requests, none of the unrelated', async () => {
    const res = await api(t.app, tok, 'GET', '/api/v1/agencies/roads/disclosure-suggestions');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.clusters.length, 1);
    const c = res.body.clusters[0];
    assert.deepEqual(c.requestIds, [ids.a, ids.b]);
    assert.equal(c.applicants, 2);
    assert.equal(c.lastRepliedOn, '2025-05-20');
    assert.match(c.subject, /道路维修/);
    // A supervisor above may look; another agency's handler may not, nor the anonymous.
    assert.equal((await api(t.app, await t.token('sup'), 'GET', '/api/v1/agencies/roads/disclosure-suggestions')).status, 200);
    assert.equal((await api(t.app, await t.token('h2'), 'GET', '/api/v1/agencies/roads/disclosure-suggestions')).status, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/agencies/roads/disclosure-suggestions' })).statusCode, 401);
    assert.equal((await api(t.app, tok, 'GET', '/api/v1/agencies/nope/disclosure-suggestions')).status, 404);
  });

  test('the OpenAPI description has the path with its response schema', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const op = doc.paths['/api/v1/agencies/{code}/disclosure-suggestions'].get;
    const schema = op.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(schema.properties.clusters.items.properties).sort(), ['applicants', 'lastRepliedOn', 'requestIds', 'subject']);
  });

  test('one click drafts an item linked to the requests (audited); the cluster is then gone; a handler may not, bad picks change nothing', async () => {
    const h1 = await t.login('h1');
    const page = await h1.get('/office/suggestions?agency=roads');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /需要本机构信息编辑角色/);
    const denied = await h1.post('/office/suggestions/roads/convert', { requestIds: ids.a, title: 'x' }, { from: '/office/suggestions?agency=roads' });
    assert.equal(denied.statusCode, 403);

    const ed = await t.login('ed1');
    const before = await t.ctx.db.selectFrom('items').select('id').execute();
    // Requests that are not a cluster: refused, nothing written.
    const bad = await ed.post('/office/suggestions/roads/convert', { requestIds: ids.c, title: '招生' }, { from: '/office/suggestions?agency=roads' });
    assert.equal(bad.statusCode, 303);
    assert.match(decodeURIComponent(bad.headers.location as string), /error=所选申请不是本机构已公开且尚未转为主动公开的申请/);
    assert.equal((await t.ctx.db.selectFrom('items').select('id').execute()).length, before.length);

    const form = await ed.get('/office/suggestions?agency=roads');
    assert.match(form.body, /一键转为主动公开/);
    const csrf = form.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const cat = form.body.match(/name="categoryId"><option value="(\d+)"/)![1]!;
    const res = await ed.request({
      method: 'POST',
      url: '/office/suggestions/roads/convert',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', csrf], ['requestIds', String(ids.a)], ['requestIds', String(ids.b)], ['title', '2025年城市道路维修工程中标结果'], ['categoryId', cat]]).toString(),
    });
    assert.equal(res.statusCode, 303, res.body);
    const itemId = Number((res.headers.location as string).match(/\/office\/items\/(\d+)/)![1]);
    const item = await t.ctx.db.selectFrom('items').select(['title', 'status', 'summary']).where('id', '=', itemId).executeTakeFirstOrThrow();
    assert.equal(item.status, 'draft');
    assert.equal(item.title, '2025年城市道路维修工程中标结果');
    assert.match(item.summary, /第四十四条，2 位申请人/);
    const links = await t.ctx.db.selectFrom('request_conversions').select('request_id').where('item_id', '=', itemId).orderBy('request_id').execute();
    assert.deepEqual(links.map((l) => l.request_id), [ids.a, ids.b]);
    const audit = await t.ctx.db.selectFrom('audit_log').select('data').where('action', '=', 'item.from_requests').execute();
    assert.equal(audit.length, 1);
    const after = await api(t.app, tok, 'GET', '/api/v1/agencies/roads/disclosure-suggestions');
    assert.deepEqual(after.body.clusters, []);
    assert.match((await ed.get('/office/suggestions?agency=roads')).body, new RegExp(`信息 #${itemId}</a>：由 2 件申请转来`));
  });
});
