/**
 * Through HTTP: the office's working copy prints 草稿 with its open findings; the published report does not;
 * a roll-up is titled （汇总） and its prose is drafted from the summed figures even where the government's
 * own report (one agency) had been drafted before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import type { Actor } from '../../src/modules/context.js';
import { buildAnnualReport, getReportView } from '../../src/modules/reports/reports.service.js';
import { readZip, xmlText } from '../../src/render/zip-reader.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import * as f from './factories.js';

describe('reports say what they are', () => {
  let t: TestApp;
  let actor: Actor;
  before(async () => {
    t = await buildTestApp({ now: '2025-03-10T02:00:00Z' });
    await t.agency('city', { kind: 'government', name: '某市人民政府' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await t.agency('health', { parent: 'city', name: '某市卫生健康委员会' });
    await t.user('city', 'cityap', 'approver');
    actor = (await actorFor(t.ctx, (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'cityap').executeTakeFirstOrThrow()).id)) as Actor;
    const city = await f.agencyId(t.ctx, 'city');
    const edu = await f.agencyId(t.ctx, 'edu');
    const health = await f.agencyId(t.ctx, 'health');
    await f.request(t.ctx, city, { receivedOn: '2024-03-01', repliedOn: '2024-03-15', outcome: 'disclosed' });
    for (let i = 0; i < 3; i++) await f.request(t.ctx, edu, { receivedOn: '2024-04-01', repliedOn: '2024-04-10', outcome: 'disclosed' });
    for (let i = 0; i < 5; i++) await f.request(t.ctx, health, { receivedOn: '2024-05-01', repliedOn: '2024-05-10', outcome: 'unavailable.not_held' });
  });
  after(async () => t.close());

  test('the government alone first, then its roll-up: the prose states the sums, the title says （汇总）', async () => {
    await buildAnnualReport(t.ctx, actor, 'city', 2024);
    let view = await getReportView(t.ctx, actor, 'city', 2024);
    assert.match(view.built!.report.narrative.overview!, /本机关新收政府信息公开申请1件/);
    await buildAnnualReport(t.ctx, actor, 'city', 2024, { rollup: ['edu', 'health'] });
    view = await getReportView(t.ctx, actor, 'city', 2024);
    const overview = view.built!.report.narrative.overview!;
    assert.match(overview, /某市人民政府及所属2个单位/);
    assert.match(overview, /汇总范围内各机关新收政府信息公开申请9件/);
    assert.doesNotMatch(overview, /本机关新收政府信息公开申请1件/);
    assert.equal(view.built!.report.requests.new.total, 9);
    // The prose checks read the drafted sums as agreeing with the tables.
    const prose = view.built!.report.findings.filter((x) => x.rule.startsWith('prose.') && x.severity === 'error' && !/待填写/.test(x.message));
    assert.deepEqual(prose.map((x) => x.message), []);
    const b = await t.login('cityap');
    const html = await b.get('/office/reports/city/2024/report.html');
    assert.equal(html.statusCode, 200, html.body.slice(0, 300));
    assert.match(html.body, /某市人民政府2024年度政府信息公开工作年度报告（汇总）/);
    // A working copy: marked, with its open findings (the 五 placeholder at least).
    assert.match(html.body, /草稿：本稿尚未签发，不得对外公开/);
    assert.match(html.body, /尚待解决的问题/);
    assert.match(html.body, /【待填写】/);
    const docx = await b.get('/office/reports/city/2024/report.docx');
    assert.equal(docx.statusCode, 200);
    const zip = readZip(docx.rawPayload);
    const headers = [...zip.keys()].filter((k) => k.startsWith('word/header')).map((k) => xmlText(zip.get(k)!.toString('utf8')).join(''));
    assert.ok(headers.length > 0 && headers.every((h) => h.includes('草稿')));
    assert.ok(xmlText(zip.get('word/document.xml')!.toString('utf8')).join('').includes('（汇总）'));
  });
});
