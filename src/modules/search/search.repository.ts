/** SQL of the search index (engine differences come from src/db/search-seam.ts). */
import { sql, type RawBuilder } from 'kysely';
import { bulkLoad, type BulkColumn } from '../../db/bulk.js';
import type { Executor } from '../../db/database.js';
import { searchSeam, type IndexFilter } from '../../db/search-seam.js';
import type { SearchDocsTable } from './search.tables.js';
import './search.tables.js';

export type DocRow = SearchDocsTable;

const CHUNK = 500;
function chunks<T>(a: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
  return out;
}

/** Which of these items are in the index. */
export async function indexedIds(db: Executor, itemIds: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const c of chunks(itemIds)) out.push(...(await db.selectFrom('search_docs').select('item_id').where('item_id', 'in', c).execute()).map((r) => r.item_id));
  return out;
}

/** The documents with ids in [lo, hi] (a report's sections, a guide: search.service.ts docIdOf). */
export async function idsBetween(db: Executor, lo: number, hi: number): Promise<number[]> {
  return (await db.selectFrom('search_docs').select('item_id').where('item_id', '>=', lo).where('item_id', '<=', hi).orderBy('item_id').execute()).map((r) => Number(r.item_id));
}

/** Take items out of the index and out of search_docs. */
export async function deleteDocs(tx: Executor, itemIds: number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await searchSeam(tx).removeIndex(tx, itemIds);
  for (const c of chunks(itemIds)) await tx.deleteFrom('search_docs').where('item_id', 'in', c).execute();
}

const DOC_COLUMNS: BulkColumn[] = [
  { name: 'item_id', pg: 'int4' }, { name: 'skey', pg: 'int8' }, { name: 'agency_id', pg: 'int4' }, { name: 'agency_code', pg: 'text' },
  { name: 'agency_name', pg: 'text' }, { name: 'category', pg: 'text' }, { name: 'published_on', pg: 'text' }, { name: 'title', pg: 'text' },
  { name: 'doc_number', pg: 'text' }, { name: 'summary', pg: 'text' }, { name: 'body', pg: 'text' }, { name: 'url', pg: 'text' },
  { name: 'ftitle', pg: 'text' }, { name: 'fdoc', pg: 'text' }, { name: 'ftext', pg: 'text' }, { name: 'kind', pg: 'text' }, { name: 'files', pg: 'text' },
];

/** Insert documents and their index entries (entries in the order of the rows). */
export async function insertDocs(tx: Executor, rows: DocRow[], index: string[][]): Promise<void> {
  const seam = searchSeam(tx);
  await bulkLoad(
    tx,
    'search_docs',
    [...DOC_COLUMNS, ...seam.docColumns],
    rows.map((r, i) => [r.item_id, r.skey, r.agency_id, r.agency_code, r.agency_name, r.category, r.published_on, r.title, r.doc_number, r.summary, r.body, r.url, r.ftitle, r.fdoc, r.ftext, r.kind, r.files, ...seam.docValuesEncoded(index[i]!)]),
  );
  await seam.writeEncoded(tx, rows.map((r) => r.skey), index, rows.map((r) => ({ agencyId: r.agency_id, category: r.category, kind: r.kind })));
}

/** What a search is narrowed to: the seam's filter (the index applies it too). */
export type RankFilter = IndexFilter;

/** One page of ranked documents, with their number (a lower bound when `capped`) and how many match in the title. */
export interface RankedPage {
  rows: Ranked[];
  total: number;
  titleHits: number;
  capped: boolean;
}

export interface Ranked {
  itemId: number;
  /** 0: the title is the query (a named statute); 1: the title or 文号 holds every word; 2: the text only. */
  tier: number;
}

