/**
 * Chinese full-text search over published disclosure items.
 *
 * The index (tables of our own, the same on SQLite and PostgreSQL): for each item, the distinct character
 * bigrams of its title and 文号 (plus single characters, for one-character queries) form the title field;
 * the bigrams of title, 文号, summary and body form the full-text field, together with pseudo-grams for the
 * agency and the 主题分类 so that filters are list intersections too. Posting lists are sort keys
 * (发布日期, then id) in descending order, kept in delta-encoded blocks; postings of newly published items
 * wait in `search_pending` (one row each) and are merged into the blocks in batches.
 *
 * A query is cut into words (jieba); every word is required, as a phrase (its bigrams, checked against
 * the text on the page shown). Items whose title holds every word come first, then items that hold them
 * in the text; within each, newest first. No scoring of every match: totals are list lengths, and a page
 * needs only its own rows.
 */
import type { Executor } from '../../db/database.js';
import { findAgency } from '../agencies/agencies.service.js';
import type { Ctx } from '../context.js';
import { GramGroups } from './postings.js';
import * as repo from './search.repository.js';
import {
  agencyGram,
  categoryGram,
  containsAll,
  decodeBlock,
  encodeBlock,
  highlightHtml,
  itemIdOf,
  mergeDesc,
  queryWords,
  snippetOf,
  sortKey,
  textGrams,
  textGramsTo,
  wordGrams,
  yearRange,
} from './text.js';

/** The search engine's text analysis, for other modules that compare texts (依申请转主动 suggestions). */
export { textWords } from './text.js';

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

export interface SearchQuery {
  q: string;
  /** Agency code: only that agency's items. */
  agency?: string;
  /** 主题分类 / catalogue category as indexed. */
  category?: string;
  year?: number;
  page?: number;
  pageSize?: number;
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
  /** Where the words were found: in the title (ranked first) or only in the text. */
  matchedIn: 'title' | 'text';
}

export interface SearchResult {
  /** Matches counted, up to COUNT_CAP (then `totalCapped`). */
  total: number;
  /** True when counting stopped at COUNT_CAP: there are at least `total` matches. */
  totalCapped: boolean;
  /** Of which in the title. */
  titleHits: number;
  page: number;
  pageSize: number;
  /** The words searched for (after segmentation). */
  words: string[];
  items: SearchHit[];
}

export const FIELD_TITLE = 1;
export const FIELD_FULL = 2;
const BLOCK_MAX = 4096;
export const MAX_PAGE = 50;
export const MAX_PAGE_SIZE = 50;

/** Suggested searches (热门搜索) shown beside the search box. */
export const HOT_SEARCHES = ['政府信息公开指南', '年度报告', '规范性文件', '财政预决算', '行政许可', '政府采购', '人事任免', '应急预案'];

let compactAfterDocs = 2000;
/** How many newly indexed items wait before their postings are merged into blocks (tests and benchmarks). */
export function setCompactionThreshold(docs: number): void {
  compactAfterDocs = Math.max(1, docs);
}

// ---------------------------------------------------------------------------------------------------------
// Indexing

function gramsOf(d: { title: string; docNumber: string | null; summary: string; body: string; agencyId: number; category: string }) {
  const title = textGrams(`${d.title} ${d.docNumber ?? ''}`, true);
  const full = textGrams(`${d.title}\n${d.docNumber ?? ''}\n${d.summary}\n${d.body}`, false);
  full.add(agencyGram(d.agencyId));
  full.add(categoryGram(d.category));
  return { title, full };
}

const fromRow = (r: repo.DocRow) => ({
  title: r.title,
  docNumber: r.doc_number,
  summary: r.summary,
  body: r.body,
  agencyId: r.agency_id,
  category: r.category,
});

/**
 * Batches at least this large skip the pending table and go straight into the blocks: an item has a few
 * hundred postings, and a row each in the pending table cost more than merging them (a 100-item import:
 * 2.5 s on PostgreSQL through the pending table, 0.5 s straight into the blocks). A single publication
 * still waits in the pending table, where it costs a few hundred small rows.
 */
