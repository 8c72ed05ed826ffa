import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * requests.split_items: the 件 a request counts as after a 一事一申请 split (国办函〔2020〕109号第四条), 1 when not
 * split. 按件 fees count 件, not letters: a request's first 件 is 1 + the split_items of the applicant's earlier
 * requests in the natural month (src/law/fees.ts firstItemInMonth). Same statement on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('requests').addColumn('split_items', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}
