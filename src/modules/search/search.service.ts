/**
 * Full-text search over published disclosure items (docs/search.md).
 *
 * Semantics (src/search): the query is folded (NFKC, case, 繁→简) and split at whitespace into words; a word
 * is one phrase, found where its reference form is a substring of the item's title, 文号, summary or body;
 * every word is required. The index is the engine's own (SQLite FTS5, PostgreSQL tsvector/GIN, behind
 * src/db/search-seam.ts): totals are exact counts of the matching items, and the order is total, so no
 * item appears on two pages.
 *
 * Ranking: the title that is the query (预算法 → 中华人民共和国预算法) first; then titles (or 文号) holding
 * every word, shorter titles first; then the rest by the engine's score (bm25 with the title weighted, or
 * ts_rank); newer first as the tie-breaker. `sort: 'date'` orders by 发布日期 only.
 */
import type { Executor } from '../../db/database.js';
import { runsOf } from '../../search/fold.js';
import { highlightHtml, snippetOf } from '../../search/highlight.js';
import { buildVocabulary, suggest, type Vocabulary } from '../../search/suggest.js';
import { columnTokensOfRuns, parseQuery, type ParsedQuery } from '../../search/query.js';
import { searchSeam } from '../../db/search-seam.js';
import { findAgency } from '../agencies/agencies.service.js';
import type { Ctx } from '../context.js';
import * as repo from './search.repository.js';

/** The search's text analysis, for other modules that compare texts (依申请转主动 suggestions). */
export { textWords } from '../../search/words.js';

/** One published item as the search index sees it. */
export interface SearchDoc {
  itemId: number;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  title: string;
  summary: string;
  body: string;
  category: string;
  /** 'YYYY-MM-DD' */
  publishedOn: string;
  docNumber: string | null;
  /** The item's portal page, e.g. '/items/42'. */
  url: string;
}

export type SearchSort = 'relevance' | 'date';

export interface SearchQuery {
  q: string;
  /** Agency code: only that agency's items. */
  agency?: string;
  /** 主题分类 / catalogue category as indexed. */
  category?: string;
  year?: number;
  page?: number;
  pageSize?: number;
  /** relevance (default) or date (按时间排序: newest first). */
  sort?: SearchSort;
}

export interface SearchHit {
  id: number;
  title: string;
  url: string;
  /** The publishing agency's name. */
  agency: string;
  agencyCode: string;
  publishedOn: string;
  category: string;
  docNumber: string | null;
  /** Plain text around the first match. */
  snippet: string;
  /** The snippet as escaped HTML with the words in <mark>. */
  snippetHtml: string;
  /** The title as escaped HTML with the words in <mark>. */
  titleHtml: string;
  /** Where the words were found: in the title or 文号 (ranked first) or only in the text. */
  matchedIn: 'title' | 'text';
}

export interface SearchResult {
  /** The exact number of matching items. */
  total: number;
  /** Always false: totals are exact (kept for the API's shape). */
  totalCapped: boolean;
  /** Of which the title or 文号 holds every word. */
  titleHits: number;
  page: number;
  pageSize: number;
  /** The words searched for (folded; runs within a word joined by a space). */
  words: string[];
  sort: SearchSort;
  items: SearchHit[];
  /** When nothing was found: a frequent title term one character away (您是不是要找). */
  suggestion?: string;
  /** Why the query could not be searched (Chinese, for the user). */
  error?: string;
  errorKind?: ParsedQuery['errorKind'];
}

export const MAX_PAGE = 50;
export const MAX_PAGE_SIZE = 50;

/** Suggested searches (热门搜索) shown beside the search box. */
export const HOT_SEARCHES = ['政府信息公开指南', '年度报告', '规范性文件', '财政预决算', '行政许可', '政府采购', '人事任免', '应急预案'];

// ---------------------------------------------------------------------------------------------------------
// Indexing

const ID_SPACE = 2 ** 26;
function sortKey(publishedOn: string, itemId: number): number {
  const days = Math.floor(Date.parse(`${publishedOn.slice(0, 10)}T00:00:00Z`) / 86_400_000);
  if (!Number.isFinite(days)) throw new Error(`search: bad publishedOn: ${publishedOn}`);
  return days * ID_SPACE + itemId;
}

export interface IndexOptions {
  /**
   * A bulk load (imports): the engine may defer merging the new entries into its index (PostgreSQL: a large
   * GIN pending list). The caller must call settleSearchIndex once the bulk load is over.
   */
  bulk?: boolean;
}