/**
 * One page of the documents holding every word, ranked, with the number of them and how many match in the
 * title. Order (relevance): tier; in tier 1 shorter titles first; then the score (bm25 / ts_rank); then newer
 * first; then item id — a total order, so no row appears on two pages. By date: newest first, then id.
 *
 * Above the engine's count cap (`countCap`) the total is a lower bound (`capped`) and the page comes from a
 * walk through the documents newest first that stops at the first matches (`denseWalk`): exact titles first
 * (relevance), then newest first. A query reads a bounded number of rows whatever the size of the site.
 */
export async function rankPage(
  db: Executor,
  words: string[],
  filter: RankFilter,
  sort: 'relevance' | 'date',
  limit: number,
  offset: number,
): Promise<RankedPage> {
  const seam = searchSeam(db);
  return seam.reading(db, async (db) => {
    // 1. Many matches or few? PostgreSQL's statistics tell for common tokens (its index would first have to
    //    list every match); otherwise count up to the cap, which stops early on both engines.
    const est = await seam.density(db, words);
    const share = est?.share ?? null;
    let probe: number | null = null;
    let dense = est !== null && est.share >= DENSE_SHARE && est.matches > 4 * seam.countCap;
    if (!dense && seam.rowScore) {
      // One statement: the matches up to the cap, counted, and the page ranked from them. Where the statistics
      // say that the walk would read many rows for a page (matches are rare among the documents), counting
      // further is cheaper: the cap is raised to what they expect, up to twice. By the page size, not
      // the page, so that every page of a query is answered the same way.
      const cap = countCapFor(seam.countCap, est, limit);
      const one = await onePass(db, { words, filter, sort, limit, offset }, cap);
      if (one) return one;
      dense = true;
      probe = cap + 1;
    }
    if (!dense) {
      const filtered = Object.values(filter).some((v) => v !== undefined);
      const p = await sql<{ n: number | string }>`select count(*) as n from (select 1 from (${seam.matches(words, false, filter)}) m${
        filtered ? sql` join search_docs d on d.item_id = m.item_id where ${filterSql(filter)}` : sql``
      } limit ${seam.countCap + 1}) x`.execute(db);
      probe = Number(p.rows[0]?.n ?? 0);
      if (probe === 0) return { rows: [], total: 0, titleHits: 0, capped: false };
      dense = probe > seam.countCap;
    }
    if (dense) {
      return denseWalk(db, { words, filter, sort, limit, offset }, share, probe);
    }
    // 2. Exact (SQLite): the probe counted every match, at most the cap; the page ranks them all.
    const q = rankQuery(db, words, filter, sort, limit, offset);
    const res = await q.page.execute(db);
    let counts: { total: number; titleHits: number } | null = null;
    if (res.rows.length === 0) {
      // past the last page: the counts still
      const c = (await q.count.execute(db)).rows[0];
      counts = { total: Number(c?.total ?? 0), titleHits: Number(c?.title_hits ?? 0) };
    }
    const first = res.rows[0];
    return {
      rows: res.rows.map((r) => ({ itemId: Number(r.item_id), tier: Number(r.tier) })),
      total: counts?.total ?? Number(first?.total ?? 0),
      titleHits: counts?.titleHits ?? Number(first?.title_hits ?? 0),
      capped: false,
    };
  });
}

/**
 * The exact answer in one statement, for an engine that scores a row by itself (seam.rowScore): the matches
 * (filtered) up to the cap, materialised once; the page ranked from them (the score only when they are all
 * there: below the cap); their number on every row. Null when there are more than the cap (the walk answers).
 */
