import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';

const applicant = { kind: 'natural_person', name: '李四', phone: '13800138000', address: '某市某路1号' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

function multipart(fields: Record<string, string>, files: { name: string; fileName: string; data: Buffer; type: string }[]) {
  const boundary = '----gongkaitest' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.fileName}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('督办: open, answer with files, return, answer again, accept; counted and exported; outside the tree 403', () => {
  let t: TestApp;
  let sup: Browser;
  let h1: Browser;
  let overdueNo: string;
  let overdueId: number;
  let supervisionId: number;

  const count = async (table: 'supervisions' | 'audit_log') => Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('roads', { parent: 'city', name: '某市交通运输局' });
    await t.agency('other', { name: '另一市人民政府' });
    await t.agency('far', { parent: 'other', name: '另一市交通运输局' });
    await t.user('city', 'sup', 'supervisor');
    await t.user('roads', 'h1', 'handler');
    await t.user('roads', 'ap1', 'approver');
    await t.user('far', 'h9', 'handler');
    const res = await api(t.app, await t.token('h1'), 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-04-01', applicant, subject: '道路维修资金使用情况', description: '2024年度' });
    assert.equal(res.status, 201);
    assert.equal(res.body.overdue, true);
    overdueNo = res.body.trackingNo;
    overdueId = res.body.id;
    sup = await t.login('sup');
    h1 = await t.login('h1');
  });
  after(async () => t.close());

  test('a 督办 on an agency outside the office\'s tree, or by a handler: 403 and nothing written', async () => {
    const before = [await count('supervisions'), await count('audit_log')];
    let res = await sup.post('/office/supervision', { agency: 'far', matter: 'other', title: '某事项', details: '请说明', deadline: '2025-07-10' }, { from: '/office/supervision/new' });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /上级监督检查机构/);
    res = await sup.post('/office/supervision', { agency: 'city', matter: 'other', title: '某事项', details: '请说明', deadline: '2025-07-10' }, { from: '/office/supervision/new' });
    assert.equal(res.statusCode, 403, 'not on its own agency');
    res = await h1.post('/office/supervision', { agency: 'roads', matter: 'other', title: '某事项', details: '请说明', deadline: '2025-07-10' }, { from: '/office/supervision' });
    assert.equal(res.statusCode, 403);
    assert.deepEqual([await count('supervisions'), await count('audit_log')], before);
  });

  test('bad input is refused with Chinese messages and nothing is written', async () => {
    const before = await count('supervisions');
    const res = await sup.post('/office/supervision', { agency: 'roads', matter: 'requests', trackingNos: 'YSQ-NOPE', deadline: '2025-01-01' }, { from: '/office/supervision/new' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /没有这些受理编号的申请：YSQ-NOPE/);
    assert.match(res.body, /办理期限不能早于今天/);
    assert.equal(await count('supervisions'), before);
  });

  test('round trip: open on an overdue request, answer with a file, return, answer again, accept', async () => {
    const form = await sup.get('/office/supervision/new?agency=roads&matter=requests');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`value="${overdueNo}" checked`), 'the overdue request is offered');
    let res = await sup.post('/office/supervision', { agency: 'roads', matter: 'requests', trackingNos: overdueNo, details: '请立即答复并说明超期原因', deadline: '2025-07-10' }, { from: '/office/supervision/new' });
    assert.equal(res.statusCode, 303, res.body);
    supervisionId = Number((res.headers.location as string).match(/\/office\/supervision\/(\d+)/)![1]);

    // The agency sees it, is told, and answers with text and a PDF.
    assert.match((await h1.get('/office/supervision')).body, /1 件依申请公开申请超期未答复/);
    assert.match((await h1.get('/office/notifications')).body, /督办：1 件依申请公开申请超期未答复/);
    assert.match((await h1.get('/office')).body, /待答复<\/span> <a href="\/office\/supervision\/\d+">1 件依申请公开申请超期未答复/, 'on the agency\'s 工作台');
    let page = await h1.get(`/office/supervision/${supervisionId}`);
    assert.match(page.body, new RegExp(`href="/office/requests/${overdueId}"`));
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    // A file whose content is not what its name says: refused, nothing written.
    let mp = multipart({ _csrf: csrf, text: '已答复申请人' }, [{ name: 'files', fileName: '说明.pdf', data: Buffer.from('not a pdf'), type: 'application/pdf' }]);
    res = await h1.request({ method: 'POST', url: `/office/supervision/${supervisionId}/answer`, headers: { 'content-type': mp.contentType }, payload: mp.payload });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /内容与扩展名 .pdf 不符/);
    t.setNow('2025-07-02T02:00:00Z');
    h1 = await t.login('h1'); // sessions last hours: a new day, a new login
    sup = await t.login('sup');
    mp = multipart({ _csrf: await h1.csrf(`/office/supervision/${supervisionId}`), text: '已于7月2日答复申请人，超期原因为档案调取。' }, [{ name: 'files', fileName: '答复说明.pdf', data: PDF, type: 'application/pdf' }]);
    res = await h1.request({ method: 'POST', url: `/office/supervision/${supervisionId}/answer`, headers: { 'content-type': mp.contentType }, payload: mp.payload });
    assert.equal(res.statusCode, 303, res.body);

    // Another agency's handler may not answer or read.
    const h9 = await t.login('h9');
    assert.equal((await h9.get(`/office/supervision/${supervisionId}`)).statusCode, 403);

    // The office reads the answer and the file, and returns it with a reason.
    page = await sup.get(`/office/supervision/${supervisionId}`);
    assert.match(page.body, /已答复，待审核/);
    assert.match((await sup.get('/office')).body, /待审核答复<\/span> <a href="\/office\/supervision\/\d+">/, 'on the office\'s 工作台');
    const fileId = page.body.match(/\/office\/supervision\/files\/(\d+)/)![1];
    const file = await sup.get(`/office/supervision/files/${fileId}`);
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, PDF);
    res = await sup.post(`/office/supervision/${supervisionId}/return`, { text: '' }, { from: `/office/supervision/${supervisionId}` });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /请填写退回理由/);
    res = await sup.post(`/office/supervision/${supervisionId}/return`, { text: '请附答复书送达回证' }, { from: `/office/supervision/${supervisionId}` });
    assert.equal(res.statusCode, 303);
    assert.match((await h1.get('/office/notifications')).body, /督办答复被退回/);

    // Answered again after the deadline; the first answer was on time.
    t.setNow('2025-07-15T02:00:00Z');
    h1 = await t.login('h1');
    sup = await t.login('sup');
    page = await h1.get(`/office/supervision/${supervisionId}`);
    assert.match(page.body, /已退回，待重新答复/);
    const csrf2 = page.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    mp = multipart({ _csrf: csrf2, text: '补充送达回证。' }, []);
    res = await h1.request({ method: 'POST', url: `/office/supervision/${supervisionId}/answer`, headers: { 'content-type': mp.contentType }, payload: mp.payload });
    assert.equal(res.statusCode, 303, res.body);
    res = await sup.post(`/office/supervision/${supervisionId}/accept`, {}, { from: `/office/supervision/${supervisionId}` });
    assert.equal(res.statusCode, 303);
    // Accepting twice is a conflict.
    res = await sup.post(`/office/supervision/${supervisionId}/accept`, {}, { from: `/office/supervision/${supervisionId}` });
    assert.equal(res.statusCode, 409);

    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'supervision').orderBy('seq').execute();
    assert.deepEqual(audit.map((a) => a.action), ['supervision.open', 'supervision.answer', 'supervision.return', 'supervision.answer', 'supervision.accept']);
    page = await sup.get(`/office/supervision/${supervisionId}`);
    assert.match(page.body, /已办结/);
    assert.match(page.body, /2025-07-02（按期）/);
  });

  test('a 督办 about a report carries the report\'s state and findings', async () => {
    const res = await sup.post('/office/supervision', { agency: 'roads', matter: 'report', reportYear: '2024', deadline: '2025-08-01' }, { from: '/office/supervision/new' });
    assert.equal(res.statusCode, 303, res.body);
    const page = await sup.get(res.headers.location as string);
    assert.match(page.body, /2024年度政府信息公开工作年度报告（(逾期未发布|未编制)/);
    assert.match(page.body, /督办时状态/);
  });

  test('counted per agency and year, listed on both sides, exported as CSV and XLSX', async () => {
    const list = await sup.get('/office/supervision?year=2025');
    assert.match(list.body, /<th scope="row">某市交通运输局<\/th><td class="num">2025<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">1<\/td><td class="num">1<\/td>/);
    const csv = await sup.get('/office/supervision/export.csv?year=2025');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.ok(csv.body.startsWith('\ufeff编号,督办机构,被督办机构'));
    assert.match(csv.body, new RegExp(`${supervisionId},某市人民政府,某市交通运输局,2025,依申请公开超期未答复,1 件依申请公开申请超期未答复,2025-07-10,已办结,2025-07-02,是,2025-07-15`));
    const xlsx = await sup.get('/office/supervision/export.xlsx?year=2025');
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('督办事项')!;
    assert.equal(ws.getRow(1).getCell(3).value, '被督办机构');
    assert.equal(ws.rowCount, 3);
    // The agency's side lists it too; another tree's staff sees nothing of it.
    assert.match((await h1.get('/office/supervision')).body, /年度报告/);
    assert.doesNotMatch((await (await t.login('h9')).get('/office/supervision')).body, /某市交通运输局/);
  });
});
