/**
 * The search seam: the one place where full-text search differs between SQLite and PostgreSQL. Both index the
 * same tokens (src/search/query.ts: character bigrams of each run and the run's last character) and answer the
 * same semantics (a word matches where its reference form is a substring of the document's):
 * - SQLite: an FTS5 table (contentless, deletable) over the tokens; a word is an FTS5 phrase, which is exact
 *   by construction; the score is FTS5's bm25() with the title column weighted. A prefix index of one
 *   character answers a one-character word (every token that starts with it) from one list.
 * - PostgreSQL: a tsvector column with a GIN index over the same tokens. Every token of every word must be
 *   there (the index narrows), then each word that the tokens alone do not decide (three characters or more,
 *   or several runs) is checked as a substring of the stored reference text (`ftext`): exact. PostgreSQL's
 *   tsvector positions stop at 16383 and 256 per token, so positions serve ranking (ts_rank, title tokens
 *   weighted A, length-normalised), never matching.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { encodeIndex } from '../search/prepare.js';
import { KEY_DAY_SPAN, KEY_ID_BIAS, keyRange } from '../search/key.js';
import { fts5Match, tsQueryText, wordTokens } from '../search/query.js';
import type { BulkColumn } from './bulk.js';
import { bulkInsert } from './bulk.js';
import { parseFts5Structure, type Fts5Structure } from './fts5-structure.js';
import type { Engine } from './database.js';
import { engineOf } from './dialect.js';

/** Weight of the title column (title + 文号) against the text (summary + body) in the score. */
export const TITLE_WEIGHT = 10;

export interface IndexEntry {
  itemId: number;
  /** The document's sort key (src/search/key.ts): SQLite's FTS5 rowid, so that FTS5's order is newest first. */
  key: number;
  /** Tokens of the title column (title, barrier, 文号). */
  title: string[];
  /** Tokens of the text column (summary, barrier, body). */
  body: string[];
  /** What a search can be narrowed to (SQLite: tokens of a third column, `facetText`); none: not narrowed by it. */
  facets?: DocFacets;
}

/** What a document is filed under, as search filters see it. */
export interface DocFacets {
  agencyId: number;
  category: string;
  kind: string;
}

/**
 * A search's filter as the index applies it: SQLite narrows FTS5 itself (facet tokens; a year is a range of
 * rowids, the documents' keys); PostgreSQL adds the columns' conditions to its match.
 */
export interface IndexFilter {
  agencyId?: number;
  category?: string;
  /** 'item', 'report' or 'guide'. */
  kind?: string;
  year?: number;
}

