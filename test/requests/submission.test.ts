import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import { findById } from '../../src/modules/requests/requests.repository.js';
import { getRequestByTracking, newAccessKey, submitRequest } from '../../src/modules/requests/requests.service.js';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';

const person = { kind: 'natural_person', name: '李四', idNumber: '11010519491231002X', phone: '13800138000', email: 'ls@example.com', address: '某市某路2号', postcode: '150001' };

/**
 * A submission is answered from what it wrote, not by reading it back: the answer must be what a GET of the
 * request says right after, and the row it returns what the database holds.
 */
describe('request submission: the answer is the stored request', () => {
  let t: TestApp;
  let tok: string;
  let tokAdmin: string;

  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.user('env', 'h1', 'handler');
    await t.user('city', 'adm', 'admin');
    tok = await t.token('h1');
    tokAdmin = await t.token('adm');
  });
  after(async () => t.close());

  const post = async (token: string, body: Record<string, unknown>) => {
    const res = await api(t.app, token, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-03-03', applicant: person, subject: '某项目环评批复', description: '请公开该项目的环评批复文件', ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const sameAsGet = async (token: string, posted: Record<string, unknown>) => {
    const got = await api(t.app, token, 'GET', `/api/v1/requests/${posted.id}`);
    assert.equal(got.status, 200);
    const { trackingKey, trackingUrl, ...rest } = posted;
    assert.ok(trackingKey && trackingUrl);
    assert.deepEqual(rest, got.body);
  };

  test('a person with every field, an organisation, a 更正 request, a year the calendar does not cover', async () => {
    await sameAsGet(tok, await post(tok, { docNumber: '某环审〔2024〕1号', formWanted: 'electronic', delivery: 'email', channel: 'email' }));
    await sameAsGet(tok, await post(tok, { applicant: { kind: 'commercial_enterprise', name: '某某有限公司', orgCode: '91230100MA1B2C3D4E', contact: '王五', address: '某市某路3号' }, subject: '企业名录' }));
    await sameAsGet(tok, await post(tok, { kind: 'record_correction', subject: '本人社保缴费记录有误' }));
    t.setNow('2026-12-20T02:00:00Z');
    const flagged = await post(tok, { receivedOn: '2026-12-18', subject: '跨年申请' });
    // Provisional (2027 notice not loaded): 12/21–25 (5), 12/28–31 (9), 01-01 元旦, 1/4–8 (14), 1/11–15 (19), 1/18 (20).
    assert.equal(flagged.dueOn, '2027-01-18');
    assert.equal(flagged.dueProvisional, true);
    assert.match(flagged.calendarFlag, /2027/);
    await sameAsGet(tok, flagged);
    t.setNow('2025-06-30T02:00:00Z');
  });

  test('an admin registering for another agency (the agency field)', async () => {
    const r = await post(tokAdmin, { agency: 'env', subject: '管理员登记' });
    assert.equal(r.agency.code, 'env');
    await sameAsGet(tokAdmin, r);
    await sameAsGet(tok, r);
  });

  test('a duplicate of a replied request: the suggestion is in the answer as in a GET', async () => {
    const first = await post(tok, { receivedOn: '2025-04-01', subject: '某路段拓宽工程征收补偿方案', description: '' });
    const replied = await api(t.app, tok, 'POST', `/api/v1/requests/${first.id}/actions`, { type: 'reply', on: '2025-04-03', outcome: 'disclosed' });
    assert.equal(replied.status, 200);
    const again = await post(tok, { receivedOn: '2025-04-10', subject: '某路段拓宽工程 征收补偿方案。', description: '' });
    assert.equal(again.duplicateOf, first.id);
    assert.equal(again.suggestedOutcome, 'not_processed.duplicate');
    assert.match(again.suggestion, new RegExp(first.trackingNo));
    await sameAsGet(tok, again);
  });

  test('the returned row is the stored row; the public sees the masked view its tracking page shows', async () => {
    const actor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'h1').executeTakeFirstOrThrow()).id))!;
    const staff = await submitRequest(t.ctx, actor, { channel: 'fax', receivedOn: '2025-05-06', applicant: person, subject: '行文', description: '' }, { strict: false, accessKey: newAccessKey() });
    assert.deepEqual(staff.request, await findById(t.ctx.db, staff.request.id));
    assert.equal(staff.view.applicant.idNumber, person.idNumber);

    const key = newAccessKey();
    const input = {
      agency: 'env',
      applicant: { ...person, idType: 'resident_id' },
      subject: '网上申请',
      description: '请公开某某文件的全文内容',
      formWanted: 'electronic',
      delivery: 'online',
    };
    const pub = await submitRequest(t.ctx, { public: 'portal' }, input, { strict: true, accessKey: key, idempotencyKey: 'idem-key-0123456789' });
    assert.equal(pub.created, true);
    assert.deepEqual(pub.request, await findById(t.ctx.db, pub.request.id));
    const tracked = await getRequestByTracking(t.ctx, pub.request.trackingNo, key);
    assert.deepEqual(pub.view, tracked);
    assert.notEqual(pub.view.applicant.idNumber, person.idNumber); // masked
    // The same idempotency key again: the first request, read back, the same view.
    const replay = await submitRequest(t.ctx, { public: 'portal' }, input, { strict: true, accessKey: key, idempotencyKey: 'idem-key-0123456789' });
    assert.equal(replay.created, false);
    assert.deepEqual(replay.view, tracked);
  });
});

