import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { withId } from '../dialect.js';

/** 依申请公开: requests, their events (the clock is computed from them), review cases (table 四). */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await withId(engine, db.schema.createTable('requests'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('tracking_no', 'text', (c) => c.notNull().unique())
    .addColumn('access_key_hash', 'text') // the applicant's private link (sha256 of the key)
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('disclosure')) // disclosure | record_correction (第41条)
    .addColumn('channel', 'text', (c) => c.notNull()) // online | letter | in_person | fax | email | other
    .addColumn('received_on', 'text', (c) => c.notNull()) // 收到申请之日 (第31条)
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('applicant_kind', 'text', (c) => c.notNull()) // contract APPLICANT_KIND
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('applicant_id_type', 'text')
    .addColumn('applicant_id_number', 'text')
    .addColumn('applicant_org_code', 'text')
    .addColumn('applicant_contact', 'text') // contact person for an organisation
    .addColumn('applicant_phone', 'text')
    .addColumn('applicant_email', 'text')
    .addColumn('applicant_address', 'text')
    .addColumn('applicant_postcode', 'text')
    .addColumn('applicant_key', 'text') // normalised identity for "same applicant" (fees per month, duplicates)
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text')
    .addColumn('form_wanted', 'text') // 获取信息的方式: paper | email | disk | pickup | online
    .addColumn('delivery', 'text') // 获取信息的途径: post | email | in_person | online
    .addColumn('status', 'text', (c) => c.notNull()) // open | correction_pending | paused | replied | reopened (see requests.tables.ts)
    .addColumn('due_on', 'text') // null while the clock is stopped for a correction
    .addColumn('calendar_flag', 'text') // set when the calendar does not cover a needed date
    .addColumn('outcome', 'text') // contract OUTCOME key once replied (更正: record.corrected|record.rejected|record.transferred)
    .addColumn('replied_on', 'text')
    .addColumn('reply_text', 'text')
    .addColumn('fee_method', 'text')
    .addColumn('fee_pages', 'integer')
    .addColumn('fee_yuan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_paid_on', 'text')
    .addColumn('handler_id', 'integer', (c) => c.references('users.id'))
    .addColumn('duplicate_of', 'integer')
    .addColumn('transferred_to', 'text') // 更正: the competent agency it was transferred to
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('requests_agency_received').on('requests').columns(['agency_id', 'received_on']).execute();
  await db.schema.createIndex('requests_agency_replied').on('requests').columns(['agency_id', 'replied_on']).execute();
  await db.schema.createIndex('requests_agency_status_due').on('requests').columns(['agency_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('requests_applicant').on('requests').columns(['agency_id', 'applicant_key']).execute();
  await db.schema.createIndex('requests_idempotency').on('requests').column('idempotency_key').unique().execute();

  await withId(engine, db.schema.createTable('request_events'))
    .addColumn('request_id', 'integer', (c) => c.notNull().references('requests.id'))
    .addColumn('type', 'text', (c) => c.notNull()) // contract ACTION, plus 'receive', 'assign', 'reopen', 'deliver', 'note'
    .addColumn('event_on', 'text', (c) => c.notNull()) // the statutory date of the event (YYYY-MM-DD)
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_events_request').on('request_events').columns(['request_id', 'id']).execute();

  // 行政复议 / 行政诉讼 (table 四), linked to the request they concern.
  await withId(engine, db.schema.createTable('review_cases'))
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('request_id', 'integer', (c) => c.references('requests.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // reconsideration | litigation_direct | litigation_after_reconsideration
    .addColumn('case_no', 'text')
    .addColumn('body', 'text') // 复议机关 / 人民法院
    .addColumn('filed_on', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull()) // upheld | corrected | other | pending
    .addColumn('concluded_on', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('review_cases_agency').on('review_cases').columns(['agency_id', 'filed_on']).execute();

  // Holiday arrangements loaded by an administrator for years the bundled calendar does not cover.
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('notice', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .execute();
}
