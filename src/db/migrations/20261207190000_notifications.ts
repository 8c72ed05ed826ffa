import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import { withId } from '../dialect.js';

/**
 * Reminders and notices (src/modules/notifications):
 * - notification_contacts: where a staff member wants mail and text messages (email, mobile);
 * - notification_settings: an agency's reminder days before a limit ('5,2') and after how many overdue working
 *   days an overdue request goes up to the oversight office;
 * - notifications: one row per (kind, request, date, recipient), unique by dedupe_key — the key is what makes a
 *   reminder go out once across restarts and concurrent runners; read_at for the office list;
 * - notification_deliveries: one row per channel (email, webhook) with its attempts, the next try and the
 *   claim that keeps two runners from sending the same message.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('notification_contacts')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notification_settings')
    .addColumn('agency_id', 'integer', (c) => c.primaryKey().references('agencies.id'))
    .addColumn('lead_days', 'text', (c) => c.notNull())
    .addColumn('office_after', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await withId(engine, db.schema.createTable('notifications'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('request_id', 'integer', (c) => c.references('requests.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'read_at', 'id']).execute();
  await db.schema.createIndex('notifications_request').on('notifications').columns(['request_id']).execute();
  await withId(engine, db.schema.createTable('notification_deliveries'))
    .addColumn('notification_id', 'integer', (c) => c.notNull().references('notifications.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_deliveries_one').on('notification_deliveries').columns(['notification_id', 'channel']).unique().execute();
  await db.schema.createIndex('notification_deliveries_due').on('notification_deliveries').columns(['status', 'next_attempt_at']).execute();
}