describe('the duplicate check compares normalised subject and description keys', () => {
  let t: TestApp;
  let tok: string;
  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.user('env', 'h1', 'handler');
    await t.user('edu', 'h2', 'handler');
    tok = await t.token('h1');
  });
  after(async () => t.close());

  const post = async (body: Record<string, unknown>, token = tok) => {
    const res = await api(t.app, token, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-03-03', applicant: { kind: 'natural_person', name: '赵六', idNumber: '110105194912310021' }, description: '', ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: number; duplicateOf: number | null };
  };

  test('same subject up to spaces, punctuation and case; same description of 6 characters or more', async () => {
    const a = await post({ subject: 'ABC 项目（二期）批复', description: '第一份说明' });
    assert.equal(a.duplicateOf, null);
    assert.equal((await post({ subject: 'abc项目二期批复！', description: '另一份说明' })).duplicateOf, a.id);
    const b = await post({ subject: '不同的名称一', description: '请公开该项目的全部批复文件' });
    assert.equal(b.duplicateOf, null);
    assert.equal((await post({ subject: '不同的名称二', description: '请公开该项目的全部批复文件。' })).duplicateOf, b.id);
    // a short description alone (under 6 characters once normalised) does not make a duplicate
    await post({ subject: '名称三', description: '文件' });
    assert.equal((await post({ subject: '名称四', description: '文件' })).duplicateOf, null);
    // the latest of several matches
    const d = await post({ subject: 'ABC项目（二期）批复' });
    assert.equal((await post({ subject: 'abc 项目 二期 批复' })).duplicateOf, d.id);
  });

  test('not across agencies, applicants, or 更正 requests', async () => {
    const tok2 = await t.token('h2');
    const a = await post({ subject: '教育经费使用情况' });
    assert.equal((await post({ subject: '教育经费使用情况' }, tok2)).duplicateOf, null);
    assert.equal((await post({ subject: '教育经费使用情况', applicant: { kind: 'natural_person', name: '钱七' } })).duplicateOf, null);
    assert.equal((await post({ subject: '教育经费使用情况', kind: 'record_correction' })).duplicateOf, null);
    assert.equal((await post({ subject: '教育经费使用情况' })).duplicateOf, a.id);
  });

  test('only the applicant’s 100 latest requests at the agency are compared', async () => {
    const applicant = { kind: 'natural_person', name: '孙八', idNumber: '110105194912310048' };
    const oldest = await post({ applicant, subject: '最早的申请', description: '最早那份申请的内容描述', receivedOn: '2025-01-02' });
    for (let i = 0; i < 99; i++) await post({ applicant, subject: `第${i}号申请`, description: `第${i}号申请的内容描述`, receivedOn: '2025-02-03' });
    // 100 so far: the oldest is among the latest 100 (the same subject)
    assert.equal((await post({ applicant, subject: '最早的申请。', description: '', receivedOn: '2025-03-03' })).duplicateOf, oldest.id);
    // 101 now: the oldest has left the window (the same description would have matched it)
    assert.equal((await post({ applicant, subject: '又一份申请', description: '最早那份申请的内容描述', receivedOn: '2025-03-04' })).duplicateOf, null);
  });
});

test('access keys: 18 random bytes each (24 characters), none repeated across refills of the pool', () => {
  const keys = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const k = newAccessKey();
    assert.match(k, /^[A-Za-z0-9_-]{24}$/);
    keys.add(k);
  }
  assert.equal(keys.size, 2000);
});