const BULK_DOCS = 20;
/**
 * Runs per posting list (size-tiered, as in LSM trees): a new run is merged with the runs of its size tier
 * once MERGE_FANOUT - 1 of them are there, so each posting is rewritten about log_F(N / batch) times; a
 * list never has more than MAX_RUNS runs (the smallest are merged first).
 */
const MERGE_FANOUT = 4;
const MAX_RUNS = 12;

/** The grams of documents, per field, grouped (each gram's keys descending). */
function batchGroups(docs: { skey: number; title: string; docNumber: string | null; summary: string; body: string; agencyId: number; category: string }[]) {
  const sorted = [...docs].sort((a, b) => b.skey - a.skey);
  const title = new GramGroups();
  const full = new GramGroups();
  for (let i = 0; i < sorted.length; i++) {
    const d = sorted[i]!;
    title.doc = i;
    full.doc = i;
    textGramsTo([d.title, d.docNumber ?? ''], true, title);
    textGramsTo([d.title, d.docNumber ?? '', d.summary, d.body], false, full);
    full.add(agencyGram(d.agencyId));
    full.add(categoryGram(d.category));
  }
  const keys = Float64Array.from(sorted, (d) => d.skey);
  return [title.groups(keys), full.groups(keys)] as const;
}

/** Index (or re-index) published items. Call in the transaction that publishes them. */
export async function indexItems(tx: Executor, docs: SearchDoc[]): Promise<void> {
  if (docs.length === 0) return;
  const unique = [...new Map(docs.map((d) => [d.itemId, d])).values()];
  const bulk = unique.length >= BULK_DOCS;
  const pendingDocs = await repo.lockAndAddPending(tx, bulk ? 0 : unique.length);
  for (const existing of await repo.findDocs(tx, unique.map((d) => d.itemId))) await unindex(tx, existing);
  const rows: repo.DocRow[] = unique.map((d) => ({
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
  }));
  await repo.insertDocs(tx, rows);
  const [title, full] = batchGroups(rows.map((r) => ({ ...fromRow(r), skey: r.skey })));
  if (bulk) {
    await mergeIntoBlocks(tx, FIELD_TITLE, title);
    await mergeIntoBlocks(tx, FIELD_FULL, full);
    return;
  }
  const postings: { field: number; gram: number; skey: number }[] = [];
  for (const [field, groups] of [[FIELD_TITLE, title], [FIELD_FULL, full]] as const) for (const [gram, keys] of groups) for (const skey of keys) postings.push({ field, gram, skey });
  await repo.insertPending(tx, postings);
  if (pendingDocs >= compactAfterDocs) await compact(tx);
}

/** Remove an item from the index (withdrawn). Call in the same transaction. */
export async function removeItem(tx: Executor, itemId: number): Promise<void> {
  await repo.lockAndAddPending(tx, 0);
  const existing = await repo.findDoc(tx, itemId);
  if (existing) await unindex(tx, existing);
}

async function unindex(tx: Executor, row: repo.DocRow): Promise<void> {
  await repo.deletePendingOf(tx, row.skey);
  const g = gramsOf(fromRow(row));
  for (const [field, grams] of [[FIELD_TITLE, g.title], [FIELD_FULL, g.full]] as const) {
    const blocks = await repo.blocksHolding(tx, field, [...grams], row.skey);
    const replaced: number[] = [];
    const replacements = [];
    for (const b of blocks) {
      const all = decodeBlock(b.data, b.n);
      const keys = all.filter((k) => k !== row.skey);
      if (keys.length === all.length) continue;
      replaced.push(b.id);
      if (keys.length) replacements.push({ field, gram: b.gram, run: b.run, maxSkey: keys[0]!, minSkey: keys[keys.length - 1]!, n: keys.length, data: encodeBlock(keys) });
    }
    await repo.deleteBlocks(tx, replaced);
    await repo.insertBlocks(tx, replacements);
  }
  await repo.deleteDoc(tx, row.item_id);
}

function splitBlocks(keys: Float64Array<ArrayBufferLike>): Float64Array<ArrayBufferLike>[] {
  if (keys.length <= BLOCK_MAX) return [keys];
  const out: Float64Array<ArrayBufferLike>[] = [];
  for (let i = 0; i < keys.length; i += BLOCK_MAX) out.push(keys.subarray(i, i + BLOCK_MAX));
  return out;
}

