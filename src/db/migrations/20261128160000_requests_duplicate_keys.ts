import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The duplicate check of a new request (条例第36条第（六）项: the same applicant asking again for the same
 * information) compares it with the applicant's latest requests at the agency. It read up to 100 of them into
 * the process and normalised their subject and description there, on every submission; the normalised texts
 * are now stored as keys and compared by the database:
 * - subject_key: a hash of the subject without whitespace, punctuation and symbols, lower-cased;
 * - description_key: the same for the description, or NULL when that is shorter than 6 characters (too short
 *   to call two requests the same).
 * The index on (agency, applicant, received_on) serves the check directly: the one on (agency, applicant)
 * left the planners free to walk all of an agency's requests by date instead.
 *
 * Existing requests get their keys here. The normalisation is frozen in this file; requests.service
 * (duplicateKeys) computes the same for new requests.
 */
const norm = (s: string | null) => (s ?? '').replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();
const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('requests').addColumn('subject_key', 'text').execute();
  await db.schema.alterTable('requests').addColumn('description_key', 'text').execute();
  for (let last = 0; ; ) {
    const rows: { id: number; subject: string; description: string }[] = await db
      .selectFrom('requests')
      .select(['id', 'subject', 'description'])
      .where('id', '>', last)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const d = norm(r.description);
      await db
        .updateTable('requests')
        .set({ subject_key: hash(norm(r.subject)), description_key: d.length >= 6 ? hash(d) : null })
        .where('id', '=', r.id)
        .execute();
    }
    last = rows.at(-1)!.id;
  }
  await db.schema.createIndex('requests_applicant_received').on('requests').columns(['agency_id', 'applicant_key', 'received_on']).execute();
  await db.schema.dropIndex('requests_applicant').execute();
}
