import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import { answeredChallenge, solvedChallenge } from '../helpers/challenge.js';

const form = {
  agency: 'env',
  applicantKind: 'natural_person',
  name: '李四',
  idType: 'resident_id',
  idNumber: '11010519491231002X',
  phone: '13900139000',
  email: 'ls@example.com',
  subject: '某河道整治工程验收报告',
  description: '请公开2024年某河道整治工程的竣工验收报告',
  formWanted: 'electronic',
  delivery: 'online',
};

describe('portal form, tracking link, office pages, calendar page', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-03T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.user('env', 'h1', 'handler');
    await t.user('edu', 'h2', 'handler');
    await t.user('env', 'ed1', 'editor');
    await t.user('city', 'root', 'admin');
  });
  after(async () => t.close());

  const count = async () => Number((await t.ctx.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  test('a wrong field: the form comes back with the input and a Chinese message at the field, nothing stored', async () => {
    const b = t.anonymous();
    const page = await b.get('/apply');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="idempotencyKey" value="[A-Za-z0-9_-]{16,}"/);
    assert.match(page.body, /name="website"/); // honeypot
    const before = await count();
    const res = await b.post('/apply', { ...form, ...(await solvedChallenge(page.body)), idNumber: '110105194912310021', phone: 'abc', subject: '' }, { from: '/apply' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /居民身份证号码不正确/);
    assert.match(res.body, /联系电话格式不正确/);
    assert.match(res.body, /请填写所需政府信息的名称/);
    assert.match(res.body, /value="13900139000"|value="abc"/);
    assert.match(res.body, /请公开2024年某河道整治工程的竣工验收报告/); // the textarea keeps the input
    assert.match(res.body, /aria-invalid="true"/);
    assert.equal(await count(), before);
  });

  test('a citizen files online, gets a tracking number and a private link; a double submit is one request', async () => {
    const b = t.anonymous();
    const page = await b.get('/agencies/env/apply');
    const idem = page.body.match(/name="idempotencyKey" value="([^"]+)"/)![1]!;
    const before = await count();
    const ch = await solvedChallenge(page.body);
    const res = await b.post('/apply', { ...form, ...ch, idempotencyKey: idem }, { from: '/apply' });
    assert.equal(res.statusCode, 303);
    const loc = res.headers.location as string;
    assert.match(loc, /^\/track\/YSQ2025\d{8}\?key=[^&]+&filed=1$/);
    // a double click or a retry sends the same form again (same challenge, same idempotency key)
    const again = await b.post('/apply', { ...form, ...ch, idempotencyKey: idem }, { from: '/apply' });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, loc);
    assert.equal(await count(), before + 1);
    const track = await b.get(loc);
    assert.equal(track.statusCode, 200);
    assert.match(track.body, /申请已提交/);
    assert.match(track.body, /某河道整治工程验收报告/);
    assert.match(track.body, /2025-03-03/); // online: received on the day of confirmation
    assert.match(track.body, /2025-03-31 前/); // 20 working days
    assert.doesNotMatch(track.body, /11010519491231002X|13900139000/);
    // a key mismatch shows nothing about the request
    const no = loc.split('?')[0]!;
    const wrong = await t.anonymous().get(`${no}?key=wrong-key-wrong-key`);
    assert.equal(wrong.statusCode, 404);
    assert.doesNotMatch(wrong.body, /某河道整治工程/);
    assert.doesNotMatch(wrong.body, /李四/);
    const none = await t.anonymous().get(no);
    assert.equal(none.statusCode, 404);
    const receipt = await t.anonymous().get(`${no}/letters/receipt.docx?key=${loc.match(/key=([^&]+)/)![1]}`);
    assert.equal(receipt.statusCode, 200);
    const noLetter = await t.anonymous().get(`${no}/letters/receipt.docx?key=nope`);
    assert.equal(noLetter.statusCode, 404);
  });

  test('the honeypot stops robots; nothing stored', async () => {
    const before = await count();
    const b = t.anonymous();
    const page = await b.get('/apply');
    const res = await b.post('/apply', { ...form, ...(await solvedChallenge(page.body)), website: 'http://spam.example' }, { from: '/apply' });
    assert.equal(res.statusCode, 400);
    assert.equal(await count(), before);
  });

  test('the challenge: a missing, wrong or replayed one sends the form back with the input and a Chinese message; the no-script answer passes', async () => {
    const b = t.anonymous();
    const before = await count();
    const page = await b.get('/apply');
    assert.match(page.body, /name="challenge" value="[^"]+"/);
    assert.match(page.body, /<script src="\/assets\/challenge.js" defer>/);
    const missing = await b.post('/apply', { ...form }, { from: '/apply' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /人机验证信息缺失/);
    assert.match(missing.body, /value="李四"/);
    assert.match(missing.body, /id="f-challenge-err"/);
    const wrong = await b.post('/apply', { ...form, challenge: answeredChallenge(page.body).challenge, challengeAnswer: '999' }, { from: '/apply' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /人机验证未通过/);
    assert.equal(await count(), before);
    const p2 = await b.get('/apply');
    const ok = await b.post('/apply', { ...form, subject: '无脚本提交的申请', ...answeredChallenge(p2.body), idempotencyKey: 'noscript-0000000001' }, { from: '/apply' });
    assert.equal(ok.statusCode, 303);
    assert.equal(await count(), before + 1);
    // the same token for another submission (another idempotency key) is refused
    const replay = await b.post('/apply', { ...form, subject: '再次提交', ...answeredChallenge(p2.body), idempotencyKey: 'noscript-0000000002' }, { from: '/apply' });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /请勿重复提交/);
    assert.equal(await count(), before + 1);
  });

  test('staff register a letter, see the list by urgency, act in the office; the citizen sees the reply', async () => {
    const h1 = await t.login('h1');
    const bad = await h1.post('/office/requests/new', { agency: 'env', channel: 'letter', receivedOn: '', applicantKind: 'commercial_enterprise', name: '某某有限公司', subject: '排污许可证' }, { from: '/office/requests/new' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /请填写收到申请之日/);
    assert.match(bad.body, /value="某某有限公司"/);
    const ok = await h1.post('/office/requests/new', { agency: 'env', channel: 'letter', receivedOn: '2025-02-05', applicantKind: 'commercial_enterprise', name: '某某有限公司', orgCode: '91230100MA1234567X', contact: '王五', phone: '0451-88889999', subject: '排污许可证', description: '某厂排污许可证' }, { from: '/office/requests/new' });
    assert.equal(ok.statusCode, 303);
    const loc = ok.headers.location as string;
    assert.match(loc, /^\/office\/requests\/\d+\?notice=.*&key=/);
    const detail = await h1.get(loc);
    assert.match(detail.body, /专属查询链接/);
    assert.match(detail.body, /0451-88889999/); // the handler sees the phone
    const id = Number(loc.match(/requests\/(\d+)/)![1]);
    const list = await h1.get('/office/requests');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /排污许可证/);
    assert.match(list.body, /5个工作日内到期|已逾期/);
    // due 2025-03-06 (春节 2025 is not in range; 2/5 is after it): 3 working days left on 3/3 → flagged
    assert.match(list.body, /5个工作日内到期/);

    // another agency's handler cannot see it
    const h2 = await t.login('h2');
    assert.equal((await h2.get(`/office/requests/${id}`)).statusCode, 403);
    assert.doesNotMatch((await h2.get('/office/requests')).body, /排污许可证/);
    // an editor of the agency sees it masked, without the action forms
    const ed = await t.login('ed1');
    const edPage = await ed.get(`/office/requests/${id}`);
    assert.equal(edPage.statusCode, 200);
    assert.doesNotMatch(edPage.body, /0451-88889999/);
    assert.doesNotMatch(edPage.body, /\/actions"/);

    // a 补正 notice after the 7-day window: the error at the field, the input kept, nothing changed
    const late = await h1.post(`/office/requests/${id}/actions`, { type: 'request_correction', on: '2025-02-20', items: '请说明许可证编号' }, { from: `/office/requests/${id}` });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /7个工作日/);
    assert.match(late.body, /请说明许可证编号/);
    const ev = await t.ctx.db.selectFrom('request_events').select('type').where('request_id', '=', id).execute();
    assert.deepEqual(ev.map((e) => e.type), ['receive']);

    const reply = await h1.post(`/office/requests/${id}/actions`, { type: 'reply', on: '2025-03-03', outcome: 'disclosed', replyText: '已通过网上获取', deliveryMethod: '网上查看' }, { from: `/office/requests/${id}` });
    assert.equal(reply.statusCode, 303);
    const after = await h1.get(`/office/requests/${id}`);
    assert.match(after.body, /已答复/);
    assert.match(after.body, /予以公开/);
    const key = decodeURIComponent(loc.match(/key=([^&]+)/)![1]!);
    const row = await t.ctx.db.selectFrom('requests').select('tracking_no').where('id', '=', id).executeTakeFirstOrThrow();
    const track = await t.anonymous().get(`/track/${row.tracking_no}?key=${encodeURIComponent(key)}`);
    assert.equal(track.statusCode, 200);
    assert.match(track.body, /办理结果：<\/strong>予以公开/);
    assert.match(track.body, /已通过网上获取/);
    const deliver = await h1.post(`/office/requests/${id}/actions`, { type: 'deliver', letter: 'reply', serviceMethod: 'post', on: '2025-03-03' }, { from: `/office/requests/${id}` });
    assert.equal(deliver.statusCode, 303);
    const docx = await h1.get(`/api/v1/requests/${id}/letters/reply.docx`);
    assert.equal(docx.statusCode, 200);
    assert.equal(docx.rawPayload.subarray(0, 2).toString(), 'PK');
  });

  test('the calendar page: admins load a year as data; bad data is refused with the input kept', async () => {
    const h1 = await t.login('h1');
    assert.equal((await h1.get('/office/calendar')).statusCode, 200);
    const denied = await h1.post('/office/calendar', { data: '{}' }, { from: '/office/calendar' });
    assert.equal(denied.statusCode, 403);
    const root = await t.login('root');
    const bad = await root.post('/office/calendar', { data: '{"year": 2027, "holidays": ["2027-13-01"]}' }, { from: '/office/calendar' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /2027-13-01/);
    assert.match(bad.body, /节假日安排数据不合法/);
    const data = JSON.stringify({ year: 2027, notice: '测试通知', holidays: ['2027-01-01', '2027-10-01..2027-10-07'], workdays: [] });
    // Step 1, 预览: nothing stored yet.
    const preview = await root.post('/office/calendar', { data }, { from: '/office/calendar' });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /预览：载入 2027 年节假日安排/);
    assert.doesNotMatch((await root.get('/office/calendar')).body, /测试通知/);
    // Step 2, 确认载入.
    const ok = await root.post('/office/calendar', { data, step: 'load' }, { from: '/office/calendar' });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /已载入 2027 年节假日安排/);
    const page = await root.get('/office/calendar');
    assert.match(page.body, /测试通知/);
  });

  test('review cases: a 纠正 result reopens the request; table 四 fields are kept', async () => {
    const tok = await t.token('h1');
    const r = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'in_person', receivedOn: '2025-01-06', applicant: { kind: 'natural_person', name: '赵六' }, subject: '复议测试', description: 'x' });
    await api(t.app, tok, 'POST', `/api/v1/requests/${r.body.id}/actions`, { type: 'reply', on: '2025-01-20', outcome: 'withheld.process_information' });
    const bad = await api(t.app, tok, 'POST', '/api/v1/review-cases', { requestId: r.body.id, kind: 'reconsideration', filedOn: '2025-02-10', result: 'corrected' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /审结日期/);
    const badKind = await api(t.app, tok, 'POST', '/api/v1/review-cases', { requestId: r.body.id, kind: 'appeal', filedOn: '2025-02-10' });
    assert.equal(badKind.status, 400);
    const c = await api(t.app, tok, 'POST', '/api/v1/review-cases', { trackingNo: r.body.trackingNo, kind: 'reconsideration', caseNo: '某复〔2025〕1号', filedOn: '2025-02-10' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal(c.body.result, 'pending');
    const up = await api(t.app, tok, 'PATCH', `/api/v1/review-cases/${c.body.id}`, { result: 'corrected', concludedOn: '2025-02-24' });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    const g = await api(t.app, tok, 'GET', `/api/v1/requests/${r.body.id}`);
    assert.equal(g.body.status, 'reopened');
    assert.equal(g.body.dueOn, '2025-03-24'); // 20 working days after the decision
    assert.ok(g.body.trace.some((s: { action: string }) => s.action === 'reopen'));
    assert.equal(g.body.reviewCases.length, 1);
    const again = await api(t.app, tok, 'POST', `/api/v1/requests/${r.body.id}/actions`, { type: 'reply', on: '2025-03-03', outcome: 'disclosed' });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.outcome, 'disclosed');
    assert.equal(again.body.repliedOn, '2025-03-03');
    const other = await api(t.app, await t.token('h2'), 'GET', `/api/v1/review-cases/${c.body.id}`);
    assert.equal(other.status, 403);
    const h1 = await t.login('h1');
    const page = await h1.get('/office/reviews');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /某复〔2025〕1号/);
    const formBad = await h1.post('/office/reviews', { kind: 'litigation_direct', filedOn: '', result: 'pending', caseNo: '某行初1号' }, { from: '/office/reviews' });
    assert.equal(formBad.statusCode, 400);
    assert.match(formBad.body, /请填写受理（立案）日期/);
    assert.match(formBad.body, /value="某行初1号"/);
  });

  test('the public form is rate limited per IP (last: it uses up the allowance)', async () => {
    const b = t.anonymous();
    let limited = null as null | { statusCode: number; body: string };
    for (let i = 0; i < 12 && !limited; i++) {
      const res = await b.post('/apply', { ...form, subject: '' }, { from: '/apply' });
      if (res.statusCode === 429) limited = res;
    }
    assert.ok(limited, 'no 429 within 12 posts');
    assert.match(limited.body, /请求过于频繁/);
  });
});
