import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Search at a province's size (issue 13, docs/search.md "Above the cap"): a word that most documents hold is
 * answered by walking the documents newest first and stopping at the first matches, instead of reading every
 * match. That walk needs the documents in date order, for the whole site and for one agency (an agency's own
 * search box), and the exact-title tier (预算法 → 中华人民共和国预算法) must be found without the match set.
 * The title key is its first 200 characters, so that no title is too long for a PostgreSQL B-tree entry.
 * Same statements on both engines.
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await sql`create index search_docs_date on search_docs (published_on, item_id)`.execute(db);
  await sql`create index search_docs_agency_date on search_docs (agency_id, published_on, item_id)`.execute(db);
  await sql`create index search_docs_title_key on search_docs (substr(ftitle, 1, 200))`.execute(db);
}
