import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { blobType, withId } from '../dialect.js';

/**
 * 督办 (src/modules/supervision): an oversight office's demand on an agency below it, with a deadline; the
 * agency's answers (text and files, kept in the database so every server of the site has them), the office's
 * acceptance or return. Every step is also in the audit log.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await withId(engine, db.schema.createTable('supervisions'))
    .addColumn('office_agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('year', 'integer', (c) => c.notNull()) // the year it was opened (counted per agency and year)
    .addColumn('matter', 'text', (c) => c.notNull()) // requests | report | other
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('request_ids', 'text') // JSON array of request ids (matter = requests)
    .addColumn('report_year', 'integer') // matter = report
    .addColumn('findings', 'text') // JSON snapshot of the report's state and findings when opened
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | answered | returned | accepted
    .addColumn('first_answered_on', 'text')
    .addColumn('accepted_on', 'text')
    .addColumn('opened_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervisions_agency_year').on('supervisions').columns(['agency_id', 'year']).execute();
  await db.schema.createIndex('supervisions_office').on('supervisions').columns(['office_agency_id', 'year']).execute();
  await withId(engine, db.schema.createTable('supervision_steps'))
    .addColumn('supervision_id', 'integer', (c) => c.notNull().references('supervisions.id'))
    .addColumn('step', 'text', (c) => c.notNull()) // open | answer | return | accept
    .addColumn('step_on', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_steps_of').on('supervision_steps').columns(['supervision_id', 'id']).execute();
  await withId(engine, db.schema.createTable('supervision_files'))
    .addColumn('supervision_id', 'integer', (c) => c.notNull().references('supervisions.id'))
    .addColumn('step_id', 'integer', (c) => c.notNull().references('supervision_steps.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', blobType(engine), (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_files_of').on('supervision_files').columns(['supervision_id']).execute();
}
