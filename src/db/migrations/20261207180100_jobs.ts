import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { searchStorage } from '../search-seam.js';

/**
 * Background jobs as the site sees them (src/modules/jobs): what a job is for, whose it is, its progress,
 * result or error — kept in the database so that any process can show a job's page and a job survives a
 * restart. (Dispatch — which process runs it, when, retries — is the queue's: src/db/queue.ts.)
 * job_files: the uploads a job works on (a report audit's files), removed with the job.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer')
    .addColumn('owner_name', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // queued | running | done | failed
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_kind_created').on('jobs').columns(['kind', 'created_at']).execute();
  await db.schema
    .createTable('job_files')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull()) // 'file' | 'previous'
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', searchStorage(engine).blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('job_files_pk', ['job_id', 'seq'])
    .execute();
}
