import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { withId } from '../dialect.js';

/**
 * 年度报告: one working copy per (agency, year) with its prose, the figures as last built, the workflow state,
 * and the snapshot last published to the 年报专栏. Publishing locks the year's records; an unlock (with its
 * reason) reopens them until the report is published again.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await withId(engine, db.schema.createTable('reports'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull()) // 2021 | 2019
    .addColumn('status', 'text', (c) => c.notNull()) // draft | submitted | reviewed | published
    .addColumn('scope', 'text', (c) => c.notNull()) // JSON: agency ids summed (the agency alone, or a roll-up)
    .addColumn('rollup', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('narrative', 'text', (c) => c.notNull()) // JSON Narrative (一、五、六 edited by staff)
    .addColumn('data', 'text') // JSON: the figures and findings as last built
    .addColumn('built_at', 'text')
    .addColumn('built_by', 'integer')
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'integer')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'integer')
    .addColumn('review_note', 'text')
    .addColumn('signed_by', 'integer')
    .addColumn('published_on', 'text') // first publication (for the deadline)
    .addColumn('published_at', 'text') // last publication
    .addColumn('published', 'text') // JSON: the AnnualReport as published (with contributions)
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_agency_year').on('reports').columns(['agency_id', 'year']).unique().execute();
  await db.schema.createIndex('reports_year_status').on('reports').columns(['year', 'status']).execute();

  // Explicit unlocks of a published year (条例第50条 data must not drift silently after publication).
  await withId(engine, db.schema.createTable('report_unlocks'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('unlocked_by', 'integer')
    .addColumn('unlocked_at', 'text', (c) => c.notNull())
    .addColumn('relocked_at', 'text')
    .execute();
  await db.schema.createIndex('report_unlocks_agency_year').on('report_unlocks').columns(['agency_id', 'year']).execute();
}
