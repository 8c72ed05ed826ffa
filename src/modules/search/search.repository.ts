/** SQL of the search index (engine-neutral; storage options come from src/db/search-seam.ts). */
import { sql } from 'kysely';
import { bulkInsert, type BulkColumn } from '../../db/bulk.js';
import type { Executor } from '../../db/database.js';
import type { SearchDocsTable } from './search.tables.js';
import { itemIdOf } from './text.js';
import './search.tables.js';

export type DocRow = SearchDocsTable;

const CHUNK = 500;
function chunks<T>(a: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
  return out;
}

/** Serialise index writers (row lock on PostgreSQL until commit; SQLite has one writer) and count pending docs. */
export async function lockAndAddPending(tx: Executor, added: number): Promise<number> {
  const r = await tx
    .updateTable('search_meta')
    .set({ gen: sql<number>`gen + 1`, pending_docs: sql<number>`pending_docs + ${added}` })
    .where('id', '=', 1)
    .returning('pending_docs')
    .executeTakeFirstOrThrow();
  return r.pending_docs;
}

/** The index's generation: every write to the blocks or the pending postings moves it (lockAndAddPending). */
export async function indexGeneration(db: Executor): Promise<number> {
  const r = await db.selectFrom('search_meta').select('gen').where('id', '=', 1).executeTakeFirst();
  return Number(r?.gen ?? 0);
}

export async function resetPending(tx: Executor): Promise<void> {
  await tx.updateTable('search_meta').set({ pending_docs: 0 }).where('id', '=', 1).execute();
}

