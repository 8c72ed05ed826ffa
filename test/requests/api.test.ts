import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

const applicant = { kind: 'natural_person', name: '张三', idNumber: '11010519491231002X', phone: '13800138000', email: 'zs@example.com', address: '某市某路1号' };

describe('requests API (contract): the life of a request, the clock, bad input', () => {
  let t: TestApp;
  let tok: string;
  let tokB: string;
  let tokEditor: string;
  let tokSup: string;
  const file = async (body: Record<string, unknown> = {}) => {
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-01-20', applicant, subject: '2024年某项目环评批复', description: '请公开该项目的环评批复文件', ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const act = (id: number, body: Record<string, unknown>, token = tok) => api(t.app, token, 'POST', `/api/v1/requests/${id}/actions`, body);

  before(async () => {
    t = await buildTestApp({ now: '2025-06-30T02:00:00Z' });
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('env', { parent: 'city', name: '某市生态环境局' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.user('env', 'h1', 'handler');
    await t.user('edu', 'h2', 'handler');
    await t.user('env', 'ed1', 'editor');
    await t.user('city', 'sup', 'supervisor');
    tok = await t.token('h1');
    tokB = await t.token('h2');
    tokEditor = await t.token('ed1');
    tokSup = await t.token('sup');
  });
  after(async () => t.close());

  test('POST registers a request: 201, tracking number, dueOn on the official calendar, trace', async () => {
    const r = await file();
    assert.match(r.trackingNo, /^YSQ2025\d{3}\d{5}$/);
    assert.equal(r.receivedOn, '2025-01-20');
    assert.equal(r.dueOn, '2025-02-21'); // 春节 2025 does not count, 1/26 and 2/8 make-up days do
    assert.equal(r.status, 'open');
    assert.equal(r.outcome, null);
    assert.equal(r.repliedOn, null);
    assert.equal(r.fee, 0);
    assert.equal(r.overdue, true); // today (2025-06-30) is after the due date
    assert.match(r.trace[0].text, /收到申请 2025-01-20/);
    assert.equal(r.applicant.idNumber, '11010519491231002X'); // the handler sees it
    const g = await api(t.app, tok, 'GET', `/api/v1/requests/${r.id}`);
    assert.equal(g.status, 200);
    assert.equal(g.body.trackingNo, r.trackingNo);
  });

  test('disclosed: correction, consultation, extension, reply — dueOn after each step', async () => {
    const r = await file({ receivedOn: '2025-03-03' });
    assert.equal(r.dueOn, '2025-03-31');
    let s = await act(r.id, { type: 'request_correction', on: '2025-03-05', items: ['请说明项目名称'] });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.status, 'correction_pending');
    s = await act(r.id, { type: 'receive_correction', on: '2025-03-10' });
    assert.equal(s.body.dueOn, '2025-04-08'); // 20 working days after 3/10 (清明 4/4 not in range yet)
    // Seen on 3/13 the consultation is running (on 6/30, today here, the party would long have been silent past its
    // 15 working days, 第32条, and the pause over).
    t.setNow('2025-03-13T02:00:00Z');
    s = await act(r.id, { type: 'start_consultation', on: '2025-03-12', party: '某公司' });
    assert.equal(s.body.status, 'paused');
    t.setNow('2025-06-30T02:00:00Z');
    s = await act(r.id, { type: 'end_consultation', on: '2025-03-19', party: '某公司' });
    assert.equal(s.body.status, 'open');
    assert.equal(s.body.dueOn, '2025-04-15'); // + 5 working days (3/13–3/19 do not count), 清明 4/4 skipped
    s = await act(r.id, { type: 'extend', on: '2025-04-10', days: 10 });
    assert.equal(s.body.dueOn, '2025-04-28'); // 4/27 (Sunday) is a 劳动节 make-up working day
    s = await act(r.id, { type: 'reply', on: '2025-04-25', outcome: 'disclosed', replyText: '见附件' });
    assert.equal(s.status, 200);
    assert.equal(s.body.status, 'replied');
    assert.equal(s.body.outcome, 'disclosed');
    assert.equal(s.body.repliedOn, '2025-04-25');
    assert.equal(s.body.overdue, false);
    assert.ok(s.body.trace.length >= 7);
    assert.ok(s.body.letters.some((l: { kind: string }) => l.kind === 'reply'));
  });

  test('each outcome family can conclude a request (withheld, unavailable, not processed, other, partial)', async () => {
    for (const outcome of ['partially_disclosed', 'withheld.third_party_rights', 'unavailable.not_held', 'not_processed.petition_complaint', 'other.other']) {
      const r = await file({ receivedOn: '2025-05-06', subject: `申请 ${outcome}` });
      const s = await act(r.id, { type: 'reply', on: '2025-05-20', outcome });
      assert.equal(s.status, 200, outcome);
      assert.equal(s.body.outcome, outcome);
      const letter = await api(t.app, tok, 'GET', `/api/v1/requests/${r.id}/letters/reply.docx`);
      assert.equal(letter.status, 200);
      assert.match(String(letter.raw.headers['content-type']), /wordprocessingml/);
      assert.equal(letter.raw.rawPayload.subarray(0, 2).toString(), 'PK');
    }
  });

  test('fees: per page computed by the schedule; unpaid past the deadline → other.fee_overdue', async () => {
    const r = await file({ receivedOn: '2025-04-21', subject: '收费申请' });
    let s = await act(r.id, { type: 'notify_fee', on: '2025-04-25', method: 'per_page', pages: 150 });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.fee, 1700);
    assert.equal(s.body.status, 'paused');
    // too early to close as fee overdue
    const early = await act(r.id, { type: 'reply', on: '2025-05-20', outcome: 'other.fee_overdue' });
    assert.equal(early.status, 409);
    s = await act(r.id, { type: 'reply', on: '2025-06-05', outcome: 'other.fee_overdue' });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.outcome, 'other.fee_overdue');
    const fee = await api(t.app, tok, 'GET', `/api/v1/requests/${r.id}/letters/fee.docx`);
    assert.equal(fee.status, 200);
  });

  test('fees: per request is free for the first 10 in a month (refused), payment resumes the clock', async () => {
    const r = await file({ receivedOn: '2025-04-21', subject: '按件收费申请', applicant: { ...applicant, idNumber: '110105194912310021' } });
    const zero = await act(r.id, { type: 'notify_fee', on: '2025-04-22', method: 'per_request' });
    assert.equal(zero.status, 422);
    assert.match(zero.body.error.message, /不收费/);
    const s1 = await act(r.id, { type: 'notify_fee', on: '2025-04-22', method: 'per_page', pages: 40 });
    assert.equal(s1.body.fee, 100);
    const s2 = await act(r.id, { type: 'receive_payment', on: '2025-04-25' });
    assert.equal(s2.status, 200);
    assert.equal(s2.body.feePaidOn, '2025-04-25');
    assert.equal(s2.body.status, 'open');
  });

  test('correction lapses → other.correction_overdue only after the applicant\'s period', async () => {
    const r = await file({ receivedOn: '2025-03-03', subject: '补正申请' });
    await act(r.id, { type: 'request_correction', on: '2025-03-04', items: ['请明确年份'] });
    const early = await act(r.id, { type: 'reply', on: '2025-03-10', outcome: 'other.correction_overdue' });
    assert.equal(early.status, 409);
    const s = await act(r.id, { type: 'reply', on: '2025-04-01', outcome: 'other.correction_overdue' });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.outcome, 'other.correction_overdue');
  });

  test('bad input: each a clear error and nothing changed', async () => {
    const missing = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-01-20', applicant, description: 'x' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /subject/);
    const noName = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-01-20', applicant: { kind: 'natural_person', name: ' ' }, subject: 'x', description: 'x' });
    assert.equal(noName.status, 400);
    assert.match(noName.body.error.message, /申请人姓名/);
    const badKind = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-01-20', applicant: { kind: 'alien', name: 'x' }, subject: 'x', description: 'x' });
    assert.equal(badKind.status, 400);
    const badDate = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-02-30', applicant, subject: 'x', description: 'x' });
    assert.equal(badDate.status, 400);

    const r = await file({ receivedOn: '2025-03-03', subject: '坏输入' });
    const before = (await api(t.app, tok, 'GET', `/api/v1/requests/${r.id}`)).body;
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ type: 'reply', on: '2025-03-10', outcome: 'granted' }, 400, /21项/],
      [{ type: 'frobnicate', on: '2025-03-10' }, 400, /未知的办理操作/],
      [{ type: 'extend', on: '2025-02-10', days: 5 }, 400, /早于收到申请之日/],
      [{ type: 'extend', on: '2025-03-10', days: 21 }, 400, /1至20/],
      [{ type: 'request_correction', on: '2025-03-13' }, 409, /7个工作日/],
      [{ type: 'extend', on: '2025-04-10', days: 5 }, 409, /届满/],
      [{ type: 'receive_payment', on: '2025-03-10' }, 409, /缴纳/],
      [{ type: 'reply', on: 'yesterday', outcome: 'disclosed' }, 400, /日期/],
    ];
    for (const [body, status, msg] of cases) {
      const res = await act(r.id, body);
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, msg);
    }
    await act(r.id, { type: 'extend', on: '2025-03-10', days: 15 });
    const beyond = await act(r.id, { type: 'extend', on: '2025-03-11', days: 6 });
    assert.equal(beyond.status, 409);
    assert.match(beyond.body.error.message, /累计不得超过20个工作日/);
    await act(r.id, { type: 'reply', on: '2025-03-20', outcome: 'disclosed' });
    const twice = await act(r.id, { type: 'reply', on: '2025-03-21', outcome: 'disclosed' });
    assert.equal(twice.status, 409);
    assert.match(twice.body.error.message, /已经答复/);
    const after = (await api(t.app, tok, 'GET', `/api/v1/requests/${r.id}`)).body;
    assert.equal(after.events.length, before.events.length + 2); // the extension and the reply only
    assert.equal(after.repliedOn, '2025-03-20');
  });

  test('cross-agency isolation; personal data only to handlers of that agency', async () => {
    const r = await file({ receivedOn: '2025-03-03', subject: '隔离' });
    const other = await api(t.app, tokB, 'GET', `/api/v1/requests/${r.id}`);
    assert.equal(other.status, 403);
    const otherAct = await act(r.id, { type: 'reply', on: '2025-03-10', outcome: 'disclosed' }, tokB);
    assert.equal(otherAct.status, 403);
    const list = await api(t.app, tokB, 'GET', '/api/v1/requests');
    assert.equal(list.status, 200);
    assert.ok(!list.body.items.some((i: { id: number }) => i.id === r.id));
    const ed = await api(t.app, tokEditor, 'GET', `/api/v1/requests/${r.id}`);
    assert.equal(ed.status, 200);
    assert.notEqual(ed.body.applicant.idNumber, applicant.idNumber);
    assert.match(ed.body.applicant.idNumber, /\*/);
    assert.match(ed.body.applicant.phone, /\*/);
    const sup = await api(t.app, tokSup, 'GET', `/api/v1/requests/${r.id}`);
    assert.equal(sup.status, 200);
    assert.doesNotMatch(JSON.stringify(sup.body), /13800138000|11010519491231002X/);
    const supAct = await act(r.id, { type: 'reply', on: '2025-03-10', outcome: 'disclosed' }, tokSup);
    assert.equal(supAct.status, 403);
    const edReg = await api(t.app, tokEditor, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-01-20', applicant, subject: 'x', description: 'x' });
    assert.equal(edReg.status, 403);
    // the audit log holds field names, never the values
    const rows = await t.ctx.db.selectFrom('audit_log').select(['data']).execute();
    const all = rows.map((x) => x.data).join('\n');
    assert.doesNotMatch(all, /13800138000|11010519491231002X|zs@example\.com/);
    assert.match(all, /idNumber/);
  });

  test('the same applicant asking for the same information again: not_processed.duplicate is suggested', async () => {
    const first = await file({ receivedOn: '2025-05-06', subject: '某路段拓宽工程征收补偿方案' });
    await act(first.id, { type: 'reply', on: '2025-05-12', outcome: 'disclosed' });
    const second = await file({ receivedOn: '2025-05-20', subject: '某路段拓宽工程 征收补偿方案。' });
    assert.equal(second.suggestedOutcome, 'not_processed.duplicate');
    const s = await act(second.id, { type: 'reply', on: '2025-05-21', outcome: 'not_processed.duplicate' });
    assert.equal(s.status, 200);
  });

  test('a year the calendar does not cover is counted provisionally; loading it clears the flag', async () => {
    t.setNow('2026-12-20T02:00:00Z');
    // 2026-12-18 (Fri): 12/21–25 (5), 12/28–31 (9), 2027-01-01 元旦, 1/4–8 (14), 1/11–15 (19), 1/18 (20), 暂定.
    const r = await file({ receivedOn: '2026-12-18', subject: '跨年申请' });
    assert.equal(r.dueOn, '2027-01-18');
    assert.equal(r.dueProvisional, true);
    assert.match(r.calendarFlag, /2027/);
    const extended = await act(r.id, { type: 'extend', on: '2026-12-19', days: 5 });
    assert.equal(extended.status, 200, JSON.stringify(extended.body));
    // +5: 1/19–22 (4), 1/25 (5).
    assert.equal(extended.body.dueOn, '2027-01-25');
    assert.equal(extended.body.dueProvisional, true);
    const { loadCalendarYears } = await import('../../src/modules/calendar/calendar.service.js');
    const { recomputeFlagged } = await import('../../src/modules/requests/requests.service.js');
    await loadCalendarYears(t.ctx, { system: 'test' }, { year: 2027, holidays: ['2027-01-01', '2027-02-06..2027-02-12', '2027-10-01..2027-10-07'], workdays: [] });
    assert.ok((await recomputeFlagged(t.ctx)) >= 1);
    const g = await api(t.app, tok, 'GET', `/api/v1/requests/${r.id}`);
    assert.equal(g.body.calendarFlag, null);
    assert.equal(g.body.dueProvisional, false);
    assert.equal(g.body.dueOn, '2027-01-25');
    t.setNow('2025-06-30T02:00:00Z');
  });

  test('更正 requests (第41条) are their own kind, transferred to the competent agency', async () => {
    const r = await file({ kind: 'record_correction', receivedOn: '2025-05-06', subject: '本人社保缴费记录有误' });
    assert.match(r.trackingNo, /^GZS2025/);
    const bad = await act(r.id, { type: 'reply', on: '2025-05-10', outcome: 'disclosed' });
    assert.equal(bad.status, 400);
    const noTo = await act(r.id, { type: 'transfer', on: '2025-05-10' });
    assert.equal(noTo.status, 400);
    const s = await act(r.id, { type: 'transfer', on: '2025-05-10', to: '某市人力资源和社会保障局' });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.outcome, 'record.transferred');
    assert.equal(s.body.transferredTo, '某市人力资源和社会保障局');
  });

  test('list: sorted by urgency, with flags', async () => {
    const list = await api(t.app, tok, 'GET', '/api/v1/requests?status=open');
    assert.equal(list.status, 200);
    const dues = list.body.items.filter((i: { dueOn: string | null }) => i.dueOn).map((i: { dueOn: string }) => i.dueOn);
    assert.deepEqual(dues, [...dues].sort());
    assert.ok(list.body.items.every((i: { status: string }) => i.status !== 'replied'));
    assert.ok(list.body.items.some((i: { overdue: boolean }) => i.overdue));
  });
});
