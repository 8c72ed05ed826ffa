/**
 * `gongkai demo`: the demo city loads once (a second run refuses and changes nothing), the audit chain holds,
 * and the bureau's 2022 report built from the demo records has the seed's figures and flags the seed's prose.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChain } from '../../src/modules/audit-log/audit-log.service.js';
import { getAgency } from '../../src/modules/agencies/agencies.service.js';
import { computeAnnualReport, savedOptions } from '../../src/modules/reports/reports.service.js';
import { SEED_NARRATIVE, loadDemo } from '../../src/cli/commands/demo.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { ARTICLE_20_CATEGORIES } from '../../src/law/proactive.js';
import { KEY_AREAS } from '../../src/modules/portal/portal.pages.js';
import { HOT_SEARCHES } from '../../src/modules/search/search.service.js';
import { runCli } from '../helpers/cli.js';

describe('gongkai demo', () => {
  let t: TestApp;
  let stats: Awaited<ReturnType<typeof loadDemo>>;
  before(async () => {
    t = await buildTestApp({ now: '2026-11-28T02:00:00Z' });
    // In process (the command itself is `gongkai demo`, run below for its refusal).
    stats = await loadDemo(t.ctx, { quiet: true });
  });
  after(async () => t.close());

  test('loads the city once; a second `gongkai demo` refuses with a clear message', async () => {
    assert.equal(stats.agencies, 7);
    assert.ok(stats.requests > 300 && stats.items > 2000 && stats.reports > 25, JSON.stringify(stats));
    const again = runCli(['demo'], t.db.env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /演示数据已载入/);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true);
  });

  test("the bureau: the seed's contact block, its 2022 figures from the records, its own prose flagged", async () => {
    const bureau = await getAgency(t.ctx, 'hrb-wglj');
    assert.equal(bureau.name, '哈尔滨市文化广电和旅游局');
    assert.equal(bureau.address, '哈尔滨市松北区世纪大道1号');
    assert.equal(bureau.postcode, '150021');
    assert.equal(bureau.phone, '0451-84664600');
    const saved = await savedOptions(t.ctx, bureau, 2022);
    // Published with the one flagged total corrected; the prose as the bureau wrote it is flagged.
    assert.match(saved.narrative?.overview ?? '', /主动公开信息2796条/);
    const { report, facts } = await computeAnnualReport(t.ctx, bureau, 2022, { narrative: { ...saved.narrative, ...SEED_NARRATIVE } });
    assert.equal(report.requests.new.total, 2);
    assert.equal(report.requests.disclosed.total, 1);
    assert.equal(report.requests['unavailable.not_held'].total, 1);
    assert.equal(facts.itemsPublished, 51);
    assert.equal(facts.newMediaTotal, 2745);
    assert.ok(report.findings.some((f) => f.rule === 'prose.proactive-total' && /2696/.test(f.message)));
  });

  test('a full portal: published reports in the 年报专栏, open requests, late reports for the supervisor', async () => {
    const column = await t.anonymous().get('/reports');
    assert.match(column.body, /哈尔滨市人民政府2024年政府信息公开工作年度报告/);
    assert.match(column.body, /哈尔滨市文化广电和旅游局2022年政府信息公开工作年度报告/); // the seed's report, published with its own prose
    const j = (await t.app.inject({ url: '/api/v1/agencies/harbin/reports/2024' })).json();
    assert.ok(j.scope.length > 1 && j.contributions.length === j.scope.length);
    const open = await t.ctx.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).where('replied_on', 'is', null).executeTakeFirstOrThrow();
    assert.ok(Number(open.n) > 0);
    const sup = await t.login('jiandu', 'Demo-passw0rd');
    const o = await sup.get('/office/oversight');
    assert.equal(o.statusCode, 200);
    assert.match(o.body, /逾期未发布/);
  });

  test('a real-looking catalogue: every 第二十条 category, 文号, 主题分类, 体裁分类, 解读 both ways, this year, searches that find', async () => {
    const b = t.anonymous();
    const page = (await b.get('/agencies/hrb-wglj')).body;
    for (const c of ARTICLE_20_CATEGORIES) {
      const m = new RegExp(`>${c.name}</a><span class="date">(\\d+) 条`).exec(page);
      assert.ok(m && Number(m[1]) > 0, `${c.name}: ${m?.[1] ?? 'missing'}`);
    }
    const interp = await t.ctx.db.selectFrom('items').select(['id', 'interprets_item_id']).where('interprets_item_id', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const policy = (await b.get(`/items/${interp.interprets_item_id}`)).body;
    assert.match(policy, /〔20\d\d〕\d+号/); // 文号
    assert.match(policy, /主题分类/);
    assert.match(policy, new RegExp(`相关解读[\\s\\S]*href="/items/${interp.id}"`));
    assert.match((await b.get(`/items/${interp.id}`)).body, new RegExp(`的政策解读|href="/items/${interp.interprets_item_id}"`));
    const untagged = await t.ctx.db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => eb.or([eb('subject_category', 'is', null), eb('genre', 'is', null)])).executeTakeFirstOrThrow();
    assert.equal(Number(untagged.n), 0);
    const thisYear = await t.ctx.db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).where('published_on', '>=', '2026-01-01').where('published_on', '<=', '2026-11-28').executeTakeFirstOrThrow();
    assert.ok(Number(thisYear.n) > 100, `items this year: ${thisYear.n}`);
    const body = await t.ctx.db.selectFrom('items').select('body_html').where('id', '=', interp.interprets_item_id!).executeTakeFirstOrThrow();
    assert.ok(body.body_html.length > 400 && /《中华人民共和国/.test(body.body_html), `body ${body.body_html.length} characters`);
    for (const q of [...HOT_SEARCHES, ...KEY_AREAS]) {
      assert.match((await b.get(`/search?q=${encodeURIComponent(q)}`)).body, /共找到 [\d,]+ 条/, q);
    }
    const home = (await b.get('/')).body;
    assert.match(home, /主办单位：哈尔滨市人民政府办公厅/);
    assert.match(home, /网站标识码：2301000001/);
  });
});
