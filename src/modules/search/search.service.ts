/**
 * Full-text search over published disclosure items (docs/search.md).
 *
 * Semantics (src/search): the query is folded (NFKC, case, 繁→简) and split at whitespace into words; a word
 * is one phrase, found where its reference form is a substring of the item's title, 文号, summary or body;
 * every word is required. The index is the engine's own (SQLite FTS5, PostgreSQL tsvector/GIN, behind
 * src/db/search-seam.ts): totals are exact counts of the matching items up to the engine's count cap, a lower
 * bound above it (totalCapped; the order is then exact titles, then newest first: search.repository.ts
 * rankPage), and the order is total, so no item appears on two pages.
 *
 * Ranking: the title that is the query (预算法 → 中华人民共和国预算法) first; then titles (or 文号) holding
 * every word, shorter titles first; then the rest by the engine's score (bm25 with the title weighted, or
 * ts_rank); newer first as the tie-breaker. `sort: 'date'` orders by 发布日期 only.
 */
import type { Executor } from '../../db/database.js';
import { refOf, runsOf } from '../../search/fold.js';
import { highlightHtml, snippetOf } from '../../search/highlight.js';
import { docKey } from '../../search/key.js';
import { buildVocabularyInSlices, suggest, type Vocabulary } from '../../search/suggest.js';
import { parseQuery, type ParsedQuery } from '../../search/query.js';
import { prepareSearchDoc, type PreparedSearchDoc } from '../../search/prepare.js';
import { isSearchTimeout, searchSeam } from '../../db/search-seam.js';
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
  /** The text of its attachments (PDF, DOCX, XLSX…), each with the file's name. */
  attachments?: AttachmentText[];
}

export interface AttachmentText {
  name: string;
  text: string;
}

/** What a document is: a published item (公开信息), a section of an annual report, an agency's guide. */
export type SearchKind = 'item' | 'report' | 'guide';
export const SEARCH_KINDS: SearchKind[] = ['item', 'report', 'guide'];
/** What a hit is, as the result list says: an item found in its attachment's text is shown as 附件. */
export type HitKind = SearchKind | 'attachment';
export const HIT_KIND_LABELS: Record<HitKind, string> = { item: '公开信息', report: '年度报告', guide: '公开指南', attachment: '附件' };

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
  /** Only documents of this kind (公开信息 with their attachments, 年度报告, 公开指南); all kinds when absent. */
  kind?: SearchKind;
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
  /** What the hit is: item (公开信息), report (年度报告 section), guide (公开指南), attachment (an item found in its attachment's text). */
  kind: HitKind;
  /** The kind as the result list names it (公开信息 / 年度报告 / 公开指南 / 附件). */
  kindLabel: string;
  /** The attachment the snippet comes from (its file name), when the words are in an attachment's text only. */
  attachment?: string;
}