export interface SearchSeam {
  engine: Engine;
  /** PostgreSQL checks words against the stored reference text; SQLite's phrases need none (stored empty). */
  storesRefText: boolean;
  /** Extra columns of search_docs this engine fills, and their values for one entry. */
  docColumns: BulkColumn[];
  docValues(e: IndexEntry): unknown[];
  /** Write the index entries of documents whose search_docs rows were just inserted. */
  writeIndex(tx: Kysely<any>, entries: IndexEntry[]): Promise<void>;
  /** The extra search_docs values of a document from its encoded index values (src/search/prepare.ts). */
  docValuesEncoded(index: string[]): unknown[];
  /** writeIndex from encoded index values and the documents' facets, in the order of their keys (search_docs.skey). */
  writeEncoded(tx: Kysely<any>, keys: number[], index: string[][], facets: (DocFacets | undefined)[]): Promise<void>;
  /** Remove documents from the index (before their search_docs rows go). */
  removeIndex(tx: Kysely<any>, itemIds: number[]): Promise<void>;
  /**
   * A subquery of (item_id, score) for the documents holding every word (reference forms); score 0 without
   * `score`. With `filter`, only the documents within it.
   */
  matches(words: string[], score?: boolean, filter?: IndexFilter): RawBuilder<{ item_id: number; score: number }>;
  /**
   * The score of a search_docs row `alias` for the words, when the engine computes it from the row alone
   * (PostgreSQL: ts_rank of its tsvector), or null (SQLite: bm25 exists only inside the FTS5 query). With it,
   * the count up to the cap and the first page are one statement (search.repository.ts rankPage): PostgreSQL's
   * index hands over every candidate at once and each is checked in full, so counting first and then
   * ranking checked every candidate twice.
   */
  rowScore: ((words: string[], alias: string) => RawBuilder<number>) | null;
  /**
   * Above this many matches a query is answered from the date-ordered scan (search.repository.ts rankPage): the
   * total becomes a lower bound and the order exact titles, then newest first.
   */
  countCap: number;
  /**
   * A predicate on the search_docs row `alias`: the document holds every word (exact, the same answer as
   * `matches`), cheap enough per row for a scan in date order that stops at the first matches — for an engine
   * without `newest` (PostgreSQL); null where `newest` answers (SQLite).
   */
  rowMatches: ((words: string[], alias: string) => RawBuilder<boolean>) | null;
  /**
   * The documents holding every word within `filter` (exactly), newest first, at most `limit`, read from the
   * index in its own order and stopped at the last — or null where the index has no date order (PostgreSQL: the
   * walk through search_docs by date answers). SQLite: FTS5's rowid is the document's key (src/search/key.ts),
   * so this is FTS5 reading its lists backwards.
   */
  newest: ((words: string[], limit: number, filter?: IndexFilter) => RawBuilder<{ item_id: number }>) | null;
  /**
   * How many documents likely hold every word, and as a share of all, from the engine's own statistics
   * (PostgreSQL: the most common tokens of the tsvector column and the table's row count, from ANALYZE), or
   * null when it keeps none that tell. An estimate (an upper bound, as far as statistics go), used only to
   * choose how to answer, never shown.
   */
  density(db: Kysely<any>, words: string[]): Promise<{ share: number; matches: number } | null>;
  /** Run statements of the date-ordered scan inside `reading` (PostgreSQL: planned on the date index). */
  ordered<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T>;
  /** Run a search's statements (PostgreSQL: in a read-only transaction that plans them on the index). */
  reading<T>(db: Kysely<any>, fn: (db: Kysely<any>) => Promise<T>): Promise<T>;
  /** 1-based position of a needle in a text column expression, 0 when absent. */
  instr(hay: RawBuilder<string>, needle: string): RawBuilder<number>;
  /**
   * Before writing many entries in this transaction. PostgreSQL: new GIN entries go to a pending list of up to
   * 64 MB that is merged into the index in one sorted pass in 256 MB of work memory (the defaults, 4 MB each,
   * merge every few dozen statutes, each pass rewriting the same posting trees: three times the cost).
   */
  beginBulk(tx: Kysely<any>): Promise<void>;
  /**
   * Merge what bulk writes left pending (PostgreSQL: gin_clean_pending_list, so that the next single publish
   * does not pay for it and searches do not scan it); SQLite: nothing. Answers are the same before and after.
   */
  settle(db: Kysely<any>): Promise<void>;
  /** Create the index structures (migration), empty. */
  create(db: Kysely<any>): Promise<void>;
  /** Tidy the index after bulk imports (SQLite: FTS5 optimize; PostgreSQL: analyze). */
  optimize(db: Kysely<any>): Promise<void>;
  /**
   * The hourly tidy-up, in small steps for at most `budgetMs` (writers get the database between steps).
   * SQLite: FTS5 merges the levels of the index that hold too many segments, to the end — or, when the index is
   * spread over several large segments (`spreadOut`: after a bulk import or the index made again), everything
   * into one. FTS5's own merging as it is written leaves a bulk-imported index in many segments, and every
   * lookup of one document by rowid — what the date walk above the count cap does for each row — visits them
   * all: 75 µs a row instead of 7.5 µs on a 730 000-item city (docs/search.md). PostgreSQL: nothing
   * (autovacuum; GIN merges its pending list).
   * `done`: nothing was left to merge.
   */
  tidy(db: Kysely<any>, budgetMs: number): Promise<{ steps: number; done: boolean }>;
}