export async function findDoc(db: Executor, itemId: number): Promise<DocRow | undefined> {
  return db.selectFrom('search_docs').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

/** Documents already in the index, of these items. */
export async function findDocs(db: Executor, itemIds: number[]): Promise<DocRow[]> {
  const out: DocRow[] = [];
  for (const c of chunks(itemIds)) out.push(...(await db.selectFrom('search_docs').selectAll().where('item_id', 'in', c).execute()));
  return out;
}

const DOC_COLUMNS: BulkColumn[] = [
  { name: 'item_id', pg: 'int4' }, { name: 'skey', pg: 'int8' }, { name: 'agency_id', pg: 'int4' }, { name: 'agency_code', pg: 'text' },
  { name: 'agency_name', pg: 'text' }, { name: 'category', pg: 'text' }, { name: 'published_on', pg: 'text' }, { name: 'title', pg: 'text' },
  { name: 'doc_number', pg: 'text' }, { name: 'summary', pg: 'text' }, { name: 'body', pg: 'text' }, { name: 'url', pg: 'text' },
];

export async function insertDocs(tx: Executor, rows: DocRow[]): Promise<void> {
  await bulkInsert(
    tx,
    'search_docs',
    DOC_COLUMNS,
    rows.map((r) => [r.item_id, r.skey, r.agency_id, r.agency_code, r.agency_name, r.category, r.published_on, r.title, r.doc_number, r.summary, r.body, r.url]),
  );
}

export async function deleteDoc(tx: Executor, itemId: number): Promise<void> {
  await tx.deleteFrom('search_docs').where('item_id', '=', itemId).execute();
}

export async function docsBySkeys(db: Executor, skeys: number[]): Promise<DocRow[]> {
  if (skeys.length === 0) return [];
  const out: DocRow[] = [];
  const wanted = new Set(skeys);
  // By item id (the primary key, which the sort key embeds): no second index on search_docs to keep up on import.
  for (const c of chunks(skeys)) {
    const rows = await db.selectFrom('search_docs').selectAll().where('item_id', 'in', c.map(itemIdOf)).execute();
    for (const r of rows) if (wanted.has(r.skey)) out.push(r);
  }
  return out;
}

const PENDING_COLUMNS: BulkColumn[] = [{ name: 'field', pg: 'int4' }, { name: 'gram', pg: 'int8' }, { name: 'skey', pg: 'int8' }];

export async function insertPending(tx: Executor, rows: { field: number; gram: number; skey: number }[]): Promise<void> {
  await bulkInsert(tx, 'search_pending', PENDING_COLUMNS, rows.map((r) => [r.field, r.gram, r.skey]));
}

export async function deletePendingOf(tx: Executor, skey: number): Promise<void> {
  await tx.deleteFrom('search_pending').where('skey', '=', skey).execute();
}

export async function pendingFor(db: Executor, field: number, grams: number[]): Promise<{ gram: number; skey: number }[]> {
  if (grams.length === 0) return [];
  return db
    .selectFrom('search_pending')
    .select(['gram', 'skey'])
    .where('field', '=', field)
    .where('gram', 'in', grams)
    .orderBy('gram')
    .orderBy('skey', 'desc')
    .execute();
}

/** One page of pending postings in (field, gram, skey) order, after the given key. */
export async function pendingPage(
  tx: Executor,
  after: { field: number; gram: number; skey: number } | null,
  limit: number,
): Promise<{ field: number; gram: number; skey: number }[]> {
  let q = tx.selectFrom('search_pending').select(['field', 'gram', 'skey']);
  // A row-value comparison: both engines walk the primary key from there (the equivalent OR of three
  // conditions made PostgreSQL scan and sort the table for every page).
  if (after) q = q.where((eb) => eb(eb.refTuple('field', 'gram', 'skey'), '>', eb.tuple(after.field, after.gram, after.skey)));
  return q.orderBy('field').orderBy('gram').orderBy('skey').limit(limit).execute();
}

export async function clearPending(tx: Executor): Promise<void> {
  await tx.deleteFrom('search_pending').execute();
}

export interface BlockMeta {
  id: number;
  gram: number;
  run: number;
  maxSkey: number;
  minSkey: number;
  n: number;
}

export async function blockMetas(db: Executor, field: number, grams: number[]): Promise<BlockMeta[]> {
  const out: BlockMeta[] = [];
  for (const c of chunks(grams)) {
    const rows = await db
      .selectFrom('search_blocks')
      .select(['id', 'gram', 'run', 'max_skey', 'min_skey', 'n'])
      .where('field', '=', field)
      .where('gram', 'in', c)
      .execute();
    for (const r of rows) out.push({ id: r.id, gram: r.gram, run: r.run, maxSkey: r.max_skey, minSkey: r.min_skey, n: r.n });
  }
  return out;
}

/** The blocks of these grams that hold the given sort key. */
export async function blocksHolding(db: Executor, field: number, grams: number[], skey: number): Promise<(BlockMeta & { data: Uint8Array })[]> {
  const out: (BlockMeta & { data: Uint8Array })[] = [];
  for (const c of chunks(grams)) {
    const rows = await db
      .selectFrom('search_blocks')
      .selectAll()
      .where('field', '=', field)
      .where('gram', 'in', c)
      .where('min_skey', '<=', skey)
      .where('max_skey', '>=', skey)
      .execute();
    for (const r of rows) out.push({ id: r.id, gram: r.gram, run: r.run, maxSkey: r.max_skey, minSkey: r.min_skey, n: r.n, data: r.data });
  }
  return out;
}

/** Posting lists made of at least `minRuns` runs: how many runs and postings each has, most runs first. */
export async function listsWithRuns(db: Executor, minRuns: number): Promise<{ field: number; gram: number; runs: number; postings: number }[]> {
  const rows = await db
    .selectFrom('search_blocks')
    .select((eb) => ['field', 'gram', eb.fn.count<number>(sql`distinct run`).as('runs'), eb.fn.sum<number>('n').as('postings')])
    .groupBy(['field', 'gram'])
    .having(sql`count(distinct run)`, '>=', minRuns)
    .orderBy('runs', 'desc')
    .orderBy('field')
    .orderBy('gram')
    .execute();
  return rows.map((r) => ({ field: r.field, gram: Number(r.gram), runs: Number(r.runs), postings: Number(r.postings) }));
}

export async function blockData(db: Executor, ids: number[]): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  for (const c of chunks(ids)) {
    const rows = await db.selectFrom('search_blocks').select(['id', 'data']).where('id', 'in', c).execute();
    for (const r of rows) out.set(r.id, r.data);
  }
  return out;
}

export async function deleteBlocks(tx: Executor, ids: number[]): Promise<void> {
  for (const c of chunks(ids)) await tx.deleteFrom('search_blocks').where('id', 'in', c).execute();
}

export async function insertBlocks(
  tx: Executor,
  blocks: { field: number; gram: number; run: number; maxSkey: number; minSkey: number; n: number; data: Uint8Array }[],
): Promise<void> {
  await bulkInsert(tx, 'search_blocks', BLOCK_COLUMNS, blocks.map((b) => [b.field, b.gram, b.run, b.maxSkey, b.minSkey, b.n, b.data]));
}
const BLOCK_COLUMNS: BulkColumn[] = [
  { name: 'field', pg: 'int4' }, { name: 'gram', pg: 'int8' }, { name: 'run', pg: 'int4' }, { name: 'max_skey', pg: 'int8' },
  { name: 'min_skey', pg: 'int8' }, { name: 'n', pg: 'int4' }, { name: 'data', pg: 'bytea' },
];

export async function countDocs(db: Executor): Promise<number> {
  const r = await db.selectFrom('search_docs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The categories present in the index (for the search page's filter). */
export async function categories(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('search_docs').select('category').groupBy('category').orderBy('category').execute();
  return rows.map((r) => r.category).filter(Boolean);
}
