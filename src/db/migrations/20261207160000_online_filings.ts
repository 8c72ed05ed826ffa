import type { Kysely } from 'kysely';

/**
 * Where a public online filing came from, for the per-applicant daily limit (issue 16): a keyed hash of the
 * client's address (never the address itself), with the applicant key and the day. The limit counts an
 * applicant's filings from the same address only, so that someone who types another person's ID number
 * elsewhere cannot use up that person's filings.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('online_filings')
    .addColumn('request_id', 'integer', (c) => c.primaryKey().references('requests.id'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('applicant_key', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('online_filings_applicant_day').on('online_filings').columns(['applicant_key', 'origin', 'received_on']).execute();
}