async function onePass(
  db: Executor,
  { words, filter, sort, limit, offset }: { words: string[]; filter: RankFilter; sort: 'relevance' | 'date'; limit: number; offset: number },
  cap: number,
): Promise<RankedPage | null> {
  const seam = searchSeam(db);
  const order =
    sort === 'date'
      ? sql`published_on desc, item_id desc`
      : sql`tier, case when tier = 1 then tlen else 0 end, score desc, published_on desc, item_id desc`;
  const filtered = Object.values(filter).some((v) => v !== undefined);
  // Above the cap nothing past the count is computed (the walk answers): x is empty then.
  const res = await sql<{ n: number | string; title_hits: number | string | null; item_id: number | null; tier: number | null }>`
    with m as materialized (
      select m.item_id from (${seam.matches(words, false, filter)}) m${filtered ? sql` join search_docs d on d.item_id = m.item_id where ${filterSql(filter)}` : sql``} limit ${cap + 1}
    ), c as (
      select count(*) as n from m
    ), x as (
      select d.item_id, d.published_on, ${sort === 'relevance' ? seam.rowScore!(words, 'd') : sql`0`} as score, length(d.ftitle) as tlen, ${tierSql(db, words, 'd')} as tier
      from m join search_docs d on d.item_id = m.item_id where (select n from c) <= ${cap}
    ), t as (
      select sum(case when tier < 2 then 1 else 0 end) as title_hits from x
    ), p as (
      select item_id, tier, row_number() over (order by ${order}) as rn from x order by ${order} limit ${limit} offset ${offset}
    )
    select c.n, t.title_hits, p.item_id, p.tier from c cross join t left join p on true order by p.rn`.execute(db);
  const n = Number(res.rows[0]?.n ?? 0);
  if (n > cap) return null;
  return {
    rows: res.rows.filter((r) => r.item_id !== null).map((r) => ({ itemId: Number(r.item_id), tier: Number(r.tier) })),
    total: n,
    titleHits: Number(res.rows[0]?.title_hits ?? 0),
    capped: false,
  };
}

/** A walk expected to read more rows than this for a page is worth a larger count instead (PostgreSQL). */
const WALK_CHEAP_ROWS = 2_000;

/**
 * The cap of the exact answer for a query: the engine's, or — where the statistics expect the matches to be
 * rare among the documents, so that the walk would read more than WALK_CHEAP_ROWS rows for a page of `limit` —
 * twice the expected number of matches, at most twice the engine's. On the 1 M-item city, 乡村振兴 工作要点
 * (1 184 matches, one document in 860) took 86–130 ms by the walk and 35–47 ms counted.
 */
export function countCapFor(cap: number, est: { share: number; matches: number } | null, limit: number): number {
  if (!est || est.share <= 0 || limit / est.share <= WALK_CHEAP_ROWS) return cap;
  return Math.min(2 * cap, Math.max(cap, Math.ceil(2 * est.matches)));
}
/** A query whose tokens the statistics put in at least this share of the documents is answered by the walk. */
const DENSE_SHARE = 0.02;
/** Rows the walk may read to make the lower bound of the total larger than the page (PostgreSQL's estimate). */
const WALK_BOUND_ROWS = 3_000;

/** filterSql on a row already read. */
function withinFilter(r: { agency_id: number; category: string; kind: string; published_on: string }, filter: RankFilter): boolean {
  return (
    (filter.agencyId === undefined || Number(r.agency_id) === filter.agencyId) &&
    (filter.category === undefined || r.category === filter.category) &&
    (filter.kind === undefined || r.kind === filter.kind) &&
    (filter.year === undefined || (r.published_on >= `${filter.year}-01-01` && r.published_on < `${filter.year + 1}-01-01`))
  );
}

function filterSql(filter: RankFilter, alias = 'd'): RawBuilder<unknown> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const where = [sql`1 = 1`];
  if (filter.agencyId !== undefined) where.push(sql`${col('agency_id')} = ${filter.agencyId}`);
  if (filter.category !== undefined) where.push(sql`${col('category')} = ${filter.category}`);
  if (filter.kind !== undefined) where.push(sql`${col('kind')} = ${filter.kind}`);
  if (filter.year !== undefined) where.push(sql`${col('published_on')} >= ${`${filter.year}-01-01`} and ${col('published_on')} < ${`${filter.year + 1}-01-01`}`);
  return sql.join(where, sql` and `);
}