/** The keys of one run: its blocks are disjoint, so in descending order of max they concatenate. */
function runKeys(blocks: repo.BlockMeta[], data: Map<number, Uint8Array>): Float64Array<ArrayBufferLike> {
  const sorted = [...blocks].sort((a, b) => b.maxSkey - a.maxSkey);
  const out = new Float64Array(sorted.reduce((s, b) => s + b.n, 0));
  let at = 0;
  for (const b of sorted) {
    decodeBlock(data.get(b.id)!, b.n, out, at);
    at += b.n;
  }
  return out;
}

/** Items grouped by a key, in the order met. */
function groupBy<T, V = T>(items: Iterable<T>, key: (x: T) => number, value: (x: T) => V = (x) => x as unknown as V): Map<number, V[]> {
  const out = new Map<number, V[]>();
  for (const x of items) {
    const k = key(x);
    let l = out.get(k);
    if (!l) out.set(k, (l = []));
    l.push(value(x));
  }
  return out;
}
const byRun = (blocks: repo.BlockMeta[]) => groupBy(blocks, (b) => b.run);
const byGram = (blocks: repo.BlockMeta[]) => groupBy(blocks, (b) => b.gram);

const tierOf = (size: number) => Math.floor(Math.log(Math.max(1, size)) / Math.log(MERGE_FANOUT));

/** Which existing runs (smallest first) a new run of `size` keys is merged with. */
function runsToMerge<R extends { size: number }>(size: number, runs: R[]): R[] {
  const rest = [...runs].sort((a, b) => a.size - b.size);
  const merge: R[] = [];
  let acc = size;
  for (;;) {
    const t = tierOf(acc);
    let k = 0;
    while (k < rest.length && tierOf(rest[k]!.size) <= t) k++;
    if (k >= MERGE_FANOUT - 1) {
      for (const r of rest.splice(0, k)) {
        merge.push(r);
        acc += r.size;
      }
      continue;
    }
    if (rest.length + 1 > MAX_RUNS) {
      const r = rest.shift()!;
      merge.push(r);
      acc += r.size;
      continue;
    }
    return merge;
  }
}

/**
 * Add keys (each gram's keys descending) to the posting lists of a field: each gram's new keys become a
 * run, merged with existing runs by size tier. Writing cost stays proportional to what is added (amortised,
 * times the number of tiers), whatever order items arrive in.
 */
async function mergeIntoBlocks(tx: Executor, field: number, group: Map<number, Float64Array<ArrayBufferLike>>): Promise<void> {
  const grams = [...group.keys()];
  for (let i = 0; i < grams.length; i += 2000) {
    const batch = grams.slice(i, i + 2000);
    const metas = await repo.blockMetas(tx, field, batch);
    const metasOf = byGram(metas);
    const plan: { gram: number; keys: Float64Array<ArrayBufferLike>; merge: repo.BlockMeta[][]; run: number }[] = [];
    for (const gram of batch) {
      const keys = group.get(gram)!;
      const runs = [...byRun(metasOf.get(gram) ?? []).entries()].map(([run, blocks]) => ({ run, blocks, size: blocks.reduce((s, b) => s + b.n, 0) }));
      const merge = runsToMerge(keys.length, runs).map((r) => r.blocks);
      const run = runs.reduce((m, r) => Math.max(m, r.run + 1), 0);
      plan.push({ gram, keys, merge, run });
    }
    const mergedIds = plan.flatMap((p) => p.merge.flat().map((b) => b.id));
    const data = await repo.blockData(tx, mergedIds);
    const out = [];
    for (const p of plan) {
      let merged = p.keys;
      if (p.merge.length) merged = mergeMany([p.keys, ...p.merge.map((blocks) => runKeys(blocks, data))]);
      for (const piece of splitBlocks(merged)) {
        out.push({ field, gram: p.gram, run: p.run, maxSkey: piece[0]!, minSkey: piece[piece.length - 1]!, n: piece.length, data: encodeBlock(piece) });
      }
    }
    await repo.deleteBlocks(tx, mergedIds);
    await repo.insertBlocks(tx, out);
  }
}

