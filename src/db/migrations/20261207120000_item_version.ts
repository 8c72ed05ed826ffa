import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * items.version: raised by every write to an item, so that a workflow step (submit, approve, sign off, an
 * editor's save) writes only over the version it read — a conditional update that a timestamp could not make
 * (two writes in the same millisecond).
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('items').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
