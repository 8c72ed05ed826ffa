/**
 * The report's life through the web: build from records, edit the prose, review, sign-off and publish to the
 * 年报专栏, the portal page with the format's merged cells, the API, downloads; the year lock and its unlock;
 * a broken record refusing publication.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'node-html-parser';
import { assertYearOpen } from '../../src/modules/reports/reports.service.js';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';
import * as f from './factories.js';

describe('building, publishing and locking an annual report', () => {
  let t: TestApp;
  let bureau: number;
  let handler: Browser;
  let approver: Browser;
  before(async () => {
    t = await buildTestApp({ now: '2025-01-20T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('bureau', { parent: 'city', name: '某市文化和旅游局' });
    await t.agency('sib', { parent: 'city', name: '某市教育局' });
    await t.user('bureau', 'hd', 'handler');
    await t.user('bureau', 'ap', 'approver');
    await t.user('bureau', 'rv', 'reviewer');
    await t.user('sib', 'sibap', 'approver');
    await t.user('sib', 'sibap2', 'approver');
    await t.user('city', 'sup', 'supervisor');
    bureau = await f.agencyId(t.ctx, 'bureau');
    await f.request(t.ctx, bureau, { receivedOn: '2024-03-01', repliedOn: '2024-03-15', outcome: 'disclosed' });
    await f.request(t.ctx, bureau, { receivedOn: '2024-05-01', kind: 'commercial_enterprise', repliedOn: '2024-05-20', outcome: 'unavailable.not_held' });
    await f.request(t.ctx, bureau, { receivedOn: '2024-12-30' });
    await f.items(t.ctx, bureau, '2024-06-01', 4);
    await f.reviewCase(t.ctx, bureau, { kind: 'reconsideration', filedOn: '2024-07-01', result: 'upheld', concludedOn: '2024-09-01', caseNo: '某复决字〔2024〕1号' });
    handler = await t.login('hd');
    approver = await t.login('ap');
  });
  after(async () => t.close());

  const page = '/office/reports/bureau/2024';

  test('a handler builds the report from the records; the draft states the facts and asks for section 五', async () => {
    const res = await handler.post(`${page}/build`, { reviewsReading: 'filed' }, { from: page });
    assert.equal(res.statusCode, 303);
    const p = await handler.get(page);
    assert.equal(p.statusCode, 200);
    assert.match(p.body, /新收政府信息公开申请3件/);
    assert.match(p.body, /门户网站本年发布信息：4 条/);
    assert.match(p.body, /正文仍有“【待填写】”/);
    assert.match(p.body, /data-table="requests"/);
  });

  test('the supervisor reads the working copy but cannot build it', async () => {
    const sup = await t.login('sup');
    assert.equal((await sup.get(page)).statusCode, 200);
    const res = await sup.post(`${page}/build`, {}, { from: page });
    assert.equal(res.statusCode, 403);
  });

  test('publication is refused while the prose has parts to write', async () => {
    assert.equal((await handler.post(`${page}/submit`, {}, { from: page })).statusCode, 303);
    const res = await approver.post(`${page}/publish`, {}, { from: page });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /不能发布/);
    assert.match(res.body, /【待填写】/);
    const rv = await t.login('rv');
    const back = await rv.post(`${page}/review`, { decision: 'return', note: '请补写第五部分' }, { from: page });
    assert.equal(back.statusCode, 303);
    assert.match((await handler.get(page)).body, /审核意见：请补写第五部分/);
  });

  test('a prose figure contradicting the tables is flagged on save; the input is kept', async () => {
    const p = parse((await handler.get(page)).body);
    const overview = p.querySelector('#f-overview')!.text;
    const other = p.querySelector('#f-other')!.text;
    const res = await handler.post(`${page}/narrative`, { overview: `${overview}\n本年度共受理政府信息公开申请5件。`, problems: '一是公开内容不够丰富。下一步将加强培训。', other }, { from: page });
    assert.equal(res.statusCode, 303);
    const after = (await handler.get(page)).body;
    assert.match(after, /正文称收到政府信息公开申请 5 件/);
    const ok = await handler.post(`${page}/narrative`, { overview, problems: '一是公开内容不够丰富。下一步将加强培训。', other }, { from: page });
    assert.equal(ok.statusCode, 303);
    assert.match(decodeURIComponent(ok.headers.location as string), /正文已保存$/);
  });

  test('review, sign-off and publication to the 年报专栏; the year is locked', async () => {
    assert.equal((await handler.post(`${page}/submit`, {}, { from: page })).statusCode, 303);
    const rv = await t.login('rv');
    assert.equal((await rv.post(`${page}/review`, { decision: 'approve' }, { from: page })).statusCode, 303);
    // A reviewer cannot sign off.
    assert.equal((await rv.post(`${page}/publish`, {}, { from: page })).statusCode, 403);
    const res = await approver.post(`${page}/publish`, {}, { from: page });
    assert.equal(res.statusCode, 303, res.body);
    const column = await t.anonymous().get('/reports');
    assert.match(column.body, /某市文化和旅游局2024年政府信息公开工作年度报告/);
    assert.match(column.body, /href="\/agencies\/bureau\/reports\/2024"/);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action']).where('entity', '=', 'report').execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['report.build', 'report.submit', 'report.return', 'report.edit', 'report.edit', 'report.submit', 'report.review', 'report.publish'],
    );
    await assert.rejects(assertYearOpen(t.ctx, bureau, '2024-06-30'), (e: any) => e.code === 'locked' && /已锁定/.test(e.message));
    await assertYearOpen(t.ctx, bureau, '2025-01-02');
    // Through the requests API: a request received in the locked year is refused and nothing is stored;
    // the carried-forward request can still be answered in the new year.
    const token = await t.token('hd');
    const before = (await t.ctx.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const late = await api(t.app, token, 'POST', '/api/v1/requests', {
      channel: 'letter', receivedOn: '2024-11-11', applicant: { kind: 'natural_person', name: '补录人' }, subject: '某文件', description: '某文件全文',
    });
    assert.equal(late.status, 423);
    assert.match(late.body.error.message, /已锁定/);
    assert.equal((await t.ctx.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n, before);
    const open = await t.ctx.db.selectFrom('requests').select(['id']).where('received_on', '=', '2024-12-30').executeTakeFirstOrThrow();
    const inLocked = await api(t.app, token, 'POST', `/api/v1/requests/${open.id}/actions`, { type: 'extend', on: '2024-12-31', days: 5 });
    assert.equal(inLocked.status, 423);
    const inNewYear = await api(t.app, token, 'POST', `/api/v1/requests/${open.id}/actions`, { type: 'reply', on: '2025-01-06', outcome: 'disclosed' });
    assert.equal(inNewYear.status, 200, JSON.stringify(inNewYear.body));
    // The registries of the locked year too.
    const apToken = await t.token('ap');
    const decision = await api(t.app, apToken, 'POST', '/api/v1/registries/decisions', { agency: 'bureau', kind: 'licensing', year: 2024, count: 3 });
    assert.equal(decision.status, 423);
    const decision2025 = await api(t.app, apToken, 'POST', '/api/v1/registries/decisions', { agency: 'bureau', kind: 'licensing', year: 2025, count: 3 });
    assert.equal(decision2025.status, 201, JSON.stringify(decision2025.body));
    // A rebuild is refused too.
    const rebuild = await handler.post(`${page}/build`, {}, { from: page });
    assert.equal(rebuild.statusCode, 423);
  });

  test('the portal page lays the tables out exactly as the format (row and column spans)', async () => {
    const res = await t.anonymous().get('/agencies/bureau/reports/2024');
    assert.equal(res.statusCode, 200);
    const doc = parse(res.body);
    const req = doc.querySelector('table[data-table="requests"]')!;
    const cell = (text: string) => req.querySelectorAll('th,td').find((c) => c.text.trim() === text)!;
    const spans = (text: string) => [cell(text).getAttribute('rowspan') ?? '1', cell(text).getAttribute('colspan') ?? '1'];
    assert.deepEqual(spans('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'), ['3', '3']);
    assert.deepEqual(spans('申请人情况'), ['1', '7']);
    assert.deepEqual(spans('自然人'), ['2', '1']);
    assert.deepEqual(spans('法人或其他组织'), ['1', '5']);
    assert.deepEqual(spans('三、本年度办理结果'), ['22', '1']);
    assert.deepEqual(spans('（三）不予公开'), ['8', '1']);
    assert.deepEqual(spans('（四）无法提供'), ['3', '1']);
    assert.deepEqual(spans('（五）不予处理'), ['5', '1']);
    assert.deepEqual(spans('（六）其他处理'), ['3', '1']);
    assert.deepEqual(spans('（七）总计'), ['1', '2']);
    assert.deepEqual(spans('一、本年新收政府信息公开申请数量'), ['1', '3']);
    assert.deepEqual(spans('四、结转下年度继续办理'), ['1', '3']);
    // 25 body rows + 3 header rows; every body row has 7 numbers.
    const rows = req.querySelectorAll('tr');
    assert.equal(rows.length, 28);
    for (const tr of rows.slice(3)) assert.equal(tr.querySelectorAll('td.num').length, 7);
    // The numbers: 一 row 自然人 2, 商业企业 1, 总计 3.
    const first = rows[3]!.querySelectorAll('td.num').map((c) => c.text);
    assert.deepEqual(first, ['2', '1', '0', '0', '0', '0', '3']);
    const rv = doc.querySelector('table[data-table="reviews"]')!;
    const rvCell = (text: string) => rv.querySelectorAll('th').find((c) => c.text.trim() === text)!;
    assert.equal(rvCell('行政复议').getAttribute('colspan'), '5');
    assert.equal(rvCell('行政诉讼').getAttribute('colspan'), '10');
    assert.equal(rvCell('未经复议直接起诉').getAttribute('colspan'), '5');
    assert.deepEqual(rv.querySelectorAll('td.num').map((c) => c.text).slice(0, 5), ['1', '0', '0', '0', '1']);
    assert.match(res.body, /href="\/agencies\/bureau\/reports\/2024\/report.pdf"/);
    assert.match(res.body, /五、存在的主要问题及改进情况/);
    assert.match(res.body, /一是公开内容不够丰富/);
  });

  test('downloads: PDF, DOCX, XLSX and the contract JSON from the API', async () => {
    const pdf = await t.anonymous().get('/agencies/bureau/reports/2024/report.pdf');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const docx = await t.anonymous().get('/agencies/bureau/reports/2024/report.docx');
    assert.equal(docx.rawPayload.subarray(0, 2).toString(), 'PK');
    const xlsx = await t.anonymous().get('/agencies/bureau/reports/2024/report.xlsx');
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const res = await t.app.inject({ url: '/api/v1/agencies/bureau/reports/2024' });
    assert.equal(res.statusCode, 200);
    const j = res.json();
    assert.deepEqual(j.agency, { code: 'bureau', name: '某市文化和旅游局' });
    assert.equal(j.year, 2024);
    assert.equal(j.format, '2021');
    assert.equal(j.requests.new.total, 3);
    assert.equal(j.requests['unavailable.not_held'].commercial_enterprise, 1);
    assert.equal(j.requests.carriedForward.natural_person, 1);
    assert.deepEqual(j.reviews.reconsideration, { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 });
    assert.ok(Array.isArray(j.findings));
    assert.equal(j.status, 'published');
    // Unpublished years are 404; the draft needs a token.
    assert.equal((await t.app.inject({ url: '/api/v1/agencies/bureau/reports/2023' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/v1/agencies/bureau/reports/2024?version=draft' })).statusCode, 401);
    const tok = await t.token('hd');
    const draft = await api(t.app, tok, 'GET', '/api/v1/agencies/bureau/reports/2024?version=computed');
    assert.equal(draft.status, 200);
    assert.equal(draft.body.status, 'computed');
    const other = await api(t.app, await t.token('sibap'), 'GET', '/api/v1/agencies/bureau/reports/2024?version=draft');
    assert.equal(other.status, 403);
  });

  test('an unlock needs a reason, is audited, and reopens the year until the report is published again', async () => {
    const noReason = await approver.post(`${page}/unlock`, { reason: '' }, { from: page });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /请说明解除锁定的理由/);
    const byHandler = await handler.post(`${page}/unlock`, { reason: '补录一件漏登的申请' }, { from: page });
    assert.equal(byHandler.statusCode, 403);
    const ok = await approver.post(`${page}/unlock`, { reason: '补录一件漏登的申请' }, { from: page });
    assert.equal(ok.statusCode, 303);
    await assertYearOpen(t.ctx, bureau, '2024-06-30');
    const entry = await t.ctx.db.selectFrom('audit_log').select(['data']).where('action', '=', 'report.unlock').executeTakeFirstOrThrow();
    assert.match(entry.data, /补录一件漏登的申请/);
    // The published version stays on the portal meanwhile.
    assert.equal((await t.anonymous().get('/agencies/bureau/reports/2024')).statusCode, 200);
    await f.request(t.ctx, bureau, { receivedOn: '2024-08-08', repliedOn: '2024-08-20', outcome: 'disclosed' });
    // The prose stated 3 requests: it is redrafted from the records (section 五 is kept).
    assert.equal((await handler.post(`${page}/build`, { redraft: '1' }, { from: page })).statusCode, 303);
    assert.equal((await handler.post(`${page}/submit`, {}, { from: page })).statusCode, 303);
    assert.equal((await approver.post(`${page}/publish`, {}, { from: page })).statusCode, 303);
    const j = (await t.app.inject({ url: '/api/v1/agencies/bureau/reports/2024' })).json();
    assert.equal(j.requests.new.total, 4);
    assert.match(j.narrative.overview, /新收政府信息公开申请4件/);
    assert.equal(j.narrative.problems, '一是公开内容不够丰富。下一步将加强培训。');
    assert.equal(j.revision, 2);
    assert.equal(j.publishedOn, '2025-01-20');
    await assert.rejects(assertYearOpen(t.ctx, bureau, '2024-06-30'), /已锁定/);
  });

  test('a broken record (replied before it was received) is named and refuses publication', async () => {
    const sib = await f.agencyId(t.ctx, 'sib');
    const bad = await f.request(t.ctx, sib, { receivedOn: '2024-05-10', repliedOn: '2024-05-01', outcome: 'disclosed', trackingNo: 'YSQ-2024-BAD1' });
    assert.ok(bad.id);
    const b = await t.login('sibap');
    const p = '/office/reports/sib/2024';
    assert.equal((await b.post(`${p}/build`, {}, { from: p })).statusCode, 303);
    const view = (await b.get(p)).body;
    assert.match(view, /申请 YSQ-2024-BAD1：答复日期 2024-05-01 早于收到申请日期 2024-05-10/);
    const form = parse(view);
    await b.post(`${p}/narrative`, { overview: form.querySelector('#f-overview')!.text, problems: '无。', other: form.querySelector('#f-other')!.text }, { from: p });
    assert.equal((await b.post(`${p}/submit`, {}, { from: p })).statusCode, 303);
    // Signed off by a second person (the one who sent it for review may not: test/security/sign-off.test.ts).
    const res = await (await t.login('sibap2')).post(`${p}/publish`, {}, { from: p });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /YSQ-2024-BAD1/);
    assert.equal((await t.app.inject({ url: '/api/v1/agencies/sib/reports/2024' })).statusCode, 404);
  });

  test('the office list shows status and the statutory deadlines', async () => {
    const res = await handler.get('/office/reports');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /2024年度报告/);
    assert.match(res.body, /2025-01-31/);
    assert.match(res.body, /已发布/);
  });
});