/** Merge descending lists (pairwise, smallest first). */
function mergeMany(lists: Float64Array<ArrayBufferLike>[]): Float64Array<ArrayBufferLike> {
  const q = [...lists].sort((a, b) => a.length - b.length);
  while (q.length > 1) {
    const a = q.shift()!;
    const b = q.shift()!;
    const m = mergeDesc(a, b);
    let k = 0;
    while (k < q.length && q[k]!.length < m.length) k++;
    q.splice(k, 0, m);
  }
  return q[0]!;
}

/** Merge the pending postings into the blocks (in the caller's transaction, under the writers' lock). */
async function compact(tx: Executor): Promise<void> {
  const groups: [Map<number, number[]>, Map<number, number[]>] = [new Map(), new Map()];
  let after: { field: number; gram: number; skey: number } | null = null;
  for (;;) {
    const page = await repo.pendingPage(tx, after, 20000);
    if (page.length === 0) break;
    for (const p of page) {
      const m = groups[p.field - 1]!;
      let l = m.get(p.gram);
      if (!l) m.set(p.gram, (l = []));
      l.push(p.skey);
    }
    after = page[page.length - 1]!;
  }
  const desc = (m: Map<number, number[]>) => new Map([...m].map(([g, keys]) => [g, Float64Array.from(new Set(keys)).sort().reverse()] as const));
  await mergeIntoBlocks(tx, FIELD_TITLE, desc(groups[0]));
  await mergeIntoBlocks(tx, FIELD_FULL, desc(groups[1]));
  await repo.clearPending(tx);
  await repo.resetPending(tx);
}

/** Merge every pending posting into the blocks now (after a bulk import; also done automatically). */
export async function compactSearchIndex(ctx: Ctx): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await repo.lockAndAddPending(tx, 0);
    await compact(tx);
  });
}

/** The server merges a list back into one run once publications have split it into this many. */
export const SEARCH_OPTIMIZE_MIN_RUNS = 4;

export interface OptimizeOptions {
  /** Lists of at least this many runs are merged (default 2: every list ends as one run). */
  minRuns?: number;
  /** Stop after this long (the remaining lists wait for the next call); default: no limit. */
  maxMs?: number;
  /** Postings rewritten per transaction (the writers' lock is held for one; default 1 000 000). */
  chunkPostings?: number;
  onProgress?: (postingsDone: number, postingsTotal: number) => void;
}

/**
 * Merge each posting list's runs into one run (what a search reads fastest: a query walks one sorted list
 * per gram instead of the union of several). Imports and publications add runs, and the size-tiered merging
 * keeps up to MAX_RUNS per list so that indexing stays proportional to what is added; this is the
 * read-optimising pass that follows, like an index's "optimize" or "force merge". Lists with the most runs
 * go first; each transaction rewrites about `chunkPostings` postings under the writers' lock and the next
 * waits for the event loop, so searches and writes go on in between. Safe at any time: results do not
 * change, only the layout.
 */
export async function optimizeSearchIndex(ctx: Ctx, opts: OptimizeOptions = {}): Promise<{ lists: number; postings: number; complete: boolean }> {
  const started = Date.now();
  const chunkPostings = opts.chunkPostings ?? 1_000_000;
  const todo = await repo.listsWithRuns(ctx.db, Math.max(2, opts.minRuns ?? 2));
  const total = todo.reduce((s, l) => s + l.postings, 0);
  let done = 0;
  let lists = 0;
  for (let i = 0; i < todo.length; ) {
    if (opts.maxMs !== undefined && Date.now() - started > opts.maxMs) return { lists, postings: done, complete: false };
    let j = i;
    let size = 0;
    while (j < todo.length && (j === i || size + todo[j]!.postings <= chunkPostings)) size += todo[j++]!.postings;
    const chunk = todo.slice(i, j);
    await ctx.db.transaction().execute(async (tx) => {
      await repo.lockAndAddPending(tx, 0);
      for (const field of [FIELD_TITLE, FIELD_FULL]) {
        const grams = chunk.filter((l) => l.field === field).map((l) => l.gram);
        if (!grams.length) continue;
        const metas = await repo.blockMetas(tx, field, grams);
        const data = await repo.blockData(tx, metas.map((m) => m.id));
        const out: Parameters<typeof repo.insertBlocks>[1] = [];
        const merged = new Set<number>();
        for (const [gram, blocks] of byGram(metas)) {
          const runs = [...byRun(blocks).values()];
          if (runs.length < 2) continue; // merged by someone else meanwhile
          merged.add(gram);
          for (const piece of splitBlocks(mergeMany(runs.map((bs) => runKeys(bs, data))))) {
            out.push({ field, gram, run: 0, maxSkey: piece[0]!, minSkey: piece[piece.length - 1]!, n: piece.length, data: encodeBlock(piece) });
          }
        }
        await repo.deleteBlocks(tx, metas.filter((m) => merged.has(m.gram)).map((m) => m.id));
        await repo.insertBlocks(tx, out);
      }
    });
    lists += chunk.length;
    done += size;
    opts.onProgress?.(done, total);
    i = j;
    await new Promise((r) => setImmediate(r));
  }
  return { lists, postings: done, complete: true };
}