const sqlite: SearchSeam = {
  engine: 'sqlite',
  storesRefText: false,
  docColumns: [],
  docValues: () => [],
  async writeIndex(tx, entries) {
    await sqlite.writeEncoded(tx, entries.map((e) => e.key), entries.map((e) => encodeIndex('sqlite', e.title, e.body)), entries.map((e) => e.facets));
  },
  docValuesEncoded: () => [],
  async writeEncoded(tx, keys, index, facets) {
    // In ascending rowid order: FTS5 writes its pending terms out as a new segment whenever a rowid is below the
    // one before (fts5_index.c, BeginWrite), and keys follow the dates, which an import does not (a corpus in
    // the order of its issuing bodies: every other document flushed, indexing at 0.80× the floor instead of 1×).
    const order = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
    await bulkInsert(tx, 'search_fts', FTS_COLUMNS, order.map((i) => [keys[i]!, ...index[i]!, facetText(facets[i])]));
  },
  async removeIndex(tx, itemIds) {
    // FTS5's rowids are the documents' keys
    for (let i = 0; i < itemIds.length; i += 500) {
      await sql`delete from search_fts where rowid in (select skey from search_docs where item_id in (${sql.join(itemIds.slice(i, i + 500))}))`.execute(tx);
    }
  },
  matches: (words, score = true, filter) =>
    sql<{ item_id: number; score: number }>`select ${FTS_ITEM_ID} as item_id, ${score ? sql`-bm25(search_fts, ${sql.lit(TITLE_WEIGHT)}, 1.0, 0.0)` : sql`0`} as score from search_fts where ${ftsWhere(words, filter)}`,
  rowScore: null,
  get countCap() {
    return countCapOverride() ?? 2000;
  },
  rowMatches: null,
  newest: (words, limit, filter) => sql<{ item_id: number }>`select ${FTS_ITEM_ID} as item_id from search_fts where ${ftsWhere(words, filter)} order by rowid desc limit ${limit}`,
  density: async () => null,
  ordered: (_db, fn) => fn(),
  reading: (db, fn) => fn(db),
  instr: (hay, needle) => sql<number>`instr(${hay}, ${needle})`,
  beginBulk: async () => {},
  settle: async () => {},
  async create(db) {
    // ascii: every non-ASCII character is a token character, ASCII separators split: our tokens pass as they are.
    // facets: a document's agency, category and kind as ASCII tokens (facetText), so that a filtered search is
    // narrowed inside FTS5 (weight 0 in the score; words never match in it).
    await sql`create virtual table search_fts using fts5(title, body, facets, content='', contentless_delete=1, tokenize='ascii', prefix='1')`.execute(db);
  },
  async optimize(db) {
    await sql`insert into search_fts(search_fts) values ('optimize')`.execute(db);
  },
  async tidy(db, budgetMs) {
    const end = Date.now() + budgetMs;
    const changes = async () => Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]?.n ?? 0);
    // Decided once per run, from the structure as it is: merge everything into one segment when the index is
    // spread over several large ones, otherwise only the levels FTS5 finds crowded.
    const whole = spreadOut(await fts5Structure(db));
    for (let steps = 1; ; steps++) {
      const before = await changes();
      // A positive page count merges only levels that hold enough segments (FTS5's own rule, as its automerge
      // would given the time); a negative one merges towards a single segment (as optimize, in steps).
      await sql`insert into search_fts(search_fts, rank) values ('merge', ${whole ? -TIDY_PAGES : TIDY_PAGES})`.execute(db);
      if ((await changes()) - before < 2) return { steps, done: true }; // FTS5: no work was done
      if (Date.now() >= end) return { steps, done: false };
      await new Promise((r) => setTimeout(r, 10));
    }
  },
};
/** Leaf pages one step of the SQLite tidy-up may write (FTS5 'merge'): a fraction of a second each. */
const TIDY_PAGES = 256;

