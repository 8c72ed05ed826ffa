/**
 * 20261208000000_search_date_rowid computes every document's sort key again (src/search/key.ts; its SQL must be
 * docKey) and makes SQLite's FTS5 table again — with the one-character prefix index and the keys as rowids — from
 * search_docs: the index afterwards holds exactly what indexing wrote (every token instance: fts5vocab), for
 * items with 文号, summaries and attachments, and for a guide (a document with a negative id and a label), and
 * every answer stays the same. PostgreSQL reads no key: the migration leaves its rows, and answers stay the same. It starts from the state before it: the old keys (days × 2^26 + |id| mod 2^26)
 * and the table without the prefix index, its rowids the item ids.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { up as dateRowidMigration } from '../../src/db/migrations/20261208000000_search_date_rowid.js';
import { docKey } from '../../src/search/key.js';
import { rankPage } from '../../src/modules/search/search.repository.js';
import { indexGuide, indexItems } from '../../src/modules/search/search.service.js';
import { parseQuery } from '../../src/search/query.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

describe('search key migration: the keys and the index made again from search_docs', () => {
  let t: TestDb;
  let db: Kysely<any>;
  const QUERIES = ['法', '税', '公', '政府信息公开', '某政办发〔2025〕3号', '附件', '营商環境', 'PM2.5', '5', '指南', '申请 方式', '𠀀', '1969'];
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
        // before 1970 (a negative day) and a large id
        doc(2_000_000_000, '1969年的通知', '政府信息公开。', { publishedOn: '1969-12-31' }),
      ]),
    );
    await t.store.db.transaction().execute((tx) =>
      indexGuide(tx, { agencyId: 1, agencyCode: 'city', agencyName: '某市人民政府', title: '某市人民政府政府信息公开指南', text: '一、申请方式：当面、信函、网上。二、收费：不收费。', url: '/guide/city', updatedOn: '2026-01-05' }),
    );
  });
  after(async () => t.cleanup());

  const keys = async () => (await sql<{ item_id: number; skey: number; published_on: string }>`select item_id, skey, published_on from search_docs order by item_id`.execute(db)).rows.map((r) => ({ ...r, item_id: Number(r.item_id), skey: Number(r.skey) }));

  test('every key, every token instance and every answer is the same after the migration', async () => {
    const before = { answers: await answers(), instances: await instances(), keys: await keys() };
    assert.equal(before.keys.length, 6);
    for (const k of before.keys) assert.equal(k.skey, docKey(k.published_on, k.item_id), 'indexing writes docKey');
    if (t.store.engine === 'sqlite') {
      assert.ok(before.instances.length > 100, 'the index holds the documents');
      const docs = new Set(before.instances.map((r) => r.doc));
      assert.deepEqual([...docs].sort((a, b) => a - b), before.keys.map((k) => k.skey).sort((a, b) => a - b), "FTS5's rowids are the keys");
      // back to the table as it was before (no prefix index, rowids the item ids) and the old keys
      await sql`drop table search_fts_vocab`.execute(db);
      await sql`drop table search_fts`.execute(db);
      await sql`create virtual table search_fts using fts5(title, body, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
      await sql`insert into search_fts (rowid, title, body) select item_id, title, body from search_docs`.execute(db);
    }
    const old = before.keys.map((k) => ({ ...k, skey: Math.floor(Date.parse(`${k.published_on}T00:00:00Z`) / 86_400_000) * 2 ** 26 + (Math.abs(k.item_id) % 2 ** 26) }));
    for (const k of old) await sql`update search_docs set skey = ${k.skey} where item_id = ${k.item_id}`.execute(db);
    await dateRowidMigration(db, t.store.engine);
    if (t.store.engine === 'sqlite') assert.deepEqual(await keys(), before.keys, 'the SQL of the migration computes docKey');
    else assert.deepEqual(await keys(), old, 'PostgreSQL reads no key: its rows are not rewritten');
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
    assert.deepEqual(now['1969'], { total: 1, ids: [2_000_000_000] });
  });
});