// ---------------------------------------------------------------------------------------------------------
// Reading posting lists lazily: cursors over each gram's runs of blocks, decoded on demand (decoded
// blocks are cached by id; blocks are immutable, pending rows are read fresh). Lists are walked newest
// first with leapfrog intersection, so a page and a capped count need only the blocks they reach.

/**
 * Counting stops here: beyond it the total is shown as “约 2,500+”. Every result a reader can reach is counted
 * (MAX_PAGE pages of at most MAX_PAGE_SIZE); counting further only to print a larger number cost most of a
 * common word's query at a million items (it was 10 000: two-word queries p50 ≈ 17 ms, now ≈ 10 ms).
 */
export const COUNT_CAP = MAX_PAGE * MAX_PAGE_SIZE;
/**
 * Counting also stops (the page being complete) once a query has read this many postings: two common words
 * that rarely meet would otherwise have whole lists read to count them. The total is then “at least”.
 */
let WORK_CAP = 400_000;
/** Set the work cap (tests and benchmarks); returns the previous one. */
export function setSearchWorkCap(postings: number): number {
  const prev = WORK_CAP;
  WORK_CAP = Math.max(0, postings);
  return prev;
}
const BLOCK_CACHE_BUDGET = 2_000_000; // postings (8 bytes each): 16 MB at most
const PREFETCH = 3; // further blocks of a run fetched with the one needed (doubling as the walk goes on)
const MAX_PREFETCH = 48;

interface BlockCache {
  blocks: Map<number, Float64Array<ArrayBufferLike>>;
  size: number;
}
/** One cache per database handle (tests and tools may open several in one process). */
const caches = new WeakMap<object, BlockCache>();
function cacheOf(db: Executor): BlockCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { blocks: new Map(), size: 0 }));
  return c;
}

class BlockSource {
  private readonly cache: BlockCache;
  /** Postings in the blocks the cursors have entered (the query's work, whatever was cached). */
  work = 0;
  constructor(private readonly db: Executor) {
    this.cache = cacheOf(db);
  }
  get(id: number): Float64Array<ArrayBufferLike> | undefined {
    const hit = this.cache.blocks.get(id);
    if (hit) {
      this.cache.blocks.delete(id);
      this.cache.blocks.set(id, hit); // most recently used
    }
    return hit;
  }
  async load(metas: repo.BlockMeta[]): Promise<void> {
    const missing = metas.filter((m) => !this.cache.blocks.has(m.id));
    if (!missing.length) return;
    const data = await repo.blockData(this.db, missing.map((m) => m.id));
    for (const m of missing) {
      const keys = decodeBlock(data.get(m.id)!, m.n);
      this.cache.blocks.set(m.id, keys);
      this.cache.size += keys.length;
    }
    for (const [k, v] of this.cache.blocks) {
      if (this.cache.size <= BLOCK_CACHE_BUDGET) break;
      this.cache.blocks.delete(k);
      this.cache.size -= v.length;
    }
  }
}

/** Thrown (as a value) when a cursor needs blocks that are not loaded yet. */
class Need {
  constructor(readonly blocks: repo.BlockMeta[]) {}
}

