/**
 * The hourly tidy-up of the search index (search.maintenance): on SQLite, FTS5's crowded levels of segments merged in
 * small steps (what keeps the date walk's lookups by rowid cheap after bulk imports, docs/search.md); answers
 * are the same before and after, on both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { findAgency } from '../../src/modules/agencies/agencies.service.js';
import { indexItems, searchItems, tidySearchIndex, type SearchDoc } from '../../src/modules/search/search.service.js';
import { parseFts5Structure } from '../../src/db/fts5-structure.js';
import { spreadOut } from '../../src/db/search-seam.js';

describe('the search index tidy-up', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    // As a bulk import leaves it: FTS5's merging as it writes does not keep up (here: switched off while writing)
    if (t.ctx.engine === 'sqlite') await sql`insert into search_fts(search_fts, rank) values ('automerge', 0)`.execute(t.ctx.db);
    await t.agency('city', { name: '某市人民政府' });
    const a = (await findAgency(t.ctx, 'city'))!;
    // 240 documents written two at a time: many small segments, as a day of single publications leaves them
    for (let i = 0; i < 240; i += 2) {
      const docs: SearchDoc[] = [0, 1].map((k) => ({
        itemId: i + k + 1, agencyId: a.id, agencyCode: 'city', agencyName: a.name, summary: '', category: '通知公告', docNumber: null, url: `/items/${i + k + 1}`,
        title: `关于第${i + k}批${(i + k) % 3 ? '营商环境' : '安全生产'}工作的通知`, publishedOn: `2025-0${((i + k) % 9) + 1}-1${(i + k) % 10}`,
        body: `第${i + k}号文件。${(i + k) % 4 ? '优化营商环境，推进政务公开。' : '落实安全生产责任制。'}`,
      }));
      await t.ctx.db.transaction().execute((tx) => indexItems(tx, docs));
    }
    if (t.ctx.engine === 'sqlite') await sql`insert into search_fts(search_fts, rank) values ('automerge', 4)`.execute(t.ctx.db);
  });
  after(async () => t.close());

  const answers = async () => {
    const out: unknown[] = [];
    for (const q of ['营商环境', '安全生产', '通知', '第1', '政务公开 营商环境']) {
      for (const sort of ['relevance', 'date'] as const) {
        const r = await searchItems(t.ctx, { q, sort, pageSize: 50 });
        out.push([q, sort, r.total, r.titleHits, r.items.map((i) => i.id)]);
      }
    }
    return out;
  };

  test('merges the segments in steps and answers the same', async () => {
    const before = await answers();
    const structure = async () =>
      parseFts5Structure((await sql<{ block: Uint8Array }>`select block from search_fts_data where id = 10`.execute(t.ctx.db)).rows[0]!.block);
    const segments = async () => (await structure()).levels.flat().length;
    const sqlite = t.ctx.engine === 'sqlite';
    const was = sqlite ? await segments() : 0;
    // one step at most (budget 0), then to the end; PostgreSQL has nothing to do
    const first = await tidySearchIndex(t.ctx, 0);
    assert.equal(first.steps, sqlite ? 1 : 0);
    const rest = await tidySearchIndex(t.ctx, 60_000);
    assert.equal(rest.done, true);
    if (sqlite) {
      assert.ok(was > 10, `the writes left many segments (${was}; FTS5 merges at 16 on a level whatever automerge says)`);
      // 120 small segments: spread out, so merged into one
      assert.equal(spreadOut(await structure()), false);
      assert.equal(await segments(), 1, `one segment after the tidy-up (was ${was})`);
      const again = await tidySearchIndex(t.ctx, 60_000);
      assert.deepEqual(again, { steps: 1, done: true }, 'nothing left to merge');
    }
    assert.deepEqual(await answers(), before);
  });

  test('when the whole index is merged: several large segments, not a few small ones', () => {
    const of = (...levels: number[][]) => ({ levels: levels.map((l) => l.map((pages, id) => ({ id, pages }))) });
    // the 1 M-item city after the prefix migration (leaf pages per segment, level by level)
    assert.equal(spreadOut(of([], [742, 563], [2785, 2760], [10839], [43562, 43820, 44214], [177807], [703991])), true);
    assert.equal(spreadOut(of([], [], [1031042])), false, 'merged');
    assert.equal(spreadOut(of([3, 2, 1], [40], [], [1031042])), false, 'a day of publications on a merged index');
    assert.equal(spreadOut(of([1, 1, 1], [4, 4, 4], [16, 16, 16], [64, 64], [1031042])), false, 'a few days of publications: three per level');
    assert.equal(spreadOut(of(Array(17).fill(1))), true, 'many small segments');
    assert.equal(spreadOut(of([60000], [1000000])), true, 'a bulk import of 6 %');
    assert.equal(spreadOut(null), false);
  });
});