async function fts5Structure(db: Kysely<any>): Promise<Fts5Structure | null> {
  const r = await sql<{ block: Uint8Array }>`select block from search_fts_data where id = 10`.execute(db);
  return r.rows[0] ? parseFts5Structure(r.rows[0].block) : null;
}

/**
 * The index is spread over several large segments: those besides the largest hold 5 % of its leaf pages or
 * more, or there are more than 16 (FTS5 itself merges a level at 16, whatever automerge says). Every lookup visits every segment, so such an index answers several times
 * slower than one merged (docs/search.md: the 1 M-item city after the prefix migration had 10 segments, 32 % of
 * the pages outside the largest; the walk's one-word p95 was 35.8 ms, 8.2 ms merged). A day of single
 * publications leaves a few small segments (about three per level), well under 5 %: those are left to the
 * levels' merging, so that a large merged index is not rewritten every hour on an active site.
 */
export function spreadOut(s: Fts5Structure | null): boolean {
  const pages = (s?.levels.flat() ?? []).map((g) => g.pages);
  if (pages.length <= 1) return false;
  const total = pages.reduce((a, b) => a + b, 0);
  return pages.length > 16 || total - Math.max(...pages) >= 0.05 * total;
}
/** The document id in an FTS5 rowid (its key's low 32 bits: src/search/key.ts idOfKey). */
const FTS_ITEM_ID = sql`(search_fts.rowid & ${sql.lit(KEY_DAY_SPAN - 1)}) - ${sql.lit(KEY_ID_BIAS)}`;
const FTS_COLUMNS: BulkColumn[] = [{ name: 'rowid', pg: 'int8' }, { name: 'title', pg: 'text' }, { name: 'body', pg: 'text' }, { name: 'facets', pg: 'text' }];

/**
 * The facets column of a document: `a` + agency id, `c` + the category's UTF-8 in hex, `k` + the kind's (ASCII
 * tokens: the ascii tokenizer keeps them whole). Measured on the 1 M-item city before it: a search within one
 * agency (1 % of the documents) read matches from FTS5 and looked each up in search_docs until enough were in
 * the agency — 0.5–2.7 s for a common word; FTS5 now intersects the words with the agency's list.
 */
export function facetText(f: DocFacets | undefined): string {
  if (!f) return '';
  return facetTokens(f).join(' ');
}

/** The facet tokens of what a document is filed under, or of a filter's parts. */
function facetTokens(f: Partial<DocFacets>): string[] {
  const hex = (v: string) => Buffer.from(v, 'utf8').toString('hex');
  const out: string[] = [];
  if (f.agencyId !== undefined) out.push(`a${f.agencyId}`);
  if (f.category !== undefined) out.push(`c${hex(f.category)}`);
  if (f.kind !== undefined) out.push(`k${hex(f.kind)}`);
  return out;
}

/** The MATCH expression of the words, in the title and text columns only (a prefix never reaches the facets). */
function ftsMatch(words: string[], filter: IndexFilter = {}): string {
  const facets = facetTokens(filter);
  return `{title body} : (${fts5Match(words)})${facets.length ? ` AND {facets} : (${facets.join(' AND ')})` : ''}`;
}

/** The WHERE of an FTS5 query for the words within the filter (a year: a range of rowids). */
function ftsWhere(words: string[], filter?: IndexFilter): RawBuilder<unknown> {
  const keys = filter?.year === undefined ? null : keyRange(`${filter.year}-01-01`, `${filter.year + 1}-01-01`);
  const range = keys ? sql` and search_fts.rowid >= ${keys[0]} and search_fts.rowid < ${keys[1]}` : sql``;
  return sql`search_fts match ${ftsMatch(words, filter)}${range}`;
}

