/**
 * Security probe, finding 7 (last part), from the attacker's side: one account holding every role could draft,
 * approve and publish an annual report alone. Now whoever sent it for review cannot sign it off, unless an
 * administrator has marked the agency an office of one person — which the audit log records, with the
 * publication that used it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type Browser, type TestApp } from '../helpers/app.js';
import * as f from '../reports/factories.js';

describe('the annual report needs a second person to sign off', () => {
  let t: TestApp;
  let solo: Browser;
  const page = '/office/reports/bureau/2024';
  const prose = { overview: '本机关认真贯彻落实《中华人民共和国政府信息公开条例》。', problems: '一是公开内容不够丰富。下一步将加强培训。', other: '本年度未收取信息处理费。' };

  before(async () => {
    t = await buildTestApp({ now: '2025-01-20T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('bureau', { parent: 'city', name: '某市文化和旅游局' });
    // An approver may also build and send the report for review: one account that can do every step.
    await t.user('bureau', 'solo', 'approver');
    await t.agency('town', { parent: 'city', name: '某镇人民政府' });
    await t.user('town', 'solo2', 'approver');
    await t.user('bureau', 'other', 'approver');
    await t.user('city', 'root', 'admin');
    for (const code of ['bureau', 'town']) await f.request(t.ctx, await f.agencyId(t.ctx, code), { receivedOn: '2024-03-01', repliedOn: '2024-03-15', outcome: 'disclosed' });
    solo = await t.login('solo');
  });
  after(async () => t.close());

  const draftAndSubmit = async (b: Browser, page: string) => {
    assert.equal((await b.post(`${page}/build`, { reviewsReading: 'filed' }, { from: page })).statusCode, 303);
    assert.equal((await b.post(`${page}/narrative`, prose, { from: page })).statusCode, 303);
    assert.equal((await b.post(`${page}/submit`, {}, { from: page })).statusCode, 303);
  };

  it('the account that sent the report for review cannot sign it off (403, with the reason); another approver can', async () => {
    await draftAndSubmit(solo, page);
    const res = await solo.post(`${page}/publish`, {}, { from: page });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /须由送审人以外的另一人签发/);
    const rows = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'report.publish').execute();
    assert.equal(rows.length, 0, 'nothing published');
    const other = await t.login('other');
    assert.equal((await other.post(`${page}/publish`, {}, { from: page })).statusCode, 303);
  });

  it('an office of one person (marked by an administrator, audited) may sign off its own report; the publication says so', async () => {
    const root = await t.login('root');
    const solo2 = await t.login('solo2');
    const agencyPage = '/office/agencies/town';
    const townPage = '/office/reports/town/2024';
    assert.equal((await solo2.post(`${agencyPage}/one-person-office`, { onePersonOffice: '1' }, { from: agencyPage })).statusCode, 403, 'not by the office itself');
    await draftAndSubmit(solo2, townPage);
    assert.equal((await solo2.post(`${townPage}/publish`, {}, { from: townPage })).statusCode, 403, 'not before it is marked');
    assert.equal((await root.post(`${agencyPage}/one-person-office`, { onePersonOffice: '1' }, { from: agencyPage })).statusCode, 303);
    assert.match((await root.get(agencyPage)).body, /一人办公：送审人可以自行签发/);
    const marked = await t.ctx.db.selectFrom('audit_log').select(['action', 'data']).where('action', '=', 'agency.one_person_office').execute();
    assert.equal(marked.length, 1);
    assert.match(String(marked[0]!.data), /"onePersonOffice":true/);
    const pubRes = await solo2.post(`${townPage}/publish`, {}, { from: townPage });
    assert.equal(pubRes.statusCode, 303, pubRes.body.match(/error-text[^>]*>([^<]+)/)?.[1] ?? '');
    const pub = await t.ctx.db.selectFrom('audit_log').select('data').where('action', '=', 'report.publish').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    assert.match(String(pub.data), /"onePersonOffice":true/);
  });
});
