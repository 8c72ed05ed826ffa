import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Letters that cite exactly (issue 14):
 * - agencies.abbr: the 机关代字 of the 发文字号 (GB/T 9704 7.2.4), e.g. 哈文旅;
 * - agencies.reconsideration_body: the 复议机关 the agency records itself, overriding the rule of
 *   行政复议法第二十四条 (vertical systems, 第二十七条; a province, 第二十五条; no government above it);
 * - letter_numbers: one serial per agency, kind of letter and year, drawn when a request's letter of that kind is
 *   first issued and kept for it (the receipt and the reply no longer share the request's number).
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('agencies').addColumn('abbr', 'text').execute();
  await db.schema.alterTable('agencies').addColumn('reconsideration_body', 'text').execute();
  await db.schema
    .createTable('letter_numbers')
    .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('request_id', 'integer', (c) => c.notNull().references('requests.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('letter_numbers_pk', ['agency_id', 'kind', 'year', 'serial'])
    .addUniqueConstraint('letter_numbers_request_kind', ['request_id', 'kind'])
    .execute();
}
