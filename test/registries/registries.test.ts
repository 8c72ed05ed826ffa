import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { newMediaCounts, proactiveCounts } from '../../src/modules/registries/registries.service.js';

describe('registries feeding table 二', () => {
  let t: TestApp;
  let token: string;
  let ids: { city: number; a: number; b: number };
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('a', { parent: 'city', name: '甲局' });
    await t.agency('b', { parent: 'city', name: '乙局' });
    await t.user('a', 'ed', 'editor');
    await t.user('a', 'hd', 'handler');
    await t.user('b', 'bob', 'approver');
    await t.user('city', 'sup', 'supervisor');
    token = await t.token('ed');
    ids = { city: (await findAgency(t.ctx, 'city'))!.id, a: (await findAgency(t.ctx, 'a'))!.id, b: (await findAgency(t.ctx, 'b'))!.id };
  });
  after(async () => t.close());

  test('documents: issued, abolished and in force at 31 December, across years', async () => {
    const post = (body: object) => api(t.app, token, 'POST', '/api/v1/registries/documents', body);
    // issued 2023, abolished 2025: in force at the end of 2023 and 2024, abolished in 2025
    const d1 = await post({ kind: 'normative_document', title: '关于加强某某管理的通知', docNumber: '甲发〔2023〕1号', issuedOn: '2023-05-10' });
    assert.equal(d1.status, 201);
    const ab = await api(t.app, token, 'POST', `/api/v1/registries/documents/${d1.body.id}/abolish`, { abolishedOn: '2025-03-01' });
    assert.equal(ab.status, 200);
    assert.equal((await post({ kind: 'normative_document', title: '某某实施办法', issuedOn: '2024-12-31' })).status, 201);
    assert.equal((await post({ kind: 'normative_document', title: '某某暂行规定', issuedOn: '2024-02-01', abolishedOn: '2024-11-30' })).status, 201);
    assert.equal((await post({ kind: 'rule', title: '某市某某管理规定', issuedOn: '2022-01-01' })).status, 201);
    assert.equal((await post({ kind: 'normative_document', title: '2026 年的文件', issuedOn: '2026-01-01' })).status, 201);

    const y2023 = await proactiveCounts(t.ctx, [ids.a], 2023);
    assert.deepEqual(y2023.normativeDocuments, { issued: 1, abolished: 0, inForce: 1 });
    assert.deepEqual(y2023.rules, { issued: 0, abolished: 0, inForce: 1 });
    const y2024 = await proactiveCounts(t.ctx, [ids.a], 2024);
    assert.deepEqual(y2024.normativeDocuments, { issued: 2, abolished: 1, inForce: 2 });
    const y2025 = await proactiveCounts(t.ctx, [ids.a], 2025);
    assert.deepEqual(y2025.normativeDocuments, { issued: 0, abolished: 1, inForce: 1 });
    assert.deepEqual(y2025.rules, { issued: 0, abolished: 0, inForce: 1 });
  });

  test('decisions one by one, in batches and as imported yearly totals; fees in 万元; new media by channel', async () => {
    const dec = (body: object) => api(t.app, token, 'POST', '/api/v1/registries/decisions', body);
    assert.equal((await dec({ kind: 'licensing', decidedOn: '2024-03-01', docNumber: '甲许〔2024〕1号' })).status, 201);
    assert.equal((await dec({ kind: 'licensing', decidedOn: '2024-06-01', count: 41 })).status, 201);
    assert.equal((await dec({ kind: 'penalty', year: 2024, count: 17 })).status, 201);
    assert.equal((await dec({ kind: 'enforcement', decidedOn: '2025-01-01', count: 3 })).status, 201);
    assert.equal((await dec({ kind: 'enforcement', decidedOn: '2023-12-31', count: 5 })).status, 201);
    const fee = (body: object) => api(t.app, token, 'POST', '/api/v1/registries/fees', body);
    assert.equal((await fee({ collectedOn: '2024-05-01', amountYuan: '12345.67', item: '不动产登记费' })).status, 201);
    assert.equal((await fee({ collectedOn: '2024-12-31', amountFen: 100 })).status, 201);
    assert.equal((await fee({ collectedOn: '2025-01-01', amountYuan: 999 })).status, 201);
    const nm = (body: object) => api(t.app, token, 'POST', '/api/v1/registries/new-media', body);
    assert.equal((await nm({ channel: 'wechat', publishedOn: '2024-02-02', title: '一条推送' })).status, 201);
    assert.equal((await nm({ channel: 'wechat', publishedOn: '2024-03-02', count: 120, account: '某市甲局' })).status, 201);
    assert.equal((await nm({ channel: 'douyin', publishedOn: '2024-03-02', count: 9 })).status, 201);
    assert.equal((await nm({ channel: 'weibo', publishedOn: '2023-03-02', count: 9 })).status, 201);

    const p = await proactiveCounts(t.ctx, [ids.a], 2024);
    assert.equal(p.licensing.decisions, 42);
    assert.equal(p.penalties.decisions, 17);
    assert.equal(p.enforcement.decisions, 0);
    assert.equal(p.fees.amount10kYuan, 1.2347); // 12346.67 yuan = 1.234667 万元 → 4 decimals
    const m = await newMediaCounts(t.ctx, [ids.a], 2024);
    assert.deepEqual(m, { wechat: 121, douyin: 9, toutiao: 0, weibo: 0, app: 0, video: 0, other: 0 });

    // several agencies together (a government and its departments)
    await api(t.app, await t.token('bob'), 'POST', '/api/v1/registries/decisions', { kind: 'licensing', decidedOn: '2024-08-08', count: 8 });
    assert.equal((await proactiveCounts(t.ctx, [ids.a, ids.b], 2024)).licensing.decisions, 50);
    assert.equal((await proactiveCounts(t.ctx, [ids.city], 2024)).licensing.decisions, 0);

    const summary = await api(t.app, token, 'GET', '/api/v1/agencies/a/registries/2024');
    assert.equal(summary.status, 200);
    assert.equal(summary.body.proactive.licensing.decisions, 42);
    assert.equal(summary.body.newMedia.wechat, 121);
  });

  test('bad input is refused with Chinese messages and nothing is stored', async () => {
    const before = await proactiveCounts(t.ctx, [ids.a], 2024);
    const r1 = await api(t.app, token, 'POST', '/api/v1/registries/documents', { kind: 'normative_document', title: '倒序', issuedOn: '2024-05-01', abolishedOn: '2024-01-01' });
    assert.equal(r1.status, 400);
    assert.match(JSON.stringify(r1.body), /废止日期 2024-01-01 早于制发日期 2024-05-01/);
    const r2 = await api(t.app, token, 'POST', '/api/v1/registries/documents', { kind: 'normative_document', title: '日期', issuedOn: '2024-02-30' });
    assert.equal(r2.status, 400);
    const r3 = await api(t.app, token, 'POST', '/api/v1/registries/fees', { collectedOn: '2024-02-01', amountYuan: '12.345' });
    assert.equal(r3.status, 400);
    const r4 = await api(t.app, token, 'POST', '/api/v1/registries/decisions', { kind: 'penalty' });
    assert.equal(r4.status, 400);
    assert.match(JSON.stringify(r4.body), /决定日期/);
    assert.deepEqual(await proactiveCounts(t.ctx, [ids.a], 2024), before);
  });

  test('only editors and approvers of the agency write; others are refused', async () => {
    const hd = await api(t.app, await t.token('hd'), 'POST', '/api/v1/registries/decisions', { kind: 'licensing', decidedOn: '2024-01-01' });
    assert.equal(hd.status, 403);
    const cross = await api(t.app, token, 'POST', '/api/v1/registries/decisions', { agency: 'b', kind: 'licensing', decidedOn: '2024-01-01' });
    assert.equal(cross.status, 403);
    const sup = await api(t.app, await t.token('sup'), 'POST', '/api/v1/registries/fees', { agency: 'a', collectedOn: '2024-01-01', amountFen: 1 });
    assert.equal(sup.status, 403);
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/registries/fees', payload: { collectedOn: '2024-01-01', amountFen: 1 } });
    assert.ok([401, 403].includes(anon.statusCode));
    const supRead = await api(t.app, await t.token('sup'), 'GET', '/api/v1/agencies/a/registries/2024');
    assert.equal(supRead.status, 200);
    const bobRead = await api(t.app, await t.token('bob'), 'GET', '/api/v1/agencies/a/registries/2024');
    assert.equal(bobRead.status, 403);
  });

  test('the office page: table 二 for the year, forms, errors at the field, audit log', async () => {
    const ed = await t.login('ed');
    const page = await ed.get('/office/registries?year=2024');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /2024 年度表二/);
    assert.match(page.body, /行政规范性文件<\/th><td>2<\/td><td>1<\/td><td>2<\/td>/);
    assert.match(page.body, /<figure class="chart"><figcaption>/);
    const ok = await ed.post('/office/registries/new-media?agency=a&year=2024', { channel: 'video', publishedOn: '2024-09-09', count: '3' }, { from: '/office/registries' });
    assert.equal(ok.statusCode, 303);
    assert.equal((await newMediaCounts(t.ctx, [ids.a], 2024)).video, 3);
    const bad = await ed.post('/office/registries/fees?agency=a&year=2024', { collectedOn: '2024-13-01', amountYuan: 'abc', item: '保留的输入' }, { from: '/office/registries' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /不是有效日期/);
    assert.match(bad.body, /金额“abc”不正确/);
    assert.match(bad.body, /value="保留的输入"/);
    const abolish = await ed.post('/office/registries/documents/2/abolish?agency=a&year=2024', { abolishedOn: '2025-06-30' }, { from: '/office/registries' });
    assert.equal(abolish.statusCode, 303);
    assert.deepEqual((await proactiveCounts(t.ctx, [ids.a], 2025)).normativeDocuments, { issued: 0, abolished: 2, inForce: 0 });
    const sup = await t.login('sup');
    const supPage = await sup.get('/office/registries?agency=a&year=2024');
    assert.equal(supPage.statusCode, 200);
    assert.doesNotMatch(supPage.body, /action="\/office\/registries\/fees/);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action']).where('action', 'like', 'registry.%').execute();
    assert.ok(audit.length >= 14);
    assert.ok(audit.some((a) => a.action === 'registry.document.abolish'));
  });
});
