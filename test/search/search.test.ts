import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { PG_URL } from '../helpers/db.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { indexItems, removeItem, searchItems, type SearchDoc } from '../../src/modules/search/search.service.js';
import { isSearchTimeout, searchSeam } from '../../src/db/search-seam.js';
import { sql } from 'kysely';

describe('Chinese full-text search', () => {
  let t: TestApp;
  let nextId = 1;
  const docs: SearchDoc[] = [];
  async function add(agency: string, d: Partial<SearchDoc> & { title: string; publishedOn: string }) {
    const a = (await findAgency(t.ctx, agency))!;
    const doc: SearchDoc = {
      itemId: nextId++, agencyId: a.id, agencyCode: a.code, agencyName: a.name, summary: '', body: '', category: '通知公告', docNumber: null,
      url: `/items/${nextId - 1}`, ...d,
    };
    docs.push(doc);
    await t.ctx.db.transaction().execute((tx) => indexItems(tx, [doc]));
    return doc;
  }
  const search = (q: string, extra: Record<string, string> = {}) =>
    t.app.inject({ url: `/api/v1/search?${new URLSearchParams({ q, ...extra }).toString()}` }).then((r) => ({ status: r.statusCode, body: r.json() }));

  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    await t.agency('edu', { parent: 'city', name: '某市教育局' });
    await add('city', { title: '某市人民政府关于印发2025年政府信息公开工作要点的通知', publishedOn: '2025-03-01', docNumber: '某政办发〔2025〕3号', body: '各区县人民政府，市政府各部门：现将工作要点印发给你们，请认真贯彻落实。' });
    await add('city', { title: '某市2024年政府信息公开工作年度报告', publishedOn: '2025-01-20', body: '本报告根据《中华人民共和国政府信息公开条例》编制。' });
    await add('edu', { title: '关于做好2025年义务教育招生入学工作的通知', publishedOn: '2025-04-10', body: '招生工作坚持公开、公平、公正原则，实行阳光招生。' });
    await add('edu', { title: '某市教育局部门预算', publishedOn: '2024-06-01', summary: '2024年部门预算及三公经费预算公开说明。', body: '财政拨款收支总表。' });
    await add('city', { title: '关于征集民生实事项目的公告', publishedOn: '2025-02-15', body: '为广泛听取群众意见，现公开征集2026年民生实事项目建议。' });
  });
  after(async () => t.close());

  test('a two-character word inside a longer compound finds every title holding it', async () => {
    const r = await search('公开');
    assert.equal(r.status, 200);
    const titles = r.body.items.map((i: { title: string }) => i.title);
    // 信息公开 (twice), and 公开 in bodies / summary
    assert.ok(titles.includes('某市人民政府关于印发2025年政府信息公开工作要点的通知'));
    assert.ok(titles.includes('某市2024年政府信息公开工作年度报告'));
    assert.equal(r.body.titleHits, 2);
    assert.equal(r.body.total, 5);
  });

  test('title hits come first (shorter titles first), then text hits; 按时间排序 orders by date alone', async () => {
    const r = await search('公开');
    const order = r.body.items.map((i: { title: string; matchedIn: string; publishedOn: string }) => [i.matchedIn, i.publishedOn]);
    assert.deepEqual(order.slice(0, 2), [
      ['title', '2025-01-20'], // 某市2024年政府信息公开工作年度报告 (17 characters)
      ['title', '2025-03-01'], // 某市人民政府关于印发2025年政府信息公开工作要点的通知 (longer)
    ]);
    assert.deepEqual(order.slice(2).map((o: string[]) => o[0]), ['text', 'text', 'text']);
    const byDate = await search('公开', { sort: 'date' });
    assert.deepEqual(byDate.body.items.map((i: { publishedOn: string }) => i.publishedOn), ['2025-04-10', '2025-03-01', '2025-02-15', '2025-01-20', '2024-06-01']);
    assert.equal(byDate.body.sort, 'date');
  });

  test('the contract shape: total and items with id, title, url, agency, publishedOn, snippet', async () => {
    const r = await search('招生');
    assert.equal(r.body.total, 1);
    const it = r.body.items[0];
    for (const k of ['id', 'title', 'url', 'agency', 'publishedOn', 'snippet']) assert.ok(k in it, k);
    assert.equal(it.agency, '某市教育局');
    assert.equal(it.agencyCode, 'edu');
    assert.equal(it.url, `/items/${it.id}`);
    assert.match(it.titleHtml, /<mark>招生<\/mark>/);
    assert.match(it.snippetHtml, /<mark>招生<\/mark>/);
    assert.doesNotMatch(it.snippet, /<mark>/);
  });

  test('multi-word queries require every word; a phrase must be contiguous', async () => {
    const both = await search('信息公开 年度报告');
    assert.deepEqual(both.body.items.map((i: { title: string }) => i.title), ['某市2024年政府信息公开工作年度报告']);
    const none = await search('教育 年度报告');
    assert.equal(none.body.total, 0);
    // Every bigram of 水管网改 (水管, 管网, 网改) occurs in this item, the phrase nowhere: it must not be found.
    await add('city', { title: '关于设施维护的说明', publishedOn: '2024-01-05', body: '排水管网。网改造工程。' });
    assert.equal((await search('排水管网')).body.total, 1);
    assert.equal((await search('水管网改')).body.total, 0, 'bigrams apart are not the phrase');
    assert.equal((await search('管网改造')).body.total, 0, 'a separator between runs breaks a phrase typed without one');
    assert.equal((await search('管网 网改')).body.total, 1, 'as two words, both are there');
    assert.equal((await search('管网。网改')).body.total, 1, 'typed with the separator, the runs follow each other');
    // 文号 is searchable and counts as a title hit
    const byNumber = await search('某政办发〔2025〕3号');
    assert.equal(byNumber.body.items[0].title, '某市人民政府关于印发2025年政府信息公开工作要点的通知');
    assert.equal(byNumber.body.items[0].matchedIn, 'title');
  });

  test('one-character queries match titles and bodies; full-width input, case and traditional characters fold', async () => {
    const r = await search('税');
    assert.equal(r.body.total, 0);
    const one = await search('招');
    assert.equal(one.body.items[0].title, '关于做好2025年义务教育招生入学工作的通知');
    const inBody = await search('拨'); // 财政拨款收支总表: in a body only
    assert.equal(inBody.body.total, 1);
    assert.equal(inBody.body.items[0].matchedIn, 'text');
    const fw = await search('２０２５年');
    assert.equal(fw.body.total, 2);
    assert.equal((await search('信息公開')).body.total, 2);
    assert.equal((await search('年度報告')).body.total, 1);
    assert.equal((await search('資訊公開')).body.total, 0, '资讯 is not 信息: folding is by character, not by vocabulary');
  });

  test('bad input: a clear answer, never a 5xx', async () => {
    const long = await search('政'.repeat(10_000));
    assert.equal(long.status, 400);
    assert.match(long.body.error.message, /检索词过长/);
    for (const q of ['！？。，', '   ', '\ud800', 'a\udc00b'.slice(1, 2)]) {
      const r = await search(q);
      assert.equal(r.status, 200, JSON.stringify(q));
      assert.equal(r.body.total, 0);
      assert.match(r.body.message, /检索词/);
    }
    const page = await t.anonymous().get('/search?q=' + encodeURIComponent('政'.repeat(10_000)));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /检索词过长/);
    const punct = await t.anonymous().get('/search?q=' + encodeURIComponent('！？'));
    assert.match(punct.body, /没有可检索的文字/);
  });

  test('the agency, category and year filters', async () => {
    const edu = await search('公开', { agency: 'edu' });
    assert.equal(edu.body.total, 2);
    assert.ok(edu.body.items.every((i: { agencyCode: string }) => i.agencyCode === 'edu'));
    const y2024 = await search('预算', { year: '2024' });
    assert.equal(y2024.body.total, 1);
    const y2025 = await search('预算', { year: '2025' });
    assert.equal(y2025.body.total, 0);
    const cat = await search('公开', { category: '没有这个分类' });
    assert.equal(cat.body.total, 0);
    const unknown = await search('公开', { agency: 'nope' });
    assert.equal(unknown.body.total, 0);
  });

  test('did-you-mean: a query that finds nothing, one character away from a frequent title term', async () => {
    await add('city', { title: '关于印发优化营商环境实施方案的通知', publishedOn: '2024-02-01' });
    await add('city', { title: '营商环境评价报告', publishedOn: '2024-02-02' });
    // The vocabulary made by the earlier queries that found nothing answers at once; the one with the new titles
    // is made in the background, and a query soon after suggests from it.
    let r = await search('营商环竟');
    assert.equal(r.body.total, 0);
    for (let i = 0; i < 100 && r.body.suggestion === undefined; i++) {
      await new Promise((res) => setTimeout(res, 50));
      r = await search('营商环竟');
    }
    assert.equal(r.body.suggestion, '营商环境');
    const page = await t.anonymous().get('/search?q=' + encodeURIComponent('营商环竟'));
    assert.match(page.body, /您是不是要找：<a href="\/search\?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83">营商环境<\/a>/);
    assert.equal((await search('营商环境')).body.suggestion, undefined, 'found: nothing suggested');
    assert.equal((await search('量子计算机')).body.suggestion, undefined, 'nothing near');
  });

  test('no hits; SQL and script payloads in q are harmless', async () => {
    assert.equal((await search('量子计算机')).body.total, 0);
    for (const q of ["' OR 1=1 --", '"; DROP TABLE search_docs; --', '<script>alert(1)</script>', '%_\\', '　', '!!!', '"公开" OR NOT', "'公开':* | x"]) {
      const r = await search(q);
      assert.equal(r.status, 200, q);
      assert.equal(r.body.total, 0, q);
    }
    const page = await t.anonymous().get(`/search?q=${encodeURIComponent('<script>alert(1)</script>公开')}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(page.body, /&lt;script>alert/);
    assert.equal((await search('公开')).body.total, 5); // the index is intact
  });

  test('the search page: form with filters, highlighted results, 热门搜索, no JavaScript needed', async () => {
    const res = await t.anonymous().get('/search?q=' + encodeURIComponent('信息公开'));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /共找到 2 条/);
    assert.match(res.body, /<mark>信息公开<\/mark>/);
    assert.match(res.body, /热门搜索/);
    assert.match(res.body, /<select id="sa" name="agency">/);
    const empty = await t.anonymous().get('/search?q=' + encodeURIComponent('量子计算机'));
    assert.match(empty.body, /未找到与“量子计算机”相关的信息/);
    assert.match(empty.body, /href="\/apply"/);
    const blank = await t.anonymous().get('/search');
    assert.equal(blank.statusCode, 200);
    assert.match(blank.body, /检索说明/);
  });

  test('re-indexing replaces an item, removing it takes it out', async () => {
    const d = docs[4]!;
    await t.ctx.db.transaction().execute((tx) => indexItems(tx, [{ ...d, title: '关于征集民生实事项目建议的公告（更正）', body: '已更正。' }]));
    let r = await search('更正');
    assert.equal(r.body.total, 1);
    r = await search('群众意见');
    assert.equal(r.body.total, 0);


    await t.ctx.db.transaction().execute((tx) => removeItem(tx, d.itemId));
    r = await search('更正');
    assert.equal(r.body.total, 0);
    assert.equal((await search('公开')).body.total, 4);
  });

  test('many items across blocks: paging is complete and ordered', async () => {
    const batch: SearchDoc[] = [];
    const a = (await findAgency(t.ctx, 'edu'))!;
    for (let i = 0; i < 120; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      batch.push({ itemId: 1000 + i, agencyId: a.id, agencyCode: 'edu', agencyName: a.name, title: `第${i}号 校园安全检查情况通报`, summary: '', body: i % 2 ? '安全生产' : '', category: '检查通报', publishedOn: `2023-0${(i % 9) + 1}-${day}`, docNumber: null, url: `/items/${1000 + i}` });
    }
    for (let i = 0; i < batch.length; i += 10) await t.ctx.db.transaction().execute((tx) => indexItems(tx, batch.slice(i, i + 10)));
    const seen: number[] = [];
    let last = '9999';
    for (let p = 1; p <= 7; p++) {
      const r = await searchItems(t.ctx, { q: '安全检查', page: p, pageSize: 20, sort: 'date' });
      assert.equal(r.total, 120);
      for (const it of r.items) {
        assert.ok(it.publishedOn <= last);
        last = it.publishedOn;
        seen.push(it.id);
      }
    }
    assert.equal(new Set(seen).size, 120);
    const cat = await searchItems(t.ctx, { q: '安全', category: '检查通报' });
    assert.equal(cat.total, 120);
    assert.equal(cat.titleHits, 120);

    // a bulk batch (an import) and a single item after it
    const bulk: SearchDoc[] = [];
    for (let i = 0; i < 250; i++) bulk.push({ ...batch[0]!, itemId: 5000 + i, title: `第${i}批 防汛抗旱检查通报`, body: i % 5 ? '' : '安全检查', publishedOn: `2022-0${(i % 9) + 1}-15`, url: `/items/${5000 + i}` });
    await t.ctx.db.transaction().execute((tx) => indexItems(tx, bulk));
    await t.ctx.db.transaction().execute((tx) => indexItems(tx, [{ ...bulk[0]!, itemId: 6000, title: '防汛抗旱检查通报（补充）', url: '/items/6000' }]));
    const flood = await searchItems(t.ctx, { q: '防汛抗旱', pageSize: 50 });
    assert.equal(flood.total, 251);
    assert.equal(flood.totalCapped, false);
    const mixed = await searchItems(t.ctx, { q: '安全检查', pageSize: 50, page: 3 });
    assert.equal(mixed.total, 171); // 120 title hits + 51 text-only hits (50 of the bulk batch, and item 6000)
    assert.equal(mixed.titleHits, 120);
    assert.deepEqual(mixed.items.map((i) => i.matchedIn), [...Array(20).fill('title'), ...Array(30).fill('text')]);
  });

  test('above the count cap: the page says 条以上 and why the order is by date, and the next page stays reachable', async () => {
    process.env.GONGKAI_SEARCH_COUNT_CAP = '50';
    try {
      const api = await search('安全检查', { pageSize: '20' });
      assert.equal(api.status, 200);
      assert.equal(api.body.totalCapped, true);
      assert.ok(api.body.total > 50 && api.body.total <= 171, `a lower bound: ${api.body.total}`);
      const dates = api.body.items.map((i: { publishedOn: string }) => i.publishedOn);
      assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
      const page = await t.app.inject({ url: '/search?q=%E5%AE%89%E5%85%A8%E6%A3%80%E6%9F%A5&capped=1' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /找到 [\d,]+ 条以上与“安全检查”相关的结果/);
      assert.match(page.body, /结果较多：标题与检索词完全相同的排在最前，其余按发布日期从新到旧排列/);
      assert.match(page.body, /href="\/search\?q=[^"]*page=2"/);
    } finally {
      delete process.env.GONGKAI_SEARCH_COUNT_CAP;
    }
  });

  test('a search that runs out of time (PostgreSQL): the API answers 503 search.timeout, the page says so in Chinese', async (ctx) => {
    if (t.ctx.engine !== 'postgres') return ctx.skip('statement time limits are PostgreSQL’s (SQLite searches run in-process)');
    process.env.GONGKAI_SEARCH_TIMEOUT_MS = '300';
    // another session holds the index table: the search waits for it until its time runs out
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    try {
      const schema = (await t.ctx.db.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirstOrThrow()).s;
      await holder.query('begin');
      await holder.query(`lock table "${schema}".search_docs in access exclusive mode`);
      const started = Date.now();
      const api = await search('公开');
      assert.equal(api.status, 503);
      assert.equal(api.body.error.code, 'unavailable');
      assert.equal(api.body.error.reason, 'search.timeout');
      assert.match(api.body.error.message, /检索用时过长/);
      assert.ok(Date.now() - started < 5000, 'answered within the limit, not after the lock');
      const page = await t.app.inject({ url: '/search?q=%E5%85%AC%E5%BC%80&timeout=1' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /检索用时过长，未能完成/);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
      delete process.env.GONGKAI_SEARCH_TIMEOUT_MS;
    }
    const after = await search('公开');
    assert.equal(after.status, 200);
  });

  test('a search that runs out of time in the walk above the cap (PostgreSQL): the time limit is the error, not the aborted transaction', async (ctx) => {
    if (t.ctx.engine !== 'postgres') return ctx.skip('statement time limits are PostgreSQL’s (SQLite searches run in-process)');
    process.env.GONGKAI_SEARCH_TIMEOUT_MS = '100';
    try {
      const seam = searchSeam(t.ctx.db);
      // the walk's statements run inside `ordered`; on the city a deep page of a middling word ran past the limit,
      // and the walk's clean-up statement answered 25P02 instead, so the page was a 500, not the Chinese message
      await assert.rejects(
        seam.reading(t.ctx.db, (tx) => seam.ordered(tx, () => sql`select pg_sleep(1)`.execute(tx))),
        (e: unknown) => isSearchTimeout(e),
      );
    } finally {
      delete process.env.GONGKAI_SEARCH_TIMEOUT_MS;
    }
  });
});
