import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

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
export async function up(_db: Kysely<any>, _engine: Engine): Promise<void> {
  // Superseded: 20261208000000_search_date_rowid makes the FTS5 table again anyway (its rowid becomes the
  // document's date key) and creates it with the prefix index; doing it here too would compute a large site's
  // index twice in one upgrade. Until that change this migration made the table again as described above.
}