/**
 * The answer above the cap: the exact titles (relevance only: 预算法 → 中华人民共和国预算法, found through the
 * title key, wherever they are in time), then the matching documents newest first, read by walking the
 * index in date order (SQLite: seam.newest) or by walking the documents in date order (the site's, or one
 * agency's) and checking each (seam.rowMatches), until enough are found. Cost: the rows walked, about (page end) ÷ (share of documents that match) — a few hundred rows for
 * a word that one document in ten holds. Whether a query is answered this way depends on the query alone
 * (its count above the cap, or PostgreSQL's statistics), never on the page, so pages never overlap.
 *
 * The total is a lower bound — the larger of the probe's count (cap + 1) and the matches seen — unless the
 * walk read every document (then it is exact, and `capped` false).
 */
async function denseWalk(
  db: Executor,
  { words, filter, sort, limit, offset }: { words: string[]; filter: RankFilter; sort: 'relevance' | 'date'; limit: number; offset: number },
  share: number | null,
  probe: number | null,
): Promise<RankedPage> {
  const seam = searchSeam(db);
  let exact: Ranked[] = [];
  if (sort === 'relevance' && words.length === 1) {
    const keys = [words[0]!, '中华人民共和国' + words[0]!];
    // The filter is applied here, not in SQL: with a category the planner took search_docs_category (100 000
    // rows of the city's category, 210 ms) instead of the title key (a handful).
    const t0 = await sql<{ item_id: number; agency_id: number; category: string; kind: string; published_on: string }>`select d.item_id, d.agency_id, d.category, d.kind, d.published_on from search_docs d
      where substr(d.ftitle, 1, 200) in (${sql.join(keys.map((k) => sql`${k.slice(0, 200)}`))}) and d.ftitle in (${sql.join(keys)})
      order by d.published_on desc, d.item_id desc`.execute(db);
    exact = t0.rows.filter((r) => withinFilter(r, filter)).map((r) => ({ itemId: Number(r.item_id), tier: 0 }));
  }
  const need = offset + limit + exact.length;
  // With PostgreSQL's estimate and no count, read a little further, so that the total shown says more than the page.
  const want = probe === null && share ? Math.max(need, Math.min(seam.countCap + 1, Math.floor(WALK_BOUND_ROWS * share))) : need;
  // Where the index itself is in date order (SQLite: FTS5's rowid is the document's key), it reads its matches
  // within the filter newest first and stops. Otherwise (PostgreSQL) the documents are walked by date, the
  // site's or one agency's, and each is checked.
  const walk = seam.newest
    ? await sql<{ item_id: number; tier: number }>`select d.item_id, ${tierSql(db, words, 'd')} as tier
        from (${seam.newest(words, want, filter)}) m
        join search_docs d on d.item_id = m.item_id order by d.skey desc`.execute(db)
    : await seam.ordered(db, () =>
        sql<{ item_id: number; tier: number }>`select d.item_id, ${tierSql(db, words, 'd')} as tier from search_docs d
          where ${filterSql(filter)} and ${seam.rowMatches!(words, 'd')}
          order by d.published_on desc, d.item_id desc limit ${want}`.execute(db),
      );
  const found = walk.rows.map((r) => ({ itemId: Number(r.item_id), tier: Number(r.tier) }));
  // Fewer than asked for: every document was read, and these are all the matches (the total is exact).
  const complete = found.length < want;
  const exactIds = new Set(exact.map((r) => r.itemId));
  const ordered = [...exact, ...found.filter((r) => !exactIds.has(r.itemId))];
  return {
    rows: ordered.slice(offset, offset + limit),
    total: complete ? ordered.length : Math.max(probe ?? 0, ordered.length),
    titleHits: ordered.filter((r) => r.tier < 2).length,
    capped: !complete,
  };
}

