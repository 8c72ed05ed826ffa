/**
 * A 纠正 review decision in a later year reopens a request first answered in a locked year (issue 12 part 2). Read
 * as an office handles it: the re-handling is new work in the year it happens — 本年新收 in the year of the
 * reopening, carried forward while open at a year's end, under its outcome in the year of its reply — and the
 * first reply stays counted where it was. So the reply in the later year is taken, the locked year's report is
 * unchanged, and the later year's report counts the re-handling and balances.
 *
 * Dates counted by hand: reopened Mon 2026-03-02; 20 working days from 03-03: 03/03–06 (4), 03/09–13 (9),
 * 03/16–20 (14), 03/23–27 (19), 03/30 (20) → 2026-03-30 (no holiday in March 2026).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import { getAgency, setOnePersonOffice } from '../../src/modules/agencies/agencies.service.js';
import type { Actor } from '../../src/modules/context.js';
import { buildAnnualReport, computeAnnualReport, publishReport, reviewReport, saveNarrative, submitReport } from '../../src/modules/reports/reports.service.js';
import { api, buildTestApp, type TestApp } from '../helpers/app.js';

const applicant = { kind: 'natural_person', name: '赵六', idNumber: '11010519491231002X', phone: '13800138000' };

describe('a 纠正 in a later year reopens a request of a locked year', () => {
  let t: TestApp;
  let tok: string;
  let req: { id: number; trackingNo: string };
  let published2025: { requests: Record<string, Record<string, number>> };
  const figures = async (year: number) => (await computeAnnualReport(t.ctx, await getAgency(t.ctx, 'city'), year)).report;
  const act = (body: Record<string, unknown>) => api(t.app, tok, 'POST', `/api/v1/requests/${req.id}/actions`, body);

  before(async () => {
    t = await buildTestApp({ now: '2026-02-20T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.user('city', 'ap', 'approver');
    await t.user('city', 'hh', 'handler');
    tok = await t.token('hh');
    const res = await api(t.app, tok, 'POST', '/api/v1/requests', { channel: 'letter', receivedOn: '2025-11-03', applicant, subject: '某地块征收补偿方案', description: '请公开某地块征收补偿方案' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    req = res.body;
    const rep = await act({ type: 'reply', on: '2025-11-20', outcome: 'withheld.process_information', replyText: '属于过程性信息' });
    assert.equal(rep.status, 200, JSON.stringify(rep.body));
    const actor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'ap').executeTakeFirstOrThrow()).id)) as Actor;
    await buildAnnualReport(t.ctx, actor, 'city', 2025);
    await saveNarrative(t.ctx, actor, 'city', 2025, { problems: '一是公开内容不够丰富。下一步将加强培训。' });
    await setOnePersonOffice(t.ctx, { system: 'test' }, 'city', true);
    await submitReport(t.ctx, actor, 'city', 2025);
    await reviewReport(t.ctx, actor, 'city', 2025, 'approve');
    await publishReport(t.ctx, actor, 'city', 2025);
    const row = await t.ctx.db.selectFrom('reports').select('published').where('year', '=', 2025).executeTakeFirstOrThrow();
    published2025 = JSON.parse(row.published!);
    // As published: received and answered in 2025.
    assert.equal(published2025.requests.new!.total, 1);
    assert.equal(published2025.requests['withheld.process_information']!.total, 1);
    assert.equal(published2025.requests.carriedForward!.total, 0);
    t.setNow('2026-03-02T02:00:00Z');
  });
  after(async () => t.close());

  test('the decision reopens it in 2026; the first reply is kept; 2026 counts the re-handling as new and open', async () => {
    const c = await api(t.app, tok, 'POST', '/api/v1/review-cases', { requestId: req.id, kind: 'reconsideration', caseNo: '某复决字〔2026〕3号', filedOn: '2026-01-15', result: 'corrected', concludedOn: '2026-03-02' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const g = (await api(t.app, tok, 'GET', `/api/v1/requests/${req.id}`)).body;
    assert.equal(g.status, 'reopened');
    assert.equal(g.dueOn, '2026-03-30');
    assert.equal(g.outcome, null);
    assert.equal(g.repliedOn, null);
    assert.equal(g.reopenedOn, '2026-03-02');
    assert.deepEqual(g.firstReply, { outcome: 'withheld.process_information', outcomeLabel: g.firstReply.outcomeLabel, repliedOn: '2025-11-20' });
    const y2026 = await figures(2026);
    assert.equal(y2026.requests.new.total, 1);
    assert.equal(y2026.requests.carriedOver.total, 0);
    assert.equal(y2026.requests.concludedTotal.total, 0);
    assert.equal(y2026.requests.carriedForward.total, 1);
    assert.deepEqual((await figures(2025)).requests, published2025.requests);
    const page = await (await t.login('hh')).get(`/office/requests/${req.id}`);
    assert.match(page.body, /原答复<\/th><td>[^<]*（2025-11-20）；2026-03-02 因复议或诉讼结果为纠正重新办理/);
  });

  test('the new reply in 2026 is taken (it was refused 423), the 2025 report is unchanged, the 2026 report counts it and balances', async () => {
    t.setNow('2026-03-09T02:00:00Z');
    const rep = await act({ type: 'reply', on: '2026-03-09', outcome: 'disclosed', replyText: '依复议决定重新答复，予以公开' });
    assert.equal(rep.status, 200, JSON.stringify(rep.body));
    assert.equal(rep.body.status, 'replied');
    assert.equal(rep.body.outcome, 'disclosed');
    assert.equal(rep.body.repliedOn, '2026-03-09');
    assert.equal(rep.body.firstReply.repliedOn, '2025-11-20');
    // The locked year, computed again from the records: exactly as published.
    assert.deepEqual((await figures(2025)).requests, published2025.requests);
    const row = await t.ctx.db.selectFrom('reports').select(['status', 'published']).where('year', '=', 2025).executeTakeFirstOrThrow();
    assert.equal(row.status, 'published');
    assert.deepEqual(JSON.parse(row.published!).requests, published2025.requests);
    // 2026: the re-handling received (reopened) and concluded in the year: 1 new, 1 disclosed, nothing carried.
    const y2026 = await figures(2026);
    assert.equal(y2026.requests.new.natural_person, 1);
    assert.equal(y2026.requests.disclosed.natural_person, 1);
    assert.equal(y2026.requests['withheld.process_information'].total, 0);
    assert.equal(y2026.requests.concludedTotal.total, 1);
    assert.equal(y2026.requests.carriedOver.total, 0);
    assert.equal(y2026.requests.carriedForward.total, 0);
    assert.deepEqual(y2026.findings.filter((f) => f.severity === 'error' && f.rule.startsWith('requests.')), []);
    // The letter of the new reply is the re-handling's.
    assert.equal((await api(t.app, tok, 'GET', `/api/v1/requests/${req.id}/letters/reply.docx`)).status, 200);
  });

  test('a write dated in the locked year is still refused 423, nothing stored', async () => {
    const before = await t.ctx.db.selectFrom('request_events').select('id').where('request_id', '=', req.id).execute();
    const res = await act({ type: 'note', on: '2025-12-30', note: '补记' });
    assert.equal(res.status, 423, JSON.stringify(res.body));
    assert.match(res.body.error.message, /2025年度的记录已锁定/);
    const after = await t.ctx.db.selectFrom('request_events').select('id').where('request_id', '=', req.id).execute();
    assert.equal(after.length, before.length);
    // A 纠正 dated in the locked year cannot reopen it either.
    const c = await api(t.app, tok, 'POST', '/api/v1/review-cases', { requestId: req.id, kind: 'reconsideration', filedOn: '2025-12-01', result: 'corrected', concludedOn: '2025-12-20' });
    assert.equal(c.status, 423, JSON.stringify(c.body));
  });
});