/** Index (or re-index) published items. Call in the transaction that publishes them. */
export async function indexItems(tx: Executor, docs: SearchDoc[], opts: IndexOptions = {}): Promise<void> {
  if (docs.length === 0) return;
  if (opts.bulk) await searchSeam(tx).beginBulk(tx);
  const unique = [...new Map(docs.map((d) => [d.itemId, d])).values()];
  await repo.deleteDocs(tx, await repo.indexedIds(tx, unique.map((d) => d.itemId)));
  const storesRef = searchSeam(tx).storesRefText;
  const rows: repo.DocRow[] = [];
  const entries = [];
  for (const d of unique) {
    const fields = [d.title, d.docNumber ?? '', d.summary ?? '', d.body ?? ''];
    const runs = fields.map(runsOf); // each field folded once, for the reference forms and the tokens
    rows.push({
      item_id: d.itemId,
      skey: sortKey(d.publishedOn, d.itemId),
      agency_id: d.agencyId,
      agency_code: d.agencyCode,
      agency_name: d.agencyName,
      category: d.category ?? '',
      published_on: d.publishedOn.slice(0, 10),
      title: d.title,
      doc_number: d.docNumber,
      summary: d.summary ?? '',
      body: d.body ?? '',
      url: d.url,
      ftitle: runs[0]!.join(' '),
      fdoc: runs[1]!.join(' '),
      ftext: storesRef ? runs.map((r) => r.join(' ')).join('\n') : '', // refText(fields), from the runs in hand
    });
    entries.push({ itemId: d.itemId, title: columnTokensOfRuns(runs.slice(0, 2)), body: columnTokensOfRuns(runs.slice(2)) });
  }
  await repo.insertDocs(tx, rows, entries);
}

/** Remove an item from the index (withdrawn). Call in the same transaction. */
export async function removeItem(tx: Executor, itemId: number): Promise<void> {
  await repo.deleteDocs(tx, await repo.indexedIds(tx, [itemId]));
}

/** After bulk loads (indexItems with `bulk`): merge what they left pending. Answers are the same before and after. */
export async function settleSearchIndex(ctx: Ctx): Promise<void> {
  await searchSeam(ctx.db).settle(ctx.db);
}

/**
 * Tidy the index after a bulk import (SQLite: FTS5 merges its segments into one; PostgreSQL: planner
 * statistics). Optional: answers are the same before and after.
 */
export async function optimizeSearchIndex(ctx: Ctx): Promise<void> {
  await repo.optimize(ctx.db);
}

// ---------------------------------------------------------------------------------------------------------
// Searching

export async function searchItems(ctx: Ctx, q: SearchQuery): Promise<SearchResult> {
  const page = Math.min(MAX_PAGE, Math.max(1, Math.floor(q.page ?? 1) || 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(q.pageSize ?? 20) || 20));
  const sort: SearchSort = q.sort === 'date' ? 'date' : 'relevance';
  const parsed = parseQuery(q.q);
  const empty = (error?: string): SearchResult => ({ total: 0, totalCapped: false, titleHits: 0, page, pageSize, words: parsed.words, sort, items: [], ...(error ? { error, errorKind: parsed.errorKind } : {}) });
  if (parsed.error) return empty(parsed.error);
  const words = parsed.words;

  const filter: repo.RankFilter = {};
  if (q.agency) {
    const agency = await findAgency(ctx, q.agency);
    if (!agency) return empty();
    filter.agencyId = agency.id;
  }
  if (q.category) filter.category = q.category;
  if (q.year) filter.year = q.year;

  const ranked = await repo.rankPage(ctx.db, words, filter, sort, pageSize, (page - 1) * pageSize);
  const docs = new Map((await repo.docsByIds(ctx.db, ranked.rows.map((r) => r.itemId))).map((d) => [d.item_id, d]));
  const items: SearchHit[] = [];
  for (const r of ranked.rows) {
    const d = docs.get(r.itemId);
    if (!d) continue;
    const content = `${d.summary}\n${d.body}`;
    const snippet = snippetOf(content.trim() ? content : d.title, words);
    items.push({
      id: d.item_id,
      title: d.title,
      url: d.url,
      agency: d.agency_name,
      agencyCode: d.agency_code,
      publishedOn: d.published_on,
      category: d.category,
      docNumber: d.doc_number,
      snippet,
      snippetHtml: highlightHtml(snippet, words),
      titleHtml: highlightHtml(d.title, words),
      matchedIn: r.tier < 2 ? 'title' : 'text',
    });
  }
  const suggestion = ranked.total === 0 && words.length === 1 ? suggest(await vocabulary(ctx), words[0]!) : null;
  return { total: ranked.total, totalCapped: false, titleHits: ranked.titleHits, page, pageSize, words, sort, items, ...(suggestion ? { suggestion } : {}) };
}

/** Did-you-mean's vocabulary: terms of the latest VOCAB_TITLES titles, rebuilt when documents come or go (or after 10 minutes). */
const VOCAB_TITLES = 20_000;
const vocabularies = new WeakMap<object, { key: string; at: number; vocab: Vocabulary }>();
async function vocabulary(ctx: Ctx): Promise<Vocabulary> {
  const key = await repo.indexKey(ctx.db);
  const now = Date.now();
  let v = vocabularies.get(ctx.db);
  if (!v || v.key !== key || now - v.at > 600_000) {
    vocabularies.set(ctx.db, (v = { key, at: now, vocab: buildVocabulary(await repo.recentTitles(ctx.db, VOCAB_TITLES)) }));
  }
  return v.vocab;
}

/** How many items the index holds (for the search page's footer and benchmarks). */
export const indexedCount = (ctx: Ctx) => repo.countDocs(ctx.db);

const categoryCaches = new WeakMap<object, { at: number; list: string[] }>();
/** The categories present in the index (cached for a minute). */
export async function searchCategories(ctx: Ctx): Promise<string[]> {
  const now = Date.now();
  let c = categoryCaches.get(ctx.db);
  if (!c || now - c.at > 60_000) categoryCaches.set(ctx.db, (c = { at: now, list: await repo.categories(ctx.db) }));
  return c.list;
}
