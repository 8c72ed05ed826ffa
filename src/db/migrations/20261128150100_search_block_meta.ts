import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * A query opens its grams' posting lists by reading the metadata of their blocks (run, key range, count):
 * hundreds of rows per query at a million items. The index now holds those columns, so the read is an index
 * scan alone; before, each row was fetched from the table, where a block's binary postings fill most of a
 * page (a page read per block: ≈ 1.4 ms of a 15 ms query at a million items on SQLite).
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.createIndex('search_blocks_meta').on('search_blocks').columns(['field', 'gram', 'max_skey', 'run', 'min_skey', 'n']).execute();
  await db.schema.dropIndex('search_blocks_gram').execute();
}
