import type { Kysely } from 'kysely';

/**
 * 一人办公 (issue 16): an agency whose information-disclosure work is done by one person may have its annual
 * report drafted and signed off by the same account; every other agency needs a second person to sign off.
 * Set by an administrator, recorded in the audit log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agencies').addColumn('one_person_office', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
