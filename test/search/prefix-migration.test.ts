/**
 * 20261207220000_search_prefix makes SQLite's FTS5 table again with a one-character prefix index and computes
 * every document's tokens again from search_docs: the index afterwards holds exactly what indexing wrote
 * (every token instance: fts5vocab), for items with 文号, summaries and attachments, and for a guide (a
 * document with a negative id and a label), and every answer stays the same. PostgreSQL: nothing changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { up as prefixMigration } from '../../src/db/migrations/20261207220000_search_prefix.js';
import { rankPage } from '../../src/modules/search/search.repository.js';
import { indexGuide, indexItems } from '../../src/modules/search/search.service.js';
import { parseQuery } from '../../src/search/query.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

describe('search prefix migration: the index made again from search_docs', () => {
  let t: TestDb;
  let db: Kysely<any>;
  const QUERIES = ['法', '税', '公', '政府信息公开', '某政办发〔2025〕3号', '附件', '营商環境', 'PM2.5', '5', '指南', '申请 方式', '𠀀'];
  const answers = async () => {
    const out: Record<string, unknown> = {};
    for (const q of QUERIES) {
      const r = await rankPage(db as never, parseQuery(q).words, {}, 'relevance', 50, 0);
      out[q] = { total: r.total, ids: r.rows.map((x) => x.itemId) };
    }
    return out;
  };
  const instances = async () =>
    t.store.engine === 'sqlite'
      ? (await sql<{ term: string; doc: number; col: string; offset: number }>`select term, doc, col, offset from search_fts_vocab order by doc, col, offset, term`.execute(db)).rows
      : [];

  before(async () => {
    t = await createTestDb();
    db = t.store.db as unknown as Kysely<any>;
    if (t.store.engine === 'sqlite') await sql`create virtual table search_fts_vocab using fts5vocab(search_fts, 'instance')`.execute(db);
    const doc = (itemId: number, title: string, body: string, extra: object = {}) => ({
      itemId, agencyId: 1, agencyCode: 'city', agencyName: '某市人民政府', title, summary: '', body, category: '通知公告', publishedOn: `2025-0${itemId}-01`, docNumber: null, url: `/items/${itemId}`, ...extra,
    });
    await t.store.db.transaction().execute((tx) =>
      indexItems(tx, [
        doc(1, '某市税务局关于营商环境的通知', '依法纳税。PM2.5 与 5G。', { docNumber: '某政办发〔2025〕3号', summary: '政府信息公开：法治政府。' }),
        doc(2, '关于征求意见的公告', '见附件。', { attachments: [{ name: '附件1.docx', text: '附件：营商環境评价指标，法规清单。' }, { name: '附件2.pdf', text: '' }] }),
        doc(3, '中华人民共和国预算法', '第一条 为了规范政府收支行为，强化预算约束，制定本法。𠀀𡈽'),
        doc(4, '', '无标题的文件，政府信息公开。'),
      ]),
    );
    await t.store.db.transaction().execute((tx) =>
      indexGuide(tx, { agencyId: 1, agencyCode: 'city', agencyName: '某市人民政府', title: '某市人民政府政府信息公开指南', text: '一、申请方式：当面、信函、网上。二、收费：不收费。', url: '/guide/city', updatedOn: '2026-01-05' }),
    );
  });
  after(async () => t.cleanup());

  test('every token instance and every answer is the same after the migration', async () => {
    const before = { answers: await answers(), instances: await instances() };
    if (t.store.engine === 'sqlite') {
      assert.ok(before.instances.length > 100, 'the index holds the documents');
      assert.ok(before.instances.some((r) => r.doc < 0), 'the guide (a negative id) is there');
      // back to the table as it was before (no prefix index; its content does not matter: it is made again)
      await sql`drop table search_fts_vocab`.execute(db);
      await sql`drop table search_fts`.execute(db);
      await sql`create virtual table search_fts using fts5(title, body, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
    }
    await prefixMigration(db, t.store.engine);
    if (t.store.engine === 'sqlite') {
      const ddl = await sql<{ sql: string }>`select sql from sqlite_master where name = 'search_fts'`.execute(db);
      assert.match(ddl.rows[0]!.sql, /prefix='1'/);
      await sql`create virtual table search_fts_vocab using fts5vocab(search_fts, 'instance')`.execute(db);
    }
    assert.deepEqual(await instances(), before.instances);
    const now = await answers();
    assert.deepEqual(now, before.answers);
    assert.deepEqual(now['法'], { total: 3, ids: [3, 1, 2] }, '法: a title, then the summary and an attachment by score');
    assert.deepEqual((now['申请 方式'] as { ids: number[] }).ids.length, 1, 'the guide');
    assert.deepEqual(now['𠀀'], { total: 1, ids: [3] });
  });
});
