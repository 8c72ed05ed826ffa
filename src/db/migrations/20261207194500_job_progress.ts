import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Every job of the queue shows on the office's jobs page (src/modules/jobs), not only the report audits:
 * - subject: what the job works on, in words (“某市文化和旅游局 2024 年度报告”, “3 份报告”);
 * - href: where its result is seen once done (a page of the office);
 * - agency_id: the agency a job is about (a report's computation), when there is one;
 * - retry_limit: attempts after the first the queue makes (to say “第 2 次尝试，共 3 次”);
 * - worker, heartbeat_at: which process runs it and when it last said so (every few seconds while it runs):
 *   a running job whose heartbeat stopped was interrupted (its process died or restarted) and is waiting
 *   for the queue to take it again.
 * Same on both engines (ADD COLUMN of nullable or defaulted columns). Named after 20261207180100_jobs, which
 * creates the table: migrations run in name order on a new database.
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('subject', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('href', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('agency_id', 'integer').execute();
  await db.schema.alterTable('jobs').addColumn('retry_limit', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('jobs').addColumn('worker', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('heartbeat_at', 'text').execute();
  await db.schema.createIndex('jobs_created').on('jobs').column('created_at').execute();
  await db.schema.createIndex('jobs_state').on('jobs').column('state').execute();
}
