import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { bigintType, withId } from '../dialect.js';

/**
 * 主动公开: the agency's catalogue (政府信息公开目录, 条例第12条) — categories and items — with the
 * publication workflow (draft → review → sign-off → published; withdraw), the screen kept with the item,
 * the 保密审查 and other steps, attachments, and the agency's 错敏词 list.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await withId(engine, db.schema.createTable('item_categories'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // statutory | column
    .addColumn('statute_ref', 'text') // e.g. '第二十条第（一）项'
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('item_categories_agency_name', ['agency_id', 'name'])
    .execute();

  await withId(engine, db.schema.createTable('items'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('index_no', 'text', (c) => c.notNull().unique())
    .addColumn('index_year', 'integer')
    .addColumn('index_serial', 'integer')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('category_id', 'integer', (c) => c.notNull().references('item_categories.id'))
    .addColumn('generated_on', 'text')
    .addColumn('published_on', 'text')
    .addColumn('due_on', 'text') // 第26条: the last day to publish (null when the calendar does not cover it)
    .addColumn('late', 'integer') // 1 published after due_on, 0 on time, null unknown / not published
    .addColumn('doc_number', 'text')
    .addColumn('publisher', 'text')
    .addColumn('subject_category', 'text')
    .addColumn('genre', 'text')
    .addColumn('disclosure_mode', 'text', (c) => c.notNull().defaultTo('proactive'))
    .addColumn('validity', 'text', (c) => c.notNull().defaultTo('valid'))
    .addColumn('status', 'text', (c) => c.notNull()) // draft | in_review | approved | published | withdrawn
    .addColumn('interprets_item_id', 'integer')
    .addColumn('withdrawn_reason', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('office')) // office | import | api
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('items_agency_status_pub').on('items').columns(['agency_id', 'status', 'published_on']).execute();
  await db.schema.createIndex('items_category_status_pub').on('items').columns(['category_id', 'status', 'published_on']).execute();
  await db.schema.createIndex('items_status_pub').on('items').columns(['status', 'published_on']).execute();
  // Few indexes: every one costs on the bulk import. The next serial of a year is read from the unique
  // index_no (a prefix range); interpretations are few, so their index is partial.
  await db.schema.createIndex('items_interprets').on('items').column('interprets_item_id').where(sql.ref('interprets_item_id'), 'is not', null).execute();

  // Each run of the screen, kept with the item: the hits (masked), and an override with its written reason.
  await withId(engine, db.schema.createTable('item_screenings'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('hit_count', 'integer', (c) => c.notNull())
    .addColumn('hits', 'text', (c) => c.notNull()) // JSON ScreeningHit[] (personal data masked)
    .addColumn('run_by', 'integer')
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('override_reason', 'text')
    .addColumn('override_by', 'integer')
    .addColumn('override_at', 'text')
    .execute();
  await db.schema.createIndex('item_screenings_item').on('item_screenings').columns(['item_id', 'id']).execute();

  // The steps of the workflow, each by a person with that role: submit, review, confidentiality (保密审查),
  // return, sign_off, withdraw, edit.
  await withId(engine, db.schema.createTable('item_steps'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text') // pass | fail | null
    .addColumn('opinion', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('actor_id', 'integer')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('item_steps_item').on('item_steps').columns(['item_id', 'id']).execute();

  await withId(engine, db.schema.createTable('item_attachments'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('stored_name', 'text', (c) => c.notNull().unique())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', bigintType(engine), (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('item_attachments_item').on('item_attachments').column('item_id').execute();

  // 错敏词: the agency's own list (agency_id null: the whole installation), added to the defaults of src/law.
  await withId(engine, db.schema.createTable('screening_words'))
    .addColumn('agency_id', 'integer')
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('suggestion', 'text')
    .addColumn('kind', 'text', (c) => c.notNull()) // wrong_word | sensitive_wording
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('screening_words_agency').on('screening_words').column('agency_id').execute();
}
