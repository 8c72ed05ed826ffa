import { sql, type Kysely } from 'kysely';
import { runsOf } from '../../search/fold.js';
import { encodeRuns } from '../../search/prepare.js';
import type { Engine } from '../database.js';
import { searchSeam } from '../search-seam.js';

/**
 * SQLite: the FTS5 index gains a prefix index of one character (issue 13, docs/search.md "One character"). A
 * one-character query is a prefix query (every token that starts with the character); without the prefix
 * index FTS5 merges the lists of every such bigram, again for each row the walk above the count cap checks:
 * 法 took 230 ms on the real corpus (p95), 15 ms with it. Indexing stays above the FTS5 trigram floor (1.05×).
 *
 * An FTS5 table cannot gain the option in place and a contentless one cannot rebuild itself: the table is made
 * again and every document's tokens are computed again from search_docs — the folded title and 文号 (their runs
 * joined by spaces), the summary, the body and the attachments' text — as the search module writes them.
 * PostgreSQL: nothing (its GIN index answers prefixes from the sorted token keys). At 1 M documents the
 * migration took 368 s, and the merge at its end 52 s more.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine !== 'sqlite') return;
  const seam = searchSeam(engine);
  await sql`drop table search_fts`.execute(db);
  await seam.create(db); // with the prefix index
  const split = (folded: string) => (folded ? folded.split(' ') : []);
  let after = Number.MIN_SAFE_INTEGER; // reports' and guides' documents have negative ids
  for (;;) {
    const rows = await db
      .selectFrom('search_docs')
      .select(['item_id', 'ftitle', 'fdoc', 'summary', 'body', 'files'])
      .where('item_id', '>', after)
      .orderBy('item_id')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    await seam.writeEncoded(
      db,
      rows.map((r) => r.item_id),
      rows.map((r) => {
        const files = r.files ? (JSON.parse(r.files) as { text: string }[]).map((f) => f.text) : [];
        return encodeRuns('sqlite', [split(r.ftitle), split(r.fdoc)], [r.summary, r.body, ...files].map(runsOf));
      }),
    );
    after = Number(rows[rows.length - 1]!.item_id);
  }
  // Written in batches, the index lies in several large segments, and every lookup visits each: merged into one
  // (52 s at 1 M documents; the walk's one-word searches were 4× slower unmerged).
  await sql`insert into search_fts(search_fts) values ('optimize')`.execute(db);
}
