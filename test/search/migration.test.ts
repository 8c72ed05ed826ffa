/**
 * The migration from the bigram posting lists (20261128120100_search) to the engines' indexes
 * (20261207130000_search_fts) indexes the documents already there: a deployment upgraded in place finds what
 * it found before, now exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { up as oldSearch } from '../../src/db/migrations/20261128120100_search.js';
import { up as oldBlockMeta } from '../../src/db/migrations/20261128150100_search_block_meta.js';
import { up as newSearch } from '../../src/db/migrations/20261207130000_search_fts.js';
import { rankPage } from '../../src/modules/search/search.repository.js';
import { parseQuery } from '../../src/search/query.js';

describe('search migration: existing documents are indexed again', () => {
  let t: TestDb;
  let db: Kysely<any>;
  before(async () => {
    t = await createTestDb();
    db = t.store.db as unknown as Kysely<any>;
    // back to the tables as they were before 20261207130000
    if (t.store.engine === 'sqlite') await sql`drop table search_fts`.execute(db);
    await sql`drop table search_docs`.execute(db);
    await oldSearch(db, t.store.engine);
    await oldBlockMeta(db, t.store.engine);
    const row = (id: number, title: string, body: string, docNumber: string | null = null) => ({
      item_id: id, skey: id, agency_id: 1, agency_code: 'city', agency_name: '某市人民政府', category: '通知公告', published_on: `2025-01-0${id}`,
      title, doc_number: docNumber, summary: '', body, url: `/items/${id}`,
    });
    await db.insertInto('search_docs').values([
      row(1, '某市2024年政府信息公开工作年度报告', '本报告根据《中华人民共和国政府信息公开条例》编制。'),
      row(2, '关于印发工作要点的通知', '政府 信息 公开：三个词分开写。', '某政办发〔2025〕3号'),
      row(3, '中华人民共和国预算法', '第一条 为了规范政府收支行为……'),
    ]).execute();
    await newSearch(db, t.store.engine);
  });
  after(async () => t.cleanup());

  test('phrases, 文号, folding and the named statute work on the migrated documents', async () => {
    const ids = async (q: string) => (await rankPage(db as never, parseQuery(q).words, {}, 'relevance', 50, 0)).rows.map((r) => r.itemId);
    assert.deepEqual(await ids('政府信息公开'), [1]);
    assert.deepEqual((await ids('政府 公开')).sort(), [1, 2]);
    assert.deepEqual(await ids('某政办发〔2025〕3号'), [2]);
    assert.deepEqual(await ids('信息公開'), [1]);
    assert.deepEqual(await ids('预算法'), [3]);
    const r = await rankPage(db as never, parseQuery('公开').words, {}, 'relevance', 50, 0);
    assert.equal(r.total, 2);
    assert.equal(r.titleHits, 1);
    const gone = await sql<{ n: number }>`select count(*) as n from search_docs`.execute(db);
    assert.equal(Number(gone.rows[0]!.n), 3);
  });
});
