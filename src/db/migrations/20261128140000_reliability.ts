import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/** The per-applicant daily limit on portal filings counts requests by applicant and day: index for it. */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.createIndex('requests_applicant_day').on('requests').columns(['applicant_key', 'received_on']).execute();
}
