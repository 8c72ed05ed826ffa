import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { indexItems, optimizeSearchIndex, searchItems, type SearchDoc } from '../../src/modules/search/search.service.js';

describe('search: optimising the index merges each list into one run and changes no answer', () => {
  let t: TestApp;
  const QUERIES = [{ q: '通知' }, { q: '政策解读' }, { q: '通知 政策解读' }, { q: '工作', page: 3, pageSize: 20 }, { q: '通知', year: 2023 }, { q: '第1', pageSize: 50 }];
  const answers = () => Promise.all(QUERIES.map(async (q) => {
    const r = await searchItems(t.ctx, q);
    return { total: r.total, titleHits: r.titleHits, items: r.items.map((i) => [i.id, i.matchedIn, i.snippet]) };
  }));
  const maxRuns = async () => {
    const r = await sql<{ m: number }>`select max(r) as m from (select count(distinct run) as r from search_blocks group by field, gram) x`.execute(t.ctx.db);
    return Number(r.rows[0]!.m);
  };
  let docs: SearchDoc[];

  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    const a = (await findAgency(t.ctx, 'city'))!;
    docs = [];
    for (let i = 1; i <= 750; i++) {
      const day = `202${i % 5}-0${(i % 9) + 1}-${String((i % 28) + 1).padStart(2, '0')}`;
      docs.push({
        itemId: i, agencyId: a.id, agencyCode: 'city', agencyName: a.name, category: '通知公告', docNumber: null, url: `/items/${i}`, publishedOn: day, summary: '',
        title: i % 50 === 0 ? `关于政策解读工作的通知（${i}）` : `关于第${i}项工作的通知`, body: i % 3 === 0 ? '附：政策解读。' : '请认真贯彻执行。',
      });
    }
    // three bulk batches: three runs per list
    for (let i = 0; i < docs.length; i += 250) await t.ctx.db.transaction().execute((tx) => indexItems(tx, docs.slice(i, i + 250)));
  });
  after(() => t.close());

  test('same totals, pages and snippets before and after; one run per list; later indexing still seen', async () => {
    assert.ok((await maxRuns()) >= 3, 'the batches left several runs');
    const before = await answers();
    assert.equal(before[2]!.total, 1 + 250 - 1 + 15 - 5); // 通知 everywhere: the 250 with 政策解读 in the text and the 15 titles, 5 of them both

    const notYet = await optimizeSearchIndex(t.ctx, { maxMs: -1 });
    assert.equal(notYet.complete, false);
    assert.equal(notYet.lists, 0);

    const seen: number[] = [];
    const r = await optimizeSearchIndex(t.ctx, { chunkPostings: 500, onProgress: (done) => seen.push(done) });
    assert.equal(r.complete, true);
    assert.ok(r.lists > 0 && seen.length > 1, 'several transactions');
    assert.equal(await maxRuns(), 1);
    assert.deepEqual(await answers(), before);

    // Nothing left to do; then new items are found (the lists' shapes cached by the queries above are stale).
    assert.equal((await optimizeSearchIndex(t.ctx)).lists, 0);
    const a = (await findAgency(t.ctx, 'city'))!;
    const late = Array.from({ length: 210 }, (_, k): SearchDoc => ({ ...docs[0]!, agencyId: a.id, itemId: 2000 + k, title: `关于政策解读的补充通知（${k}）`, publishedOn: '2026-01-05', url: `/items/${2000 + k}` }));
    await t.ctx.db.transaction().execute((tx) => indexItems(tx, late));
    const after = await searchItems(t.ctx, { q: '通知 政策解读' });
    assert.equal(after.total, before[2]!.total + 210);
    assert.equal(after.items[0]!.id, 2209);
  });

  test('gongkai search optimize does it from the command line, and says when there is nothing to do', async () => {
    const a = (await findAgency(t.ctx, 'city'))!;
    for (let b = 0; b < 3; b++) {
      const more = Array.from({ length: 220 }, (_, k): SearchDoc => ({ ...docs[1]!, agencyId: a.id, itemId: 3000 + b * 1000 + k, url: `/items/${3000 + b * 1000 + k}` }));
      await t.ctx.db.transaction().execute((tx) => indexItems(tx, more));
    }
    assert.ok((await maxRuns()) >= 2);
    const before = await answers();
    const r = runCli(['search', 'optimize'], t.db.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /检索索引已整理：合并 [\d,]+ 个词项的倒排表/);
    assert.equal(await maxRuns(), 1);
    assert.deepEqual(await answers(), before);
    const again = runCli(['search', 'optimize'], t.db.env);
    assert.match(again.stdout, /检索索引无需整理/);
    const bad = runCli(['search', 'rebuild'], t.db.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /未知子命令“rebuild”/);
  });
});