/** One run of a posting list: disjoint blocks in descending order (or the pending keys, in memory). */
class RunCursor {
  private bi = 0;
  private prefetch = PREFETCH;
  private keys: Float64Array<ArrayBufferLike> | null = null;
  private ki = 0;
  constructor(private readonly blocks: repo.BlockMeta[], private readonly src: BlockSource, private readonly mem?: Float64Array<ArrayBufferLike>) {}

  /** The first key <= v (the cursor only moves forward), null when none, or Need. */
  seek(v: number): number | null | Need {
    if (this.mem) {
      this.ki = seekFrom(this.mem, v, this.ki);
      return this.ki < this.mem.length ? this.mem[this.ki]! : null;
    }
    for (;;) {
      const b = this.blocks[this.bi];
      if (!b) return null;
      if (b.minSkey > v) {
        this.bi++;
        this.keys = null;
        this.ki = 0;
        continue;
      }
      if (!this.keys) {
        const keys = this.src.get(b.id);
        if (!keys) {
          // A cursor that keeps needing blocks is walking its list: fetch more at a time (fewer round trips).
          const need = new Need(this.blocks.slice(this.bi, this.bi + 1 + this.prefetch));
          this.prefetch = Math.min(MAX_PREFETCH, this.prefetch * 2);
          return need;
        }
        this.keys = keys;
        this.src.work += keys.length;
      }
      this.ki = seekFrom(this.keys, v, this.ki);
      if (this.ki < this.keys.length) return this.keys[this.ki]!;
      this.bi++;
      this.keys = null;
      this.ki = 0;
    }
  }
}