export interface SearchResult {
  /** The exact number of matching items; when totalCapped, a lower bound (never above the truth). */
  total: number;
  /** More matched than the engine's count cap: total is a lower bound and the order exact titles, then newest first. */
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

export interface IndexOptions {
  /**
   * A bulk load (imports): the engine may defer merging the new entries into its index (PostgreSQL: a large
   * GIN pending list). The caller must call settleSearchIndex once the bulk load is over.
   */
  bulk?: boolean;
}

/** Index (or re-index) published items (with their attachments' text). Call in the transaction that publishes them. */
export async function indexItems(tx: Executor, docs: SearchDoc[], opts: IndexOptions = {}): Promise<void> {
  await indexPrepared(tx, docs.map((doc) => ({ doc })), opts);
}

/**
 * A document with, optionally, what src/search/prepare.ts computed of it already (on a worker thread, for
 * imports: prepareSearchDoc(engine, title, 文号, [summary, body]) — items without attachments).
 */
export interface PreparedDoc {
  doc: SearchDoc;
  prepared?: PreparedSearchDoc;
}

/** indexItems for documents some of which are prepared already. */
export async function indexPrepared(tx: Executor, docs: PreparedDoc[], opts: IndexOptions = {}): Promise<void> {
  if (docs.length === 0) return;
  if (opts.bulk) await searchSeam(tx).beginBulk(tx);
  const unique = [...new Map(docs.map((d) => [d.doc.itemId, d])).values()];
  await repo.deleteDocs(tx, await repo.indexedIds(tx, unique.map((d) => d.doc.itemId)));
  await writeDocs(
    tx,
    unique.map(({ doc: d }) => ({
      id: d.itemId, kind: 'item', agencyId: d.agencyId, agencyCode: d.agencyCode, agencyName: d.agencyName, category: d.category ?? '', publishedOn: d.publishedOn,
      title: d.title, docNumber: d.docNumber, label: null, summary: d.summary ?? '', body: d.body ?? '', url: d.url, files: (d.attachments ?? []).filter((a) => a.text.trim()),
    })),
    unique.map((d) => (d.doc.attachments?.some((a) => a.text.trim()) ? undefined : d.prepared)),
  );
}

/** A document of any kind as written to search_docs and the index. */
interface AnyDoc {
  id: number;
  kind: SearchKind;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  category: string;
  publishedOn: string;
  title: string;
  /** 文号 (shown, matched with the title). */
  docNumber: string | null;
  /** What the document is called besides its title (政府信息公开年度报告, 政府信息公开指南): matched with the title, not shown. */
  label: string | null;
  summary: string;
  body: string;
  url: string;
  files: AttachmentText[];
}

async function writeDocs(tx: Executor, docs: AnyDoc[], prepared: (PreparedSearchDoc | undefined)[] = []): Promise<void> {
  const engine = searchSeam(tx).engine;
  const rows: repo.DocRow[] = [];
  const index: string[][] = [];
  docs.forEach((d, i) => {
    // title column: title, 文号 (or the label); text column: summary, body, each attachment's text
    const p = prepared[i] ?? prepareSearchDoc(engine, d.title, d.docNumber ?? d.label ?? '', [d.summary, d.body, ...d.files.map((f) => f.text)]);
    rows.push({
      item_id: d.id,
      kind: d.kind,
      skey: docKey(d.publishedOn, d.id),
      agency_id: d.agencyId,
      agency_code: d.agencyCode,
      agency_name: d.agencyName,
      category: d.category,
      published_on: d.publishedOn.slice(0, 10),
      title: d.title,
      doc_number: d.docNumber,
      summary: d.summary,
      body: d.body,
      url: d.url,
      files: d.files.length ? JSON.stringify(d.files) : null,
      ftitle: p.ftitle,
      fdoc: p.fdoc,
      ftext: p.ftext,
    });
    index.push(p.index);
  });
  await repo.insertDocs(tx, rows, index);
}

/**
 * Ids of the documents that are not items: negative, so that they never meet an item's id (FTS5 rowids and the
 * primary key are one space). A report's sections take -(1 + reportId × 32 + section), a guide -(2^30 + agencyId):
 * each report's sections, and each guide, a range of their own, removed and replaced as a whole.
 */
const REPORT_PARTS = 32;
const GUIDE_BASE = 2 ** 30;
function reportIds(reportId: number): [lo: number, hi: number] {
  if (!Number.isInteger(reportId) || reportId < 0 || (reportId + 1) * REPORT_PARTS >= GUIDE_BASE) throw new Error(`search: report id out of range: ${reportId}`);
  return [-(reportId * REPORT_PARTS + REPORT_PARTS), -(reportId * REPORT_PARTS + 1)];
}
function guideId(agencyId: number): number {
  if (!Number.isInteger(agencyId) || agencyId < 0 || agencyId >= GUIDE_BASE) throw new Error(`search: agency id out of range: ${agencyId}`);
  return -(GUIDE_BASE + agencyId);
}

/** Replace the documents in [lo, hi] by `docs`; nothing is written when they are the same as indexed. */
async function replaceRange(tx: Executor, lo: number, hi: number, docs: AnyDoc[]): Promise<void> {
  const ids = await repo.idsBetween(tx, lo, hi);
  if (ids.length === docs.length && docs.length > 0) {
    const old = new Map((await repo.docsByIds(tx, ids)).map((r) => [r.item_id, r]));
    const same = docs.every((d) => {
      const r = old.get(d.id);
      // the date alone does not count: a guide never edited is dated the day it was first indexed
      return r && r.title === d.title && r.body === d.body && r.summary === d.summary && r.url === d.url && r.agency_name === d.agencyName && r.fdoc === runsOf(d.label ?? '').join(' ');
    });
    if (same) return;
  }
  await repo.deleteDocs(tx, ids);
  if (docs.length) await writeDocs(tx, docs);
}

/** A published annual report as the search index sees it: one document per section, as the report page renders it. */
export interface ReportForSearch {
  /** The report's id (its row in the reports module). */
  reportId: number;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  /** 'YYYY-MM-DD' (the first publication). */
  publishedOn: string;
  /** The report's title (…年政府信息公开工作年度报告). */
  title: string;
  sections: {
    /** 一、总体情况 … */
    title: string;
    /** The section's prose and its table as text. */
    text: string;
    /** The report page at the section's anchor. */
    url: string;
  }[];
}

/** What a report's sections are also called (matched with their titles): the search box's own example finds them. */
export const REPORT_LABEL = '政府信息公开年度报告';
/** The same for a guide. */
export const GUIDE_LABEL = '政府信息公开指南';

/** Index a published (or corrected and published again) annual report, replacing its sections. Call in the publishing transaction. */
export async function indexReport(tx: Executor, r: ReportForSearch): Promise<void> {
  const [lo, hi] = reportIds(r.reportId);
  if (r.sections.length > REPORT_PARTS) throw new Error(`search: a report has at most ${REPORT_PARTS} sections`);
  await replaceRange(
    tx,
    lo,
    hi,
    r.sections.map((s, i) => ({
      id: -(r.reportId * REPORT_PARTS + 1 + i), kind: 'report', agencyId: r.agencyId, agencyCode: r.agencyCode, agencyName: r.agencyName, category: '', publishedOn: r.publishedOn,
      title: `${r.title} ${s.title}`, docNumber: null, label: REPORT_LABEL, summary: '', body: s.text, url: s.url, files: [],
    })),
  );
}

/** Take a report's sections out of the index (the report is no longer published). */
export async function removeReport(tx: Executor, reportId: number): Promise<void> {
  const [lo, hi] = reportIds(reportId);
  await repo.deleteDocs(tx, await repo.idsBetween(tx, lo, hi));
}

/** An agency's 政府信息公开指南 as the search index sees it. */
export interface GuideForSearch {
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  title: string;
  /** The guide's text, its sections one after another. */
  text: string;
  url: string;
  /** 'YYYY-MM-DD': when it was last changed (or indexed, for a guide never edited). */
  updatedOn: string;
}

/** Index an agency's guide (replacing what was indexed; nothing is written when it is unchanged). */
export async function indexGuide(tx: Executor, g: GuideForSearch): Promise<void> {
  const id = guideId(g.agencyId);
  await replaceRange(tx, id, id, [
    { id, kind: 'guide', agencyId: g.agencyId, agencyCode: g.agencyCode, agencyName: g.agencyName, category: '', publishedOn: g.updatedOn, title: g.title, docNumber: null, label: GUIDE_LABEL, summary: '', body: g.text, url: g.url, files: [] },
  ]);
}

/** Take an agency's guide out of the index. */
export async function removeGuide(tx: Executor, agencyId: number): Promise<void> {
  const id = guideId(agencyId);
  await repo.deleteDocs(tx, await repo.idsBetween(tx, id, id));
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

/**
 * The hourly tidy-up of the index (the search.maintenance job), at most `budgetMs` of small steps: SQLite merges
 * its crowded levels of segments, or all of them when the index is spread out (what keeps every lookup cheap after
 * bulk imports); PostgreSQL needs none.
 */
export async function tidySearchIndex(ctx: Ctx, budgetMs = 10 * 60_000): Promise<{ steps: number; done: boolean }> {
  return repo.tidy(ctx.db, budgetMs);
}

// ---------------------------------------------------------------------------------------------------------
// Searching

/** What a search that ran out of time answers (PostgreSQL's statement_timeout for searches, GONGKAI_SEARCH_TIMEOUT_MS). */
export const SEARCH_TIMEOUT_MESSAGE = '检索用时过长，未能完成：请增加关键词，或选择发布机构、年份缩小范围后再试。';

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
  if (q.kind) filter.kind = q.kind;
  if (q.year) filter.year = q.year;

  let ranked: Awaited<ReturnType<typeof repo.rankPage>>;
  try {
    ranked = await repo.rankPage(ctx.db, words, filter, sort, pageSize, (page - 1) * pageSize);
  } catch (e) {
    if (!isSearchTimeout(e)) throw e;
    return { ...empty(SEARCH_TIMEOUT_MESSAGE), errorKind: 'timeout' };
  }
  const docs = new Map((await repo.docsByIds(ctx.db, ranked.rows.map((r) => r.itemId))).map((d) => [d.item_id, d]));
  const items: SearchHit[] = [];
  for (const r of ranked.rows) {
    const d = docs.get(r.itemId);
    if (!d) continue;
    const content = `${d.summary}\n${d.body}`;
    let kind: HitKind = d.kind === 'report' || d.kind === 'guide' ? d.kind : 'item';
    let snippet: string;
    const file = r.tier === 2 && d.files ? attachmentHit(d, words) : null;
    if (file) {
      kind = 'attachment';
      snippet = snippetOf(file.text, words);
    } else snippet = snippetOf(content.trim() ? content : d.title, words);
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
      kind,
      kindLabel: HIT_KIND_LABELS[kind],
      ...(file ? { attachment: file.name } : {}),
      matchedIn: r.tier < 2 ? 'title' : 'text',
    });
  }
  const suggestion = ranked.total === 0 && words.length === 1 ? suggest(await vocabulary(ctx), words[0]!) : null;
  return { total: ranked.total, totalCapped: ranked.capped, titleHits: ranked.titleHits, page, pageSize, words, sort, items, ...(suggestion ? { suggestion } : {}) };
}

