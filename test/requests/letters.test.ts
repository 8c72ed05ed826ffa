/**
 * Letters that cite exactly, through HTTP: the 机关代字 set in the office (and refused with punctuation), a
 * 发文字号 per kind of letter with its own serial (GB/T 9704 7.2.4), the 复议机关 by 行政复议法第二十四条 from the
 * agency hierarchy (overridable; asked for where no government is above), the remedy sentence on every
 * deciding letter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readZip, xmlText } from '../../src/render/zip-reader.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

const applicant = { kind: 'natural_person', name: '张三', idNumber: '11010519491231002X', phone: '13800138000', address: '某市某路1号' };

describe('letters: 文号, 复议机关, remedies', () => {
  let t: TestApp;
  let tok: string;
  let tokTop: string;

  const file = async (token: string, body: Record<string, unknown> = {}) => {
    const res = await api(t.app, token, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-03-03', applicant, subject: '2024年文化惠民演出采购合同', description: '请公开', ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: number; trackingNo: string };
  };
  const text = async (token: string, id: number, kind: string) => {
    const res = await api(t.app, token, 'GET', `/api/v1/requests/${id}/letters/${kind}.docx`);
    assert.equal(res.status, 200, `${kind}: ${res.raw.body.slice(0, 200)}`);
    return xmlText(readZip(res.raw.rawPayload).get('word/document.xml')!.toString('utf8')).join('');
  };

  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '哈尔滨市人民政府' });
    await t.agency('wl', { parent: 'city', name: '哈尔滨市文化广电和旅游局' });
    await t.agency('top', { name: '某开发区管理局', kind: 'department' });
    await t.user('wl', 'h1', 'handler');
    await t.user('wl', 'ed', 'editor');
    await t.user('top', 'h2', 'handler');
    await t.user('top', 'ed2', 'editor');
    tok = await t.token('h1');
    tokTop = await t.token('h2');
  });
  after(async () => t.close());

  test('the office sets the 机关代字; one with punctuation is refused with a message and changes nothing', async () => {
    const b = await t.login('ed');
    const from = '/office/agencies/wl';
    const bad = await b.post('/office/agencies/wl', { name: '哈尔滨市文化广电和旅游局', abbr: '哈，文旅' }, { from });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /机关代字不能含标点或符号/);
    assert.equal((await t.ctx.db.selectFrom('agencies').select('abbr').where('code', '=', 'wl').executeTakeFirstOrThrow()).abbr, null);
    const ok = await b.post('/office/agencies/wl', { name: '哈尔滨市文化广电和旅游局', abbr: '哈文旅' }, { from });
    assert.equal(ok.statusCode, 303);
    const page = await b.get('/office/agencies/wl');
    assert.match(page.body, /哈文旅/);
    // 第24条: a department's 复议机关 is its 本级人民政府.
    assert.match(page.body, /哈尔滨市人民政府<br\/?>/);
  });

  test('each kind of letter has its own serial; a letter keeps its number', async () => {
    const r1 = await file(tok);
    const r2 = await file(tok, { subject: '第二件申请' });
    assert.match(await text(tok, r1.id, 'receipt'), /哈文旅依申登〔2025〕1号/);
    assert.match(await text(tok, r2.id, 'receipt'), /哈文旅依申登〔2025〕2号/);
    for (const r of [r2, r1]) assert.equal((await api(t.app, tok, 'POST', `/api/v1/requests/${r.id}/actions`, { type: 'reply', on: '2025-03-20', outcome: 'unavailable.not_held' })).status, 200);
    // The replies are numbered in the order their letters are issued, from 1: not the receipt's serial.
    const reply2 = await text(tok, r2.id, 'reply');
    assert.match(reply2, /哈文旅依申复〔2025〕1号/);
    assert.match(await text(tok, r1.id, 'reply'), /哈文旅依申复〔2025〕2号/);
    assert.match(await text(tok, r2.id, 'reply'), /哈文旅依申复〔2025〕1号/, 'the same number again');
    assert.match(await text(tok, r1.id, 'receipt'), /哈文旅依申登〔2025〕1号/);
    // Exactly its own item (第三十六条第（四）项), and the remedy sentence with the 复议机关 of 第24条.
    assert.match(reply2, /第三十六条第（四）项的规定/);
    assert.doesNotMatch(reply2, /第（五）项/);
    assert.match(reply2, /60日内向哈尔滨市人民政府申请行政复议，或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼/);
  });

  test('bad input: no government above the agency → the 复议机关 is asked for in the office, not invented in the letter', async () => {
    const b = await t.login('ed2');
    const page = await b.get('/office/agencies/top');
    assert.match(page.body, /未能确定：某开发区管理局在本系统中没有上级人民政府/);
    const r = await file(tokTop);
    assert.equal((await api(t.app, tokTop, 'POST', `/api/v1/requests/${r.id}/actions`, { type: 'reply', on: '2025-03-20', outcome: 'withheld.state_secret' })).status, 200);
    const letter = await text(tokTop, r.id, 'reply');
    assert.match(letter, /60日内依法申请行政复议/);
    assert.doesNotMatch(letter, /向[^，。]*人民政府申请行政复议/);
    assert.match(letter, /依申复〔2025〕1号/, 'without a 机关代字 the 类别字 stands alone');
    // The office fills it in: the letter names it.
    const ok = await b.post('/office/agencies/top', { name: '某开发区管理局', reconsiderationBody: '某市人民政府' }, { from: '/office/agencies/top' });
    assert.equal(ok.statusCode, 303);
    assert.match(await text(tokTop, r.id, 'reply'), /60日内向某市人民政府申请行政复议/);
  });

  test('the fee notice decides a fee: amounts one way, its own provisions, the remedy sentence', async () => {
    const r = await file(tok, { subject: '收费申请' });
    const s = await api(t.app, tok, 'POST', `/api/v1/requests/${r.id}/actions`, { type: 'notify_fee', on: '2025-03-10', method: 'per_page', pages: 150 });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const fee = await text(tok, r.id, 'fee');
    assert.match(fee, /哈文旅依申费〔2025〕1号/);
    assert.match(fee, /收费金额：1,700元/);
    assert.match(fee, /合计 1,700元/);
    assert.doesNotMatch(fee, /(?<![\d,])\d{4,}元/);
    assert.match(fee, /第四十二条第一款和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第五条/);
    assert.match(fee, /如对本收费决定不服，可以自收到本通知书之日起60日内向哈尔滨市人民政府申请行政复议/);
  });

  test('the applicant reads the letter on the tracking link as a page, a PDF and a DOCX; a wrong key shows nothing', async () => {
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-03-03', applicant, subject: '在线查看的申请', description: '请公开' });
    assert.equal(res.status, 201);
    const url = new URL(res.body.trackingUrl);
    const key = url.searchParams.get('key')!;
    const base = `${url.pathname}/letters`;
    assert.equal((await api(t.app, tok, 'POST', `/api/v1/requests/${res.body.id}/actions`, { type: 'reply', on: '2025-03-20', outcome: 'disclosed', deliveryMethod: '本机关门户网站' })).status, 200);
    const b = t.anonymous();
    const track = await b.get(`${url.pathname}?key=${encodeURIComponent(key)}`);
    assert.equal(track.statusCode, 200);
    for (const href of [`${base}/reply?key=`, `${base}/reply.pdf?key=`, `${base}/reply.docx?key=`]) assert.ok(track.body.includes(`href="${href}`), href);
    const page = await b.get(`${base}/reply?key=${encodeURIComponent(key)}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1 class="letter-title">政府信息予以公开告知书<\/h1>/);
    assert.match(page.body, /哈文旅依申复〔2025〕\d+号/);
    assert.match(page.body, /第三十六条第（二）项/);
    assert.match(page.body, /向哈尔滨市人民政府申请行政复议/);
    assert.match(page.body, /size:A4/);
    assert.equal(page.headers['x-robots-tag'], 'noindex');
    const pdf = await b.get(`${base}/reply.pdf?key=${encodeURIComponent(key)}`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const docx = await b.get(`${base}/reply.docx?key=${encodeURIComponent(key)}`);
    assert.equal(docx.statusCode, 200);
    for (const wrong of [`${base}/reply?key=wrong`, `${base}/reply.pdf?key=wrong`, `${base}/nonsense?key=${encodeURIComponent(key)}`, `${base}/consultation?key=${encodeURIComponent(key)}`]) {
      const r = await b.get(wrong);
      assert.equal(r.statusCode, 404, wrong);
      assert.doesNotMatch(r.body, /在线查看的申请/);
    }
    // The office gets the PDF too.
    const staffPdf = await api(t.app, tok, 'GET', `/api/v1/requests/${res.body.id}/letters/reply.pdf`);
    assert.equal(staffPdf.status, 200);
    assert.equal(staffPdf.raw.headers['content-type'], 'application/pdf');
  });
});