/** First index i >= from with a[i] <= v (a descending), galloping. */
function seekFrom(a: Float64Array<ArrayBufferLike>, v: number, from: number): number {
  let lo = from;
  if (lo >= a.length || a[lo]! <= v) return lo;
  let step = 1;
  let hi = lo + 1;
  while (hi < a.length && a[hi]! > v) {
    lo = hi;
    hi += step;
    step *= 2;
  }
  if (hi > a.length) hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! > v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A gram's posting list: the union of its runs. */
class ListCursor {
  /**
   * Each run's head: its largest key <= the last key sought in it (-Infinity when it has none left;
   * +Infinity before the first seek). Seeking lower only moves the runs whose head is above the new key —
   * walking a list of many runs densely costs one comparison per run, not one seek per run.
   */
  private readonly heads: Float64Array;
  /** size: how many keys the list holds (the rarest list leads an intersection). */
  constructor(private readonly runs: RunCursor[], readonly size: number) {
    this.heads = new Float64Array(runs.length).fill(Infinity);
  }
  seek(v: number): number | null | Need {
    let best = -Infinity;
    for (let i = 0; i < this.runs.length; i++) {
      let h = this.heads[i]!;
      if (h > v || h === Infinity) {
        const k = this.runs[i]!.seek(v);
        if (k instanceof Need) return k;
        h = k === null ? -Infinity : k;
        this.heads[i] = h;
      }
      if (h > best) best = h;
    }
    return best === -Infinity ? null : best;
  }
}

/** A gram's list as a query opens it: its runs (blocks in descending order), its pending keys, its size. */
interface ListShape {
  runs: repo.BlockMeta[][];
  mem: Float64Array<ArrayBufferLike> | null;
  size: number;
}
/**
 * The shapes of recently opened lists, per database handle, valid for one generation of the index: every
 * write to the blocks or the pending postings moves the generation in its transaction, so a query reads the
 * generation (one row) and reuses the shapes read under it. At a million items a common gram has a hundred
 * blocks or more; reading their metadata was a fifth of a query.
 */
const shapeCaches = new WeakMap<object, { gen: number; shapes: Map<number, ListShape> }>();
const SHAPE_CACHE_MAX = 20_000;
const shapeKey = (field: number, gram: number) => gram * 4 + field; // grams are integers well inside 2^51

/** Cursors over the posting lists of some grams of a field (blocks' metadata and pending keys loaded). */
async function openLists(db: Executor, src: BlockSource, field: number, grams: number[], gen: number): Promise<Map<number, () => ListCursor>> {
  const uniq = [...new Set(grams)];
  let cache = shapeCaches.get(db);
  if (!cache || cache.gen !== gen || cache.shapes.size > SHAPE_CACHE_MAX) shapeCaches.set(db, (cache = { gen, shapes: new Map() }));
  const missing = uniq.filter((g) => !cache.shapes.has(shapeKey(field, g)));
  if (missing.length) {
    const [metas, pending] = await Promise.all([repo.blockMetas(db, field, missing), repo.pendingFor(db, field, missing)]);
    const metasOf = byGram(metas);
    const pend = groupBy(pending, (p) => p.gram, (p) => p.skey);
    for (const gram of missing) {
      const runs = [...byRun(metasOf.get(gram) ?? []).values()].map((bs) => bs.sort((a, b) => b.maxSkey - a.maxSkey));
      const mem = pend.has(gram) ? Float64Array.from(pend.get(gram)!).sort().reverse() : null;
      const size = (metasOf.get(gram) ?? []).reduce((n, b) => n + b.n, 0) + (mem?.length ?? 0);
      cache.shapes.set(shapeKey(field, gram), { runs, mem, size });
    }
  }
  const out = new Map<number, () => ListCursor>();
  for (const gram of uniq) {
    const { runs, mem, size } = cache.shapes.get(shapeKey(field, gram))!;
    out.set(gram, () => new ListCursor([...runs.map((bs) => new RunCursor(bs, src)), ...(mem ? [new RunCursor([], src, mem)] : [])], size));
  }
  return out;
}

/** Walk the intersection of the lists, newest first, from hi-1 down to lo; stop when onMatch returns false. */
async function walk(src: BlockSource, lists: ListCursor[], lo: number, hi: number, onMatch: (key: number) => boolean, stop: () => boolean): Promise<void> {
  if (lists.length === 0) return;
  let v = hi - 1;
  for (;;) {
    if (v < lo) return;
    let need: Need | null = null;
    let cand = lists[0]!.seek(v);
    if (cand instanceof Need) need = cand;
    else if (cand === null || cand < lo) return;
    else {
      v = cand;
      let agreed = true;
      for (let i = 1; i < lists.length; i++) {
        const k = lists[i]!.seek(v);
        if (k instanceof Need) {
          need = k;
          break;
        }
        if (k === null) return;
        if (k < v) {
          v = k;
          agreed = false;
          break;
        }
      }
      if (!need && agreed) {
        if (!onMatch(v)) return;
        v -= 1;
      }
    }
    if (need) {
      if (stop()) return;
      await src.load(need.blocks);
    }
  }
}

/** True if every list holds the key (cursors move forward only: ask in descending order). */
function holdsAll(lists: ListCursor[], key: number): boolean | Need {
  for (const l of lists) {
    const k = l.seek(key);
    if (k instanceof Need) return k;
    if (k !== key) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Searching

const empty = (page: number, pageSize: number, words: string[]): SearchResult => ({ total: 0, titleHits: 0, totalCapped: false, page, pageSize, words, items: [] });

export async function searchItems(ctx: Ctx, q: SearchQuery): Promise<SearchResult> {
  const page = Math.min(MAX_PAGE, Math.max(1, Math.floor(q.page ?? 1) || 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(q.pageSize ?? 20) || 20));
  const words = queryWords(q.q ?? '');
  if (words.length === 0) return empty(page, pageSize, words);

  const filterGrams: number[] = [];
  let agencyCode: string | undefined;
  if (q.agency) {
    const agency = await findAgency(ctx, q.agency);
    if (!agency) return empty(page, pageSize, words);
    agencyCode = agency.code;
    filterGrams.push(agencyGram(agency.id));
  }
  if (q.category) filterGrams.push(categoryGram(q.category));

  const titleGrams: number[] = [];
  const fullGrams: number[] = [];
  const fullWords = words.filter((w) => [...w].length > 1);
  for (const w of words) {
    const g = wordGrams(w);
    if (g.unigram !== null) titleGrams.push(g.unigram);
    titleGrams.push(...g.bigrams);
    fullGrams.push(...g.bigrams);
  }
  const src = new BlockSource(ctx.db);
  const gen = await repo.indexGeneration(ctx.db);
  const [titleOpen, fullOpen] = await Promise.all([
    openLists(ctx.db, src, FIELD_TITLE, titleGrams, gen),
    openLists(ctx.db, src, FIELD_FULL, [...fullGrams, ...filterGrams], gen),
  ]);
  const rarestFirst = (ls: ListCursor[]) => ls.sort((a, b) => a.size - b.size);
  const titleLists = () => rarestFirst([...new Set(titleGrams)].map((g) => titleOpen.get(g)!()).concat([...new Set(filterGrams)].map((g) => fullOpen.get(g)!())));
  const fullLists = () => rarestFirst([...new Set([...fullGrams, ...filterGrams])].map((g) => fullOpen.get(g)!()));
  const [lo, hi] = q.year ? yearRange(q.year) : [-Infinity, Infinity];

  const offset = (page - 1) * pageSize;
  const want = pageSize * 2 + 4; // candidates beyond the page, in case some fail the phrase check
  const cands: { skey: number; tier: 'title' | 'text' }[] = [];

  // Counting stops early once the page's candidates are in and the query has read WORK_CAP postings: the
  // total is then a lower bound (totalCapped), the page itself is exact.
  let workCapped = false;
  const stop = () => {
    if (cands.length >= want && src.work > WORK_CAP) workCapped = true;
    return workCapped;
  };

  // Title hits: count (up to the cap) and keep the page's candidates.
  let titleHits = 0;
  await walk(src, titleLists(), lo, hi, (k) => {
    if (titleHits >= offset && cands.length < want) cands.push({ skey: k, tier: 'title' });
    titleHits++;
    return titleHits < COUNT_CAP && !stop();
  }, stop);
  let capped = titleHits >= COUNT_CAP || workCapped;

  // Text-only hits: the full-text matches that are not title hits.
  let textHits = 0;
  if (fullWords.length && !(capped && cands.length >= want)) {
    const membership = titleLists();
    const textOffset = Math.max(0, offset - titleHits);
    let resumeHi = hi;
    for (;;) {
      let need = null as Need | null;
      await walk(src, fullLists(), lo, resumeHi, (k) => {
        const t = holdsAll(membership, k);
        if (t instanceof Need) {
          need = t;
          resumeHi = k + 1; // look at this key again once the blocks are loaded
          return false;
        }
        if (t) return true; // a title hit, counted above
        if (textHits >= textOffset && cands.length < want) cands.push({ skey: k, tier: 'text' });
        textHits++;
        return titleHits + textHits < COUNT_CAP && !stop();
      }, stop);
      if (!need || stop()) break;
      await src.load(need.blocks);
    }
    if (titleHits + textHits >= COUNT_CAP || workCapped) capped = true;
  }
  const total = Math.min(COUNT_CAP, titleHits + textHits);

  const items: SearchHit[] = [];
  for (let i = 0; i < cands.length && items.length < pageSize; i += pageSize * 2) {
    const batch = cands.slice(i, i + pageSize * 2);
    const rows = new Map((await repo.docsBySkeys(ctx.db, batch.map((b) => b.skey))).map((r) => [r.skey, r]));
    for (const c of batch) {
      const r = rows.get(c.skey);
      if (!r || items.length >= pageSize) continue;
      if (agencyCode && r.agency_code !== agencyCode) continue;
      if (q.category && r.category !== q.category) continue;
      const titleText = `${r.title} ${r.doc_number ?? ''}`;
      const content = `${r.summary}\n${r.body}`;
      const ok = c.tier === 'title' ? containsAll(titleText, words) : containsAll(`${titleText}\n${content}`, words);
      if (!ok) continue;
      const snippet = snippetOf(content.trim() ? content : r.title, words);
      items.push({
        id: itemIdOf(r.skey),
        title: r.title,
        url: r.url,
        agency: r.agency_name,
        agencyCode: r.agency_code,
        publishedOn: r.published_on,
        category: r.category,
        docNumber: r.doc_number,
        snippet,
        snippetHtml: highlightHtml(snippet, words),
        titleHtml: highlightHtml(r.title, words),
        matchedIn: c.tier,
      });
    }
  }
  return { total, titleHits: Math.min(titleHits, COUNT_CAP), totalCapped: capped, page, pageSize, words, items };
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