/** 0: the title is the query; 1: the title or 文号 holds every word; 2: the text only (columns of `alias`). */
function tierSql(db: Executor, words: string[], alias: string): RawBuilder<number> {
  const seam = searchSeam(db);
  const ftitle = sql.ref(`${alias}.ftitle`) as RawBuilder<string>;
  const fdoc = sql.ref(`${alias}.fdoc`) as RawBuilder<string>;
  const inTitle = sql.join(words.map((w) => sql`(${seam.instr(ftitle, w)} > 0 or ${seam.instr(fdoc, w)} > 0)`), sql` and `);
  const exact = words.length === 1 ? sql`${ftitle} in (${words[0]!}, ${'中华人民共和国' + words[0]!})` : sql`1 = 0`;
  return sql<number>`case when ${exact} then 0 when ${inTitle} then 1 else 2 end`;
}

/** The SQL of rankPage: one page with the counts, and the counts alone (exported for EXPLAIN in benchmarks). */
export function rankQuery(db: Executor, words: string[], filter: RankFilter, sort: 'relevance' | 'date', limit: number, offset: number, score = sort === 'relevance') {
  const seam = searchSeam(db);
  const order =
    sort === 'date'
      ? sql`published_on desc, item_id desc`
      : sql`tier, case when tier = 1 then tlen else 0 end, score desc, published_on desc, item_id desc`;
  const inner = sql`select d.item_id, d.published_on, m.score, length(d.ftitle) as tlen, ${tierSql(db, words, 'd')} as tier
    from (${seam.matches(words, score, filter)}) m join search_docs d on d.item_id = m.item_id
    where ${filterSql(filter)}`;
  return {
    page: sql<{ item_id: number; tier: number; total: number | string; title_hits: number | string }>`
      select item_id, tier, count(*) over () as total, sum(case when tier < 2 then 1 else 0 end) over () as title_hits
      from (${inner}) x order by ${order} limit ${limit} offset ${offset}`,
    count: sql<{ total: number | string; title_hits: number | string | null }>`
      select count(*) as total, sum(case when tier < 2 then 1 else 0 end) as title_hits from (${inner}) x`,
  };
}

/** The documents of these items (what a result shows). */
export async function docsByIds(db: Executor, itemIds: number[]): Promise<DocRow[]> {
  const out: DocRow[] = [];
  for (const c of chunks(itemIds)) {
    out.push(
      ...(await db
        .selectFrom('search_docs')
        .select(['item_id', 'skey', 'agency_id', 'agency_code', 'agency_name', 'category', 'published_on', 'title', 'doc_number', 'summary', 'body', 'url', 'ftitle', 'fdoc', 'kind', 'files'])
        .where('item_id', 'in', c)
        .execute()
        .then((rows) => rows.map((r) => ({ ...r, item_id: Number(r.item_id), ftext: '' })))),
    );
  }
  return out;
}

/** The titles of the most recently indexed items (did-you-mean's vocabulary). */
export async function recentTitles(db: Executor, limit: number): Promise<string[]> {
  return (await db.selectFrom('search_docs').select('title').where('kind', '=', 'item').orderBy('item_id', 'desc').limit(limit).execute()).map((r) => r.title);
}
/** The newest item's id (0 when there is none): it moves when items come (a lookup at the end of the primary key). */
export async function newestItemId(db: Executor): Promise<number> {
  const r = await db.selectFrom('search_docs').select((eb) => eb.fn.max('item_id').as('max')).executeTakeFirst();
  return Math.max(0, Number(r?.max ?? 0));
}

export async function optimize(db: Executor): Promise<void> {
  await searchSeam(db).optimize(db);
}

export async function tidy(db: Executor, budgetMs: number): Promise<{ steps: number; done: boolean }> {
  return searchSeam(db).tidy(db, budgetMs);
}

export async function countDocs(db: Executor): Promise<number> {
  const r = await db.selectFrom('search_docs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The categories present in the index (for the search page's filter). */
export async function categories(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('search_docs').select('category').groupBy('category').orderBy('category').execute();
  return rows.map((r) => r.category).filter(Boolean);
}
