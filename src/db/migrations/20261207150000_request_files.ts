import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { bigintType, withId } from '../dialect.js';

/**
 * The files a reply releases to the applicant (依申请公开, 条例第40条: the information in the form provided):
 * uploaded by the handler, checked like an item's attachments, served only through the applicant's private access.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await withId(engine, db.schema.createTable('request_files'))
    .addColumn('request_id', 'integer', (c) => c.notNull().references('requests.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('stored_name', 'text', (c) => c.notNull().unique())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', bigintType(engine), (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_files_request').on('request_files').column('request_id').execute();
}
