import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { tuneLargeValueStorage } from '../dialect.js';

/**
 * An item's body is stored once, as its sanitised HTML: the plain text (`body_text`) was a second copy of it
 * (≈ 40 % of an item's row), written on every import and publication; it is now derived from the HTML when
 * an item is read (src/modules/disclosure/content.ts htmlToText — what produced the stored copy).
 *
 * On PostgreSQL the large values compress with lz4 where the server has it, and the search blocks (delta-
 * encoded binary that does not compress) are stored without trying (see tuneLargeValueStorage).
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema.alterTable('items').dropColumn('body_text').execute();
  await tuneLargeValueStorage(db, engine, {
    compressed: [['items', 'body_html'], ['search_docs', 'body']],
    incompressible: [['search_blocks', 'data']],
  });
}
