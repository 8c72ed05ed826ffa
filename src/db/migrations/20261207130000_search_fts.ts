import { sql, type Kysely } from 'kysely';
import { refOf, refText } from '../../search/fold.js';
import { docKey } from '../../search/key.js';
import { columnTokens } from '../../search/query.js';
import type { Engine } from '../database.js';
import { tuneLargeValueStorage } from '../dialect.js';
import { searchSeam, searchStorage } from '../search-seam.js';

/**
 * Search on existing engines (issue 13, docs/search.md): the bigram posting blocks of our own give way to
 * SQLite FTS5 and PostgreSQL tsvector/GIN over the same tokens (src/db/search-seam.ts). search_docs gains
 * the folded title and 文号 (ranking: exact and title matches first) and, on PostgreSQL, the reference text
 * that words are checked against. Existing documents are indexed again here.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  const seam = searchSeam(engine);
  await db.schema.dropTable('search_blocks').execute();
  await db.schema.dropTable('search_pending').execute();
  await db.schema.dropTable('search_meta').execute();
  // search_docs again, its columns in a new order: what ranking and filters read before the long texts (SQLite
  // reads a row's columns in order: a column after the body is reached through the body's overflow pages).
  const s = searchStorage(engine);
  await db.schema.alterTable('search_docs').renameTo('search_docs_old').execute();
  await db.schema.dropIndex('search_docs_category').execute();
  await db.schema
    .createTable('search_docs')
    .addColumn('item_id', 'integer', (c) => c.primaryKey())
    .addColumn('skey', s.int64, (c) => c.notNull())
    .addColumn('agency_id', 'integer', (c) => c.notNull())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('agency_name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('published_on', 'text', (c) => c.notNull())
    .addColumn('ftitle', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('fdoc', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('ftext', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const cols = ['item_id', 'skey', 'agency_id', 'agency_code', 'agency_name', 'category', 'published_on', 'title', 'doc_number', 'url', 'summary', 'body'].join(', ');
  await sql.raw(`insert into search_docs (${cols}) select ${cols} from search_docs_old`).execute(db);
  await db.schema.dropTable('search_docs_old').execute();
  await db.schema.createIndex('search_docs_category').on('search_docs').column('category').execute();
  // as 20261128150000_items_body_once set for the old table: long texts compress with lz4 where the server has it
  await tuneLargeValueStorage(db, engine, { compressed: [['search_docs', 'body'], ['search_docs', 'ftext']], incompressible: [] });
  await seam.create(db);

  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('search_docs')
      .select(['item_id', 'published_on', 'title', 'doc_number', 'summary', 'body'])
      .where('item_id', '>', after)
      .orderBy('item_id')
      .limit(200)
      .execute();
    if (rows.length === 0) break;
    const entries = [];
    for (const r of rows) {
      const fields = [r.title, r.doc_number ?? '', r.summary, r.body];
      // the document's key as 20261208000000_search_date_rowid defines it (the FTS5 rowid: newest first)
      const key = docKey(r.published_on, r.item_id);
      const e = { itemId: r.item_id, key, title: columnTokens(fields.slice(0, 2)), body: columnTokens(fields.slice(2)) };
      entries.push(e);
      const extra = seam.engine === 'postgres' ? sql`, ftext = ${refText(fields)}, tsv = ${seam.docValues(e)[0]}::tsvector` : sql``;
      await sql`update search_docs set skey = ${key}, ftitle = ${refOf(r.title)}, fdoc = ${refOf(r.doc_number ?? '')}${extra} where item_id = ${r.item_id}`.execute(db);
    }
    await seam.writeIndex(db, entries);
    after = rows[rows.length - 1]!.item_id;
  }
}
