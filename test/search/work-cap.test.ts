import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { indexItems, searchItems, setSearchWorkCap, type SearchDoc } from '../../src/modules/search/search.service.js';

describe('search: counting stops at the work cap, the page stays exact', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await t.agency('city', { name: '某市人民政府' });
    const a = (await findAgency(t.ctx, 'city'))!;
    const docs: SearchDoc[] = [];
    for (let i = 1; i <= 600; i++) {
      const day = `202${i % 5}-0${(i % 9) + 1}-${String((i % 28) + 1).padStart(2, '0')}`;
      // 通知 everywhere; 政策解读 in the text of one in three; a few titles hold both
      docs.push({
        itemId: i, agencyId: a.id, agencyCode: 'city', agencyName: a.name, category: '通知公告', docNumber: null, url: `/items/${i}`, publishedOn: day, summary: '',
        title: i % 50 === 0 ? `关于政策解读工作的通知（${i}）` : `关于第${i}项工作的通知`, body: i % 3 === 0 ? '附：政策解读。' : '请认真贯彻执行。',
      });
    }
    // two batches (two runs per list)
    await t.ctx.db.transaction().execute((tx) => indexItems(tx, docs.slice(0, 300)));
    await t.ctx.db.transaction().execute((tx) => indexItems(tx, docs.slice(300)));
  });
  after(async () => {
    setSearchWorkCap(400_000);
    await t.close();
  });

  test('a capped count is a lower bound flagged as such, and every page is the uncapped page', async () => {
    const full = [];
    for (let page = 1; page <= 4; page++) full.push(await searchItems(t.ctx, { q: '通知 政策解读', page, pageSize: 20 }));
    assert.equal(full[0]!.total, 208); // 200 in the text, 12 in titles, 4 of them both
    assert.equal(full[0]!.totalCapped, false);
    assert.equal(full[0]!.titleHits, 12);
    setSearchWorkCap(10);
    for (let page = 1; page <= 4; page++) {
      const capped = await searchItems(t.ctx, { q: '通知 政策解读', page, pageSize: 20 });
      assert.deepEqual(capped.items.map((i) => [i.id, i.matchedIn]), full[page - 1]!.items.map((i) => [i.id, i.matchedIn]), `page ${page}`);
      assert.equal(capped.totalCapped, true);
      assert.ok(capped.total < 208 && capped.total >= page * 20, `total ${capped.total} on page ${page}`);
    }
    setSearchWorkCap(400_000);
    const page = await t.anonymous().get(`/search?q=${encodeURIComponent('通知 政策解读')}`);
    assert.match(page.body, /共找到 208 条/);
  });
});