/**
 * The attachment to show a text hit from: none when the summary or body holds a word (the snippet comes from
 * them, as for any item); else the first attachment whose text holds one.
 */
function attachmentHit(d: repo.DocRow, words: string[]): AttachmentText | null {
  const holds = (text: string) => {
    const ref = refOf(text);
    return words.some((w) => ref.includes(w));
  };
  if (holds(d.summary) || holds(d.body)) return null;
  let files: AttachmentText[];
  try {
    files = JSON.parse(d.files ?? '[]') as AttachmentText[];
  } catch {
    return null;
  }
  return files.find((f) => holds(f.text)) ?? null;
}

/**
 * Did-you-mean's vocabulary: terms of the latest VOCAB_TITLES titles, per database. A query that finds nothing
 * never waits for it to be made again: when items have come since (the newest id moved: one primary-key lookup)
 * or after VOCAB_MAX_AGE_MS, the one it has answers and a new one is made in the background, in slices; only the
 * very first is waited for (`warmSearch` makes it when the server starts). Before, each query that found nothing
 * counted search_docs (90 ms at 1 M documents; 12.6 s for the first one after a start on SQLite, reading the
 * table from disk) and, after any change, made the vocabulary again in one go (0.4 s).
 */
const VOCAB_TITLES = 20_000;
const VOCAB_MAX_AGE_MS = 600_000;
interface VocabularyEntry {
  newest: number;
  at: number;
  current: Promise<Vocabulary>;
  refreshing: boolean;
}
const vocabularies = new WeakMap<object, VocabularyEntry>();
async function makeVocabulary(ctx: Ctx): Promise<{ newest: number; vocab: Vocabulary }> {
  const newest = await repo.newestItemId(ctx.db);
  const titles = await repo.recentTitles(ctx.db, VOCAB_TITLES);
  return { newest, vocab: await buildVocabularyInSlices(titles, () => new Promise((r) => setImmediate(r))) };
}
async function vocabulary(ctx: Ctx): Promise<Vocabulary> {
  let e = vocabularies.get(ctx.db);
  if (!e) {
    const made = makeVocabulary(ctx);
    vocabularies.set(ctx.db, (e = { newest: Number.NaN, at: Date.now(), current: made.then((m) => m.vocab), refreshing: true }));
    const entry = e;
    made.then(
      (m) => Object.assign(entry, { newest: m.newest, refreshing: false }),
      () => vocabularies.delete(ctx.db), // tried again by the next query
    );
    return e.current;
  }
  if (!e.refreshing && (Date.now() - e.at > VOCAB_MAX_AGE_MS || (await repo.newestItemId(ctx.db)) !== e.newest)) {
    const entry = e;
    entry.refreshing = true;
    makeVocabulary(ctx).then(
      (m) => Object.assign(entry, { newest: m.newest, at: Date.now(), current: Promise.resolve(m.vocab), refreshing: false }),
      () => Object.assign(entry, { at: Date.now(), refreshing: false }), // kept; tried again after the maximum age
    );
  }
  return e.current;
}

/**
 * Make a server's first searches as fast as its next ones (called when it starts, not awaited): a search opens a
 * connection and, on PostgreSQL, reads the planner's statistics of the index; the did-you-mean vocabulary is
 * made. On the real corpus a process's first search took 77–98 ms and its first query that found nothing
 * 262–372 ms (the vocabulary); the next ones 5–25 ms.
 */
export async function warmSearch(ctx: Ctx): Promise<void> {
  await searchItems(ctx, { q: HOT_SEARCHES[0]! });
  await vocabulary(ctx);
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
