import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { withId } from '../dialect.js';

/**
 * 依申请转主动 (条例第四十四条): which requests a proactive item was drafted from (src/modules/disclosure-suggestions).
 * A request once converted is no longer suggested.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await withId(engine, db.schema.createTable('request_conversions'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('request_id', 'integer', (c) => c.notNull().references('requests.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_conversions_one').on('request_conversions').columns(['request_id', 'item_id']).unique().execute();
  await db.schema.createIndex('request_conversions_agency').on('request_conversions').columns(['agency_id', 'item_id']).execute();
}
