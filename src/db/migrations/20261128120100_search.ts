import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { withId } from '../dialect.js';
import { searchStorage } from '../search-seam.js';

/**
 * Chinese full-text search (src/modules/search): an inverted index of character bigrams (and single
 * characters of titles) that we control, the same on both engines.
 * - search_docs: one row per published item, what a result shows; `skey` orders by 发布日期 then id.
 * - search_blocks: compacted posting lists, per (field, gram), in blocks of sort keys, descending,
 *   delta-encoded as varints; a gram's list is a few sorted runs (size-tiered, merged as they grow).
 * - search_pending: postings of recently indexed items, one row each, merged into blocks in batches.
 * - search_meta: a single row, the writers' lock and the pending counter.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  const s = searchStorage(engine);
  await db.schema
    .createTable('search_docs')
    .addColumn('item_id', 'integer', (c) => c.primaryKey())
    .addColumn('skey', s.int64, (c) => c.notNull()) // item_id is embedded in it: found by item_id
    .addColumn('agency_id', 'integer', (c) => c.notNull())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('agency_name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('published_on', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_docs_category').on('search_docs').column('category').execute();

  await withId(engine, db.schema.createTable('search_blocks'))
    .addColumn('field', 'integer', (c) => c.notNull()) // 1 title (+文号), 2 full text
    .addColumn('gram', s.int64, (c) => c.notNull())
    .addColumn('run', 'integer', (c) => c.notNull()) // size-tiered runs: blocks of one run are disjoint
    .addColumn('max_skey', s.int64, (c) => c.notNull())
    .addColumn('min_skey', s.int64, (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('data', s.blob, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_blocks_gram').on('search_blocks').columns(['field', 'gram', 'max_skey']).execute();

  await sql
    .raw(
      `create table search_pending (field integer not null, gram ${s.int64} not null, skey ${s.int64} not null, ` +
        `primary key (field, gram, skey))${s.keyOnlyTableSuffix}`,
    )
    .execute(db);
  await db.schema.createIndex('search_pending_skey').on('search_pending').column('skey').execute();

  await db.schema
    .createTable('search_meta')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('gen', 'integer', (c) => c.notNull())
    .addColumn('pending_docs', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('search_meta').values({ id: 1, gen: 0, pending_docs: 0 }).execute();
}
