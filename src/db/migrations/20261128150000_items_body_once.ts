import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * An item's body is stored once, as its sanitised HTML: the plain text (`body_text`) was a second copy of it
 * (≈ 40 % of an item's row), written on every import and publication; it is now derived from the HTML when
 * an item is read (src/modules/disclosure/content.ts htmlToText — what produced the stored copy).
 *
 * On PostgreSQL the large values compress with lz4 where the server has it (PostgreSQL 14+ built with lz4):
 * pglz, the default, cost more CPU on import than inserting the rows; the search blocks are delta-encoded
 * binary that does not compress, so they are stored without trying.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema.alterTable('items').dropColumn('body_text').execute();
  if (engine !== 'postgres') return;
  const lz4 = await sql<{ ok: number }>`select 1 as ok from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)`.execute(db);
  if (lz4.rows.length) {
    await sql`alter table items alter column body_html set compression lz4`.execute(db);
    await sql`alter table search_docs alter column body set compression lz4`.execute(db);
  }
  await sql`alter table search_blocks alter column data set storage external`.execute(db);
}