const postgres: SearchSeam = {
  engine: 'postgres',
  storesRefText: true,
  docColumns: [{ name: 'tsv', pg: 'text' }],
  docValues: (e) => encodeIndex('postgres', e.title, e.body),
  async writeIndex() {},
  docValuesEncoded: (index) => index,
  async writeEncoded() {},
  async removeIndex() {},
  matches(words, score = true, filter) {
    const tsq = tsQueryText(words);
    const checks = words.filter((w) => !wordTokens(w).exact).map((w) => sql` and strpos(ftext, ${w}) > 0`);
    // The filter's columns before the checks: a candidate outside it is dropped before its reference text is
    // read from TOAST (安全生产 专项整治 in one agency of the city: 32 000 candidates checked, 375 ms, before).
    const within: RawBuilder<unknown>[] = [];
    if (filter?.agencyId !== undefined) within.push(sql` and agency_id = ${filter.agencyId}`);
    if (filter?.category !== undefined) within.push(sql` and category = ${filter.category}`);
    if (filter?.kind !== undefined) within.push(sql` and kind = ${filter.kind}`);
    if (filter?.year !== undefined) within.push(sql` and published_on >= ${`${filter.year}-01-01`} and published_on < ${`${filter.year + 1}-01-01`}`);
    return sql<{ item_id: number; score: number }>`select item_id, ${score ? sql`ts_rank(tsv, ${tsq}::tsquery, 1)` : sql`0`} as score from search_docs where tsv @@ ${tsq}::tsquery${sql.join(within, sql``)}${sql.join(checks, sql``)}`;
  },
  // ts_rank reads each match's whole tsvector (out of line, tens of kilobytes for a statute): about 15 µs a
  // match on an idle machine; it is computed only for an exact answer (at most the count cap).
  rowScore: (words, alias) => sql<number>`ts_rank(${sql.ref(`${alias}.tsv`)}, ${tsQueryText(words)}::tsquery, 1)`,
  get countCap() {
    return countCapOverride() ?? 1000;
  },
  // ftext is the reference form of title, 文号, summary, body and attachments: a substring of it is a match.
  rowMatches: (words, alias) => sql<boolean>`(${sql.join(words.map((w) => sql`strpos(${sql.ref(`${alias}.ftext`)}, ${w}) > 0`), sql` and `)})`,
  newest: null,
  async density(db, words) {
    const stats = await tokenStats(db);
    if (!stats) return null;
    // A word is as rare as its rarest token; words are taken as independent (their shares multiplied): words
    // that go together are underestimated, which only means counting first.
    let share = 1;
    for (const w of words) {
      const t = wordTokens(w);
      if (t.prefix) return null; // a one-character last run is a prefix: no element frequency tells
      share *= Math.min(...t.tokens.map((tok) => stats.freq.get(tok) ?? stats.below));
    }
    return { share, matches: share * stats.rows };
  },
  async ordered(db, fn) {
    await sql`set local enable_indexscan = on`.execute(db);
    await sql`set local enable_bitmapscan = off`.execute(db);
    // Not in a finally: after an error (the search's time limit) the transaction is aborted, a statement there
    // would fail again ("current transaction is aborted") and hide the error that tells the reader what happened;
    // the transaction ends with the error anyway, and its settings with it.
    const out = await fn();
    await sql`set local enable_indexscan = off`.execute(db);
    await sql`set local enable_bitmapscan = on`.execute(db);
    return out;
  },
  // The planner does not count the out-of-line tsvector in a scan's cost and, on a table of a few thousand
  // long documents, prefers reading (and decompressing) every row, or walking the primary key and testing
  // each row, to the GIN index: 15–60 ms instead of 1–6 ms on the real corpus. Bitmap scans only.
  // work_mem: a common word's bitmap over a province's documents (300 000 matches) outgrows the default 4 MB and
  // turns lossy, and every row of a lossy page is checked again against its tsvector, read from TOAST: 4 s
  // instead of 0.9 s (measured, 400 000 documents). statement_timeout: no search holds a connection for long.
  reading: (db, fn) =>
    db.transaction().execute(async (tx) => {
      await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), set_config('work_mem', '64MB', true), set_config('statement_timeout', ${String(searchTimeoutMs())}, true)`.execute(tx);
      return fn(tx);
    }),
  instr: (hay, needle) => sql<number>`strpos(${hay}, ${needle})`,
  async beginBulk(tx) {
    await sql`select set_config('gin_pending_list_limit', ${String(PENDING_KIB)}, true), set_config('work_mem', ${MERGE_MEMORY}, true)`.execute(tx);
  },
  async settle(db) {
    await db.transaction().execute(async (tx) => {
      await sql`select set_config('maintenance_work_mem', ${MERGE_MEMORY}, true)`.execute(tx);
      await sql`select gin_clean_pending_list('search_docs_tsv'::regclass)`.execute(tx);
    });
  },
  async create(db) {
    await sql`alter table search_docs add column tsv tsvector not null default ''`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  },
  async optimize(db) {
    await postgres.settle(db);
    await sql`analyze search_docs`.execute(db);
  },
  tidy: async () => ({ steps: 0, done: true }),
};

/** GONGKAI_SEARCH_COUNT_CAP: the count cap instead of the engine's (docs/search.md; tests use it to reach both answers on a small corpus). */
function countCapOverride(): number | undefined {
  const v = Number(process.env.GONGKAI_SEARCH_COUNT_CAP);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

/** How long one search statement may run on PostgreSQL (ms): GONGKAI_SEARCH_TIMEOUT_MS, 3 000 by default. */
export function searchTimeoutMs(): number {
  const v = Number(process.env.GONGKAI_SEARCH_TIMEOUT_MS);
  return Number.isInteger(v) && v > 0 ? v : 3000;
}

/** True for the error a statement ended by the search's time limit raises (PostgreSQL: query_canceled). */
export function isSearchTimeout(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '57014';
}

/**
 * The tsvector column's most common tokens and their shares of rows (pg_stats, from ANALYZE), per schema, kept
 * ten minutes. `below`: the share under which a token is not listed (the smallest listed share).
 */
interface TokenStats {
  freq: Map<string, number>;
  below: number;
  rows: number;
}
const statsCache = new Map<string, { at: number; stats: TokenStats | null }>();
async function tokenStats(db: Kysely<any>): Promise<TokenStats | null> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? '';
  const hit = statsCache.get(schema);
  if (hit && Date.now() - hit.at < 600_000) return hit.stats;
  const r = (
    await sql<{ elems: string[] | null; freqs: number[] | null; rows: number | string | null }>`select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs,
        (select reltuples from pg_class where oid = 'search_docs'::regclass) as rows
      from pg_stats where schemaname = current_schema() and tablename = 'search_docs' and attname = 'tsv'`.execute(db)
  ).rows[0];
  let stats: TokenStats | null = null;
  if (r?.elems && r.freqs && r.elems.length > 0 && Number(r.rows) > 0) {
    const freq = new Map<string, number>();
    r.elems.forEach((e, i) => freq.set(e, Number(r.freqs![i])));
    // after the elements' shares come the smallest and largest of them and the share of empty vectors
    stats = { freq, below: Number(r.freqs[r.elems.length]), rows: Number(r.rows) };
  }
  statsCache.set(schema, { at: Date.now(), stats });
  return stats;
}

/** PostgreSQL bulk index writes: the GIN pending list's limit (KiB) and the memory its merge may use. */
const PENDING_KIB = 64 * 1024;
const MERGE_MEMORY = '256MB';

/** Column types of the first search migration (20261128120100), which still imports them. */
export interface SearchStorage {
  blob: 'blob' | 'bytea';
  int64: 'integer' | 'bigint';
  keyOnlyTableSuffix: string;
}
export function searchStorage(engine: Engine): SearchStorage {
  return engine === 'sqlite'
    ? { blob: 'blob', int64: 'integer', keyOnlyTableSuffix: ' without rowid' }
    : { blob: 'bytea', int64: 'bigint', keyOnlyTableSuffix: '' };
}

export function searchSeam(db: Kysely<any> | Engine): SearchSeam {
  return (typeof db === 'string' ? db : engineOf(db)) === 'sqlite' ? sqlite : postgres;
}
