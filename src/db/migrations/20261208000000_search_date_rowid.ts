import { sql, type Kysely } from 'kysely';
import { runsOf } from '../../search/fold.js';
import { KEY_DAY_SPAN, KEY_ID_BIAS } from '../../search/key.js';
import { encodeRuns } from '../../search/prepare.js';
import type { Engine } from '../database.js';
import { searchSeam } from '../search-seam.js';

/**
 * The search documents' sort key becomes unique and exact (src/search/key.ts: 发布日期 × 2^32 + id + 2^31;
 * before, days × 2^26 + |id| mod 2^26, which an item and a report's section of the same day and number shared),
 * and on SQLite it becomes FTS5's rowid: FTS5's own order is then newest first, and a query above the count
 * cap is answered by FTS5 reading its lists backwards (issue 13, docs/search.md "SQLite, the whole city").
 *
 * SQLite: search_docs.skey computed again (the SQL below is docKey; test/search/date-rowid-migration.test.ts
 * compares them), and the FTS5 table is made again — with a third column of facets (the agency, category
 * and kind as tokens: a filtered search is narrowed inside FTS5), and with the one-character prefix index, which
 * 20261207220000 used to add by making it again too (that migration now leaves it to this one: one rebuild, not
 * two) — and every document's tokens are computed again from search_docs (the folded title and 文号, the
 * summary, the body and the attachments' text), as the search module writes them, then merged into one segment.
 * At 1 M documents the prefix migration's rebuild took 368 s and the merge 52 s.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  // PostgreSQL reads no key (its walk goes by published_on and item_id): rewriting every row there cost 187 s at
  // 1 M documents and left a million dead rows and GIN entries, searches 3–5× slower until a vacuum. Its rows
  // indexed before this keep the old key, new ones get docKey.
  if (engine !== 'sqlite') return;
  const id = sql`(item_id + ${sql.lit(KEY_ID_BIAS)})`;
  const day = sql`cast(julianday(substr(published_on, 1, 10)) - 2440587.5 as integer)`;
  await sql`update search_docs set skey = ${day} * ${sql.lit(KEY_DAY_SPAN)} + ${id}`.execute(db);

  const seam = searchSeam(engine);
  await sql`drop table search_fts`.execute(db);
  await seam.create(db);
  const split = (folded: string) => (folded ? folded.split(' ') : []);
  let after = Number.MIN_SAFE_INTEGER; // reports' and guides' documents have negative ids
  for (;;) {
    const rows = await db
      .selectFrom('search_docs')
      .select(['item_id', 'skey', 'agency_id', 'category', 'kind', 'ftitle', 'fdoc', 'summary', 'body', 'files'])
      .where('item_id', '>', after)
      .orderBy('item_id')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    await seam.writeEncoded(
      db,
      rows.map((r) => Number(r.skey)),
      rows.map((r) => {
        const files = r.files ? (JSON.parse(r.files) as { text: string }[]).map((f) => f.text) : [];
        return encodeRuns('sqlite', [split(r.ftitle), split(r.fdoc)], [r.summary, r.body, ...files].map(runsOf));
      }),
      rows.map((r) => ({ agencyId: r.agency_id, category: r.category, kind: r.kind })),
    );
    after = Number(rows[rows.length - 1]!.item_id);
  }
  // Written in batches, the index lies in several large segments, and every lookup visits each: merged into one.
  await sql`insert into search_fts(search_fts) values ('optimize')`.execute(db);
}
