/**
 * 考核 of the demo city, checked against its records: every figure of the 2025 sheet recounted here from the
 * tables with plain SQL, the score recomputed by hand with the office's weights, the ranking, the records behind a
 * figure, the Excel export, the weights form. And the demo shows a few of each new thing (督办, 依申请转主动,
 * reminders).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { loadDemo, DEMO_PASSWORD } from '../../src/cli/commands/demo.js';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import { scoreSheet, type Sheet } from '../../src/modules/assessment/assessment.service.js';
import { INDICATORS } from '../../src/modules/assessment/score.js';
import { reportDeadline } from '../../src/law/report-deadline.js';
import { api, buildTestApp, type Browser, type TestApp } from '../helpers/app.js';

describe('考核 of the demo city against its records; the demo shows 督办, 依申请转主动 and reminders', () => {
  let t: TestApp;
  let sheet: Sheet;
  let office: Browser;

  before(async () => {
    t = await buildTestApp({ now: '2026-11-28T02:00:00Z' });
    await loadDemo(t.ctx, { quiet: true });
    const u = await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'jiandu').executeTakeFirstOrThrow();
    sheet = await scoreSheet(t.ctx, (await actorFor(t.ctx, u.id))!, { year: 2025 });
    office = await t.login('jiandu', DEMO_PASSWORD);
  });
  after(async () => t.close());

  test('every figure of the 2025 sheet is what the records say', async () => {
    const db = t.ctx.db;
    assert.equal(sheet.rows.length, 7);
    for (const row of sheet.rows) {
      const id = row.agency.id;
      const replies = await sql<{ n: number; on_time: number }>`select count(*) as n, sum(case when replied_on <= due_on then 1 else 0 end) as on_time from requests
        where agency_id = ${id} and kind = 'disclosure' and replied_on between '2025-01-01' and '2025-12-31' and due_on is not null`.execute(db);
      assert.equal(row.figures.replies.den, Number(replies.rows[0]!.n), `${row.agency.name} replied`);
      assert.equal(row.figures.replies.num, Number(replies.rows[0]!.on_time ?? 0), `${row.agency.name} on time`);
      const cases = await sql<{ rec: number; n: number; corrected: number }>`select case when kind = 'reconsideration' then 1 else 0 end as rec, count(*) as n,
        sum(case when result = 'corrected' then 1 else 0 end) as corrected from review_cases
        where agency_id = ${id} and concluded_on between '2025-01-01' and '2025-12-31' and result <> 'pending' group by case when kind = 'reconsideration' then 1 else 0 end`.execute(db);
      const rec = cases.rows.find((c) => Number(c.rec) === 1);
      const lit = cases.rows.find((c) => Number(c.rec) === 0);
      assert.deepEqual([row.figures.reconsideration.num, row.figures.reconsideration.den], [Number(rec?.corrected ?? 0), Number(rec?.n ?? 0)]);
      assert.deepEqual([row.figures.litigation.num, row.figures.litigation.den], [Number(lit?.corrected ?? 0), Number(lit?.n ?? 0)]);
      const items = await sql<{ n: number; late: number }>`select count(*) as n, sum(case when late = 1 then 1 else 0 end) as late from items
        where agency_id = ${id} and status = 'published' and published_on between '2025-01-01' and '2025-12-31'`.execute(db);
      assert.equal(row.figures.timeliness.den, Number(items.rows[0]!.n));
      assert.equal(row.figures.timeliness.num, Number(items.rows[0]!.n) - Number(items.rows[0]!.late ?? 0));
      const policies = await sql<{ n: number }>`select count(*) as n from items i join item_categories c on c.id = i.category_id
        where i.agency_id = ${id} and i.status = 'published' and c.name in ('法规文件', '政策文件') and i.published_on between '2025-01-01' and '2025-12-31'`.execute(db);
      assert.equal(row.figures.interpretation.den, Number(policies.rows[0]!.n));
      const sup = await sql<{ n: number; on_time: number }>`select count(*) as n, sum(case when first_answered_on <= deadline then 1 else 0 end) as on_time from supervisions
        where agency_id = ${id} and year = 2025`.execute(db);
      assert.deepEqual([row.figures.supervision.num, row.figures.supervision.den], [Number(sup.rows[0]!.on_time ?? 0), Number(sup.rows[0]!.n)]);
      // The 2024 report (published in 2025): on time by 条例第四十九条's deadline?
      const report = await db.selectFrom('reports').select(['status', 'published_on']).where('agency_id', '=', id).where('year', '=', 2024).executeTakeFirst();
      const onTime = report?.status === 'published' && report.published_on! <= reportDeadline(row.agency.kind as 'department', 2024);
      assert.match(row.figures.report.text, onTime ? /^按时发布/ : /逾期/, row.agency.name);
    }
    // Something to measure in the demo: replies everywhere, and 督办 of both kinds.
    assert.ok(sheet.rows.every((r) => r.figures.replies.den > 0));
    assert.ok(sheet.rows.some((r) => r.figures.supervision.den > 0 && r.figures.supervision.num === r.figures.supervision.den));
    assert.ok(sheet.rows.some((r) => r.figures.supervision.den > 0 && r.figures.supervision.num < r.figures.supervision.den));
  });

  test('the score is the weighted mean with the office\'s weights, and the ranking follows it', () => {
    assert.deepEqual(sheet.weights, { replies: 30, reconsideration: 10, litigation: 10, report: 20, timeliness: 15, interpretation: 5, supervision: 10 });
    for (const row of sheet.rows) {
      let sum = 0;
      let w = 0;
      for (const k of INDICATORS) {
        const f = row.figures[k];
        if (f.fraction === null) continue;
        sum += sheet.weights[k] * f.fraction;
        w += sheet.weights[k];
      }
      assert.equal(row.score, Math.round((sum / w) * 1000) / 10, row.agency.name);
    }
    const scores = sheet.rows.map((r) => r.score!);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    assert.equal(sheet.rows[0]!.rank, 1);
  });

  test('the page: chart, table, each figure a link to its records; the records page lists exactly them', async () => {
    const page = await office.get('/office/assessment?year=2025');
    assert.equal(page.statusCode, 200);
    // the chart: one bar per agency, labelled with its rank and name, and its score
    assert.match(page.body, /<figure class="chart"><figcaption>2025年度考核得分/);
    for (const r of sheet.rows) assert.ok(page.body.includes(`${r.agency.name}</span>`), `a bar for ${r.agency.name}`);
    const zjj = sheet.rows.find((r) => r.agency.code === 'hrb-zjj')!;
    assert.ok(page.body.includes(`href="/office/assessment/2025/hrb-zjj/replies"`));
    assert.ok(page.body.includes(`href="/office/reports/hrb-zjj/2024"`));
    const records = await office.get('/office/assessment/2025/hrb-zjj/replies');
    assert.equal(records.statusCode, 200);
    assert.equal((records.body.match(/href="\/office\/requests\/\d+"/g) ?? []).length, zjj.figures.replies.den);
    assert.equal((records.body.match(/badge-err">超期/g) ?? []).length, zjj.figures.replies.den - zjj.figures.replies.num);
    assert.doesNotMatch(page.body, /\b(replies|timeliness|undefined|null)\b(?![^<]*")/);
    // A handler is not an oversight office.
    const h = await t.login('zjj.handler', DEMO_PASSWORD);
    assert.equal((await h.get('/office/assessment')).statusCode, 403);
  });

  test('Excel export: one row per agency, figures linked to their records', async () => {
    const res = await office.get('/office/assessment/export.xlsx?year=2025');
    assert.equal(res.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.rowCount, 2 + sheet.rows.length);
    assert.equal(ws.getRow(3).getCell(2).value, sheet.rows[0]!.agency.name);
    const link = ws.getRow(3).getCell(4).value as { hyperlink: string };
    assert.match(link.hyperlink, /\/office\/assessment\/2025\/[^/]+\/replies$/);
  });

  test('the office sets its weights (bad input refused, nothing changed; audited)', async () => {
    const form = { replies: '40', reconsideration: '10', litigation: '10', report: '20', timeliness: '10', interpretation: '0', supervision: '10' };
    let res = await office.post('/office/assessment/weights?year=2025', { ...form, replies: '120' }, { from: '/office/assessment?year=2025' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /依申请公开按期答复率的权重应为 0–100 的整数/);
    res = await office.post('/office/assessment/weights?year=2025', form, { from: '/office/assessment?year=2025' });
    assert.equal(res.statusCode, 303);
    assert.match((await office.get('/office/assessment?year=2025')).body, /依申请公开按期答复率<span class="muted">（权重 40）/);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'assessment.weights').execute();
    assert.equal(audit.length, 2, 'the demo\'s and this one');
  });

  test('the demo shows a few of each: 督办 in every state, a 依申请转主动 cluster, reminders in the office', async () => {
    const states = await t.ctx.db.selectFrom('supervisions').select('status').execute();
    assert.ok(states.length >= 3);
    assert.ok(states.some((s) => s.status === 'accepted'));
    assert.ok(states.some((s) => s.status === 'open'));
    const list = await office.get('/office/supervision');
    assert.match(list.body, /政府信息公开指南未按新机构职能更新/);
    const tok = await t.token('zjj.handler');
    const sug = await api(t.app, tok, 'GET', '/api/v1/agencies/hrb-zjj/disclosure-suggestions');
    assert.equal(sug.status, 200);
    assert.ok(sug.body.clusters.some((c: { subject: string; applicants: number }) => /道路维修/.test(c.subject) && c.applicants === 3), JSON.stringify(sug.body));
    const n = await t.ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.ok(Number(n.n) > 0);
  });
});
