/**
 * The year lock holds on every write dated in a locked year (issue 12 part 2), and impossible dates are refused
 * (part 3): registering a request (API and office form), an action, the import of items, signing off an item
 * dated in it, withdrawing an item published in it, a review case dated in it — 423 with the reason, nothing
 * changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import { setOnePersonOffice } from '../../src/modules/agencies/agencies.service.js';
import type { Actor } from '../../src/modules/context.js';
import { importItems, type SourceRow } from '../../src/modules/disclosure/import.service.js';
import { buildAnnualReport, publishReport, reviewReport, saveNarrative, submitReport } from '../../src/modules/reports/reports.service.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';
import * as f from './factories.js';

const applicant = { kind: 'natural_person', name: '赵六', idNumber: '11010519491231002X', phone: '13800138000' };

describe('the year lock on every path, and impossible dates', () => {
  let t: TestApp;
  let tok: string;
  let old: { id: number };
  const count = async (table: 'requests' | 'items' | 'request_events') => Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  before(async () => {
    t = await buildTestApp({ now: '2025-03-10T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.user('city', 'ap', 'approver');
    await t.user('city', 'hh', 'handler');
    tok = await t.token('hh');
    old = await f.request(t.ctx, await f.agencyId(t.ctx, 'city'), { receivedOn: '2024-03-01', repliedOn: '2024-03-15', outcome: 'disclosed' });
    const actor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'ap').executeTakeFirstOrThrow()).id)) as Actor;
    await buildAnnualReport(t.ctx, actor, 'city', 2024);
    await saveNarrative(t.ctx, actor, 'city', 2024, { problems: '一是公开内容不够丰富。下一步将加强培训。' });
    // One account drafts and signs off here: the city is marked an office of one person (test/security/sign-off.test.ts).
    await setOnePersonOffice(t.ctx, { system: 'test' }, 'city', true);
    await submitReport(t.ctx, actor, 'city', 2024);
    await reviewReport(t.ctx, actor, 'city', 2024, 'approve');
    await publishReport(t.ctx, actor, 'city', 2024);
  });
  after(async () => t.close());

  test('registering a request received in the locked year: 423, nothing stored', async () => {
    const before = await count('requests');
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2024-12-20', applicant, subject: '补登的申请', description: '请公开相关文件' });
    assert.equal(res.status, 423, JSON.stringify(res.body));
    assert.match(res.body.error.message, /某市人民政府2024年政府信息公开工作年度报告已发布/);
    assert.equal(await count('requests'), before);
    // The next year is open.
    const ok = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-01-06', applicant, subject: '新一年的申请', description: '请公开相关文件' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test('an action dated in the locked year: 423, no event stored', async () => {
    const before = await count('request_events');
    const res = await api(t.app, tok, 'POST', `/api/v1/requests/${old.id}/actions`, { type: 'note', on: '2024-06-01', note: '补记' });
    assert.equal(res.status, 423, JSON.stringify(res.body));
    assert.equal(await count('request_events'), before);
  });

  test('impossible receipt dates: after today (Beijing time) or before the calendar: 422, nothing stored', async () => {
    const before = await count('requests');
    // now is 2025-03-10 10:00 Beijing time: 03-11 is tomorrow.
    const future = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-03-11', applicant, subject: '明天的申请', description: '请公开相关文件' });
    assert.equal(future.status, 422, JSON.stringify(future.body));
    assert.match(future.body.error.message, /2025-03-11 晚于今天（2025-03-10，北京时间）/);
    const early = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2003-05-06', applicant, subject: '很早的申请', description: '请公开相关文件' });
    assert.equal(early.status, 422, JSON.stringify(early.body));
    assert.match(early.body.error.message, /早于工作日日历覆盖的第一年（2004 年）/);
    assert.equal(await count('requests'), before);
  });

  test('importing items: a line published in the locked year or in the future is refused, the others land', async () => {
    async function* rows(): AsyncGenerator<SourceRow> {
      yield { line: 1, record: { title: '2024年的通知', category: '通知公告', publishedOn: '2024-05-06' } };
      yield { line: 2, record: { title: '2025年的通知', category: '通知公告', publishedOn: '2025-03-03' } };
      yield { line: 3, record: { title: '未来的通知', category: '通知公告', publishedOn: '2025-03-20' } };
    }
    const before = await count('items');
    const r = await importItems(t.ctx, { system: 'test' }, 'city', rows(), { file: 'items.jsonl' });
    assert.equal(r.imported, 1);
    assert.deepEqual(r.rejected.map((x) => x.line), [1, 3]);
    assert.match(r.rejected[0]!.reason, /2024年度的记录已锁定/);
    assert.match(r.rejected[1]!.reason, /发布日期 2025-03-20 晚于今天（2025-03-10）/);
    assert.equal(await count('items'), before + 1);
  });

  test('the office form, a sign-off dated in the locked year, a withdrawal of an item published in it, a review case: 423, nothing changed', async () => {
    const before = await count('requests');
    const hh = await t.login('hh');
    const form = await hh.post('/office/requests/new', { agency: 'city', channel: 'letter', receivedOn: '2024-12-20', applicantKind: 'natural_person', name: '赵六', subject: '补登的申请', description: '请公开相关文件' }, { from: '/office/requests/new' });
    assert.equal(form.statusCode, 423);
    assert.match(form.body, /2024年度的记录已锁定/);
    assert.equal(await count('requests'), before);

    await t.user('city', 'ed', 'editor');
    await t.user('city', 'rev', 'reviewer');
    const [ed, rev, ap] = await Promise.all(['ed', 'rev', 'ap'].map((u) => t.token(u)));
    const cats = await api(t.app, ed, 'GET', '/api/v1/agencies/city/categories');
    const cat = cats.body.find((c: { name: string }) => c.name === '通知公告').id;
    const d = await api(t.app, ed, 'POST', '/api/v1/items', { agency: 'city', categoryId: cat, title: '去年年底的通知', body: '正文。', generatedOn: '2024-12-20' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const act = (token: string, body: Record<string, unknown>, id = d.body.id) => api(t.app, token, 'POST', `/api/v1/items/${id}/actions`, body);
    assert.equal((await act(ed, { type: 'submit' })).status, 200);
    assert.equal((await act(rev, { type: 'confidentiality', outcome: 'pass', opinion: '经审查不涉密，同意公开' })).status, 200);
    assert.equal((await act(rev, { type: 'approve' })).status, 200);
    const signed = await act(ap, { type: 'sign_off', publishedOn: '2024-12-30' });
    assert.equal(signed.status, 423, JSON.stringify(signed.body));
    assert.match(signed.body.error.message, /2024年度的记录已锁定/);
    const row = await t.ctx.db.selectFrom('items').select(['status', 'published_on']).where('id', '=', d.body.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'approved', published_on: null });

    await f.items(t.ctx, await f.agencyId(t.ctx, 'city'), '2024-05-06', 1);
    const old2024 = await t.ctx.db.selectFrom('items').select('id').where('published_on', '=', '2024-05-06').executeTakeFirstOrThrow();
    const withdrawn = await act(ap, { type: 'withdraw', reason: '内容已过时，予以撤回' }, old2024.id);
    assert.equal(withdrawn.status, 423, JSON.stringify(withdrawn.body));
    assert.equal((await t.ctx.db.selectFrom('items').select('status').where('id', '=', old2024.id).executeTakeFirstOrThrow()).status, 'published');

    const cases = Number((await t.ctx.db.selectFrom('review_cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const c = await api(t.app, tok, 'POST', '/api/v1/review-cases', { requestId: old.id, kind: 'reconsideration', filedOn: '2024-10-08' });
    assert.equal(c.status, 423, JSON.stringify(c.body));
    assert.equal(Number((await t.ctx.db.selectFrom('review_cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), cases);
  });
});
