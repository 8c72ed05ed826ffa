import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/** 考核 (src/modules/assessment): the weights an oversight office sets for a year's score sheet (JSON by indicator). */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('assessment_weights')
    .addColumn('office_agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('weights', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assessment_weights_pk', ['office_agency_id', 'year'])
    .execute();
}
