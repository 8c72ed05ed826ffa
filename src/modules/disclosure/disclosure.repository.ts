/** SQL of the disclosure capability (items, catalogue categories, screenings, steps, attachments, words). */
import { sql, type Insertable, type Selectable } from 'kysely';
import { bulkLoadWithIds, type BulkColumn } from '../../db/bulk.js';
import type { Executor } from '../../db/database.js';
import type { ScreeningHit } from '../../law/screening.js';
import type { ItemAttachmentsTable, ItemCategoriesTable, ItemScreeningsTable, ItemsTable, ItemStepsTable } from './disclosure.tables.js';
import './disclosure.tables.js';
import { htmlToText } from './content.js';

export const ITEM_STATUSES = ['draft', 'in_review', 'approved', 'published', 'withdrawn'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface Category {
  id: number;
  agencyId: number;
  name: string;
  kind: 'statutory' | 'column';
  statuteRef: string | null;
  position: number;
}

export interface Item {
  id: number;
  agencyId: number;
  indexNo: string;
  title: string;
  summary: string;
  bodyHtml: string;
  bodyText: string;
  categoryId: number;
  categoryName: string;
  generatedOn: string | null;
  publishedOn: string | null;
  dueOn: string | null;
  late: boolean | null;
  docNumber: string | null;
  publisher: string | null;
  subjectCategory: string | null;
  genre: string | null;
  disclosureMode: string;
  validity: string;
  status: ItemStatus;
  interpretsItemId: number | null;
  withdrawnReason: string | null;
  source: string;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  /** Raised by every write: the workflow's conditional updates compare it. */
  version: number;
}

export interface ItemListRow {
  id: number;
  agencyId: number;
  agencyCode: string;
  agencyName: string;
  indexNo: string;
  title: string;
  categoryId: number;
  categoryName: string;
  generatedOn: string | null;
  publishedOn: string | null;
  dueOn: string | null;
  late: boolean | null;
  docNumber: string | null;
  validity: string;
  status: ItemStatus;
  updatedAt: string;
}

export interface Screening {
  id: number;
  itemId: number;
  contentHash: string;
  hitCount: number;
  hits: ScreeningHit[];
  runBy: number | null;
  runAt: string;
  overrideReason: string | null;
  overrideBy: number | null;
  overrideAt: string | null;
}

export interface Step {
  id: number;
  itemId: number;
  step: string;
  outcome: string | null;
  opinion: string | null;
  contentHash: string | null;
  actorId: number | null;
  actorName: string;
  at: string;
}

export interface Attachment {
  id: number;
  itemId: number;
  fileName: string;
  storedName: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

const toCategory = (r: Selectable<ItemCategoriesTable>): Category => ({
  id: r.id, agencyId: r.agency_id, name: r.name, kind: r.kind as Category['kind'], statuteRef: r.statute_ref, position: r.position,
});

const bool = (v: number | null): boolean | null => (v === null || v === undefined ? null : v === 1);

function toItem(r: Selectable<ItemsTable> & { category_name: string }): Item {
  return {
    id: r.id, agencyId: r.agency_id, indexNo: r.index_no, title: r.title, summary: r.summary, bodyHtml: r.body_html, bodyText: htmlToText(r.body_html),
    categoryId: r.category_id, categoryName: r.category_name, generatedOn: r.generated_on, publishedOn: r.published_on, dueOn: r.due_on,
    late: bool(r.late), docNumber: r.doc_number, publisher: r.publisher, subjectCategory: r.subject_category, genre: r.genre,
    disclosureMode: r.disclosure_mode, validity: r.validity, status: r.status as ItemStatus, interpretsItemId: r.interprets_item_id,
    withdrawnReason: r.withdrawn_reason, source: r.source, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at, version: Number(r.version),
  };
}

// ---------------------------------------------------------------------------------------------
// Categories

export async function listCategories(db: Executor, agencyId: number): Promise<Category[]> {
  const rows = await db.selectFrom('item_categories').selectAll().where('agency_id', '=', agencyId).orderBy('position').orderBy('id').execute();
  return rows.map(toCategory);
}

export async function findCategory(db: Executor, id: number): Promise<Category | undefined> {
  const r = await db.selectFrom('item_categories').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toCategory(r);
}

export async function insertCategories(db: Executor, rows: Insertable<ItemCategoriesTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('item_categories').values(rows).execute();
}

export async function insertCategory(db: Executor, row: Insertable<ItemCategoriesTable>): Promise<Category> {
  const r = await db.insertInto('item_categories').values(row).returningAll().executeTakeFirstOrThrow();
  return toCategory(r);
}

export async function updateCategory(db: Executor, id: number, patch: { name?: string; position?: number }): Promise<void> {
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (!Object.keys(set).length) return; // nothing to change (an UPDATE with an empty SET is not SQL)
  await db.updateTable('item_categories').set(set).where('id', '=', id).execute();
}

export async function deleteCategory(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('item_categories').where('id', '=', id).execute();
}

/** Items per category of an agency (published only, or every status). */
export async function countByCategory(db: Executor, agencyId: number, publishedOnly: boolean): Promise<Map<number, number>> {
  let q = db.selectFrom('items').select(['category_id', (eb) => eb.fn.countAll<number>().as('n')]).where('agency_id', '=', agencyId);
  if (publishedOnly) q = q.where('status', '=', 'published');
  const rows = await q.groupBy('category_id').execute();
  return new Map(rows.map((r) => [r.category_id, Number(r.n)]));
}

// ---------------------------------------------------------------------------------------------
// Items

const itemColumns = (db: Executor) =>
  db.selectFrom('items').innerJoin('item_categories', 'item_categories.id', 'items.category_id').selectAll('items').select('item_categories.name as category_name');

export async function findItem(db: Executor, id: number): Promise<Item | undefined> {
  const r = await itemColumns(db).where('items.id', '=', id).executeTakeFirst();
  return r && toItem(r);
}

export async function findItemByIndexNo(db: Executor, indexNo: string): Promise<Item | undefined> {
  const r = await itemColumns(db).where('items.index_no', '=', indexNo).executeTakeFirst();
  return r && toItem(r);
}

export async function insertItem(db: Executor, row: Insertable<ItemsTable>): Promise<number> {
  const { id } = await db.insertInto('items').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Many rows in one statement; returns their ids in order. */
export async function insertItems(db: Executor, rows: Insertable<ItemsTable>[]): Promise<number[]> {
  if (!rows.length) return [];
  const out = await db.insertInto('items').values(rows).returning('id').execute();
  return out.map((r) => r.id);
}

/** The columns of a bulk import, in order (see insertItemsBulk). */
const ITEM_BULK_COLUMNS = [
  ['agency_id', 'int4'], ['index_no', 'text'], ['index_year', 'int4'], ['index_serial', 'int4'], ['title', 'text'], ['summary', 'text'],
  ['body_html', 'text'], ['category_id', 'int4'], ['generated_on', 'text'], ['published_on', 'text'], ['due_on', 'text'],
  ['late', 'int4'], ['doc_number', 'text'], ['publisher', 'text'], ['subject_category', 'text'], ['genre', 'text'], ['disclosure_mode', 'text'],
  ['validity', 'text'], ['status', 'text'], ['interprets_item_id', 'int4'], ['withdrawn_reason', 'text'], ['source', 'text'], ['created_by', 'int4'],
  ['created_at', 'text'], ['updated_at', 'text'],
] as const satisfies readonly (readonly [keyof ItemsTable, BulkColumn['pg']])[];
const ITEM_BULK: BulkColumn[] = ITEM_BULK_COLUMNS.map(([name, pg]) => ({ name, pg }));

/**
 * The hot path of an import: every row in as few statements as the engine allows (PostgreSQL: COPY),
 * compiled once; returns each row's id by its 索引号.
 */
export async function insertItemsBulk(db: Executor, rows: Insertable<ItemsTable>[]): Promise<Map<string, number>> {
  const values = rows.map((r) => ITEM_BULK_COLUMNS.map(([c]) => (r as Record<string, unknown>)[c] ?? null));
  const ids = await bulkLoadWithIds(db, 'items', ITEM_BULK, values, 'index_no');
  return new Map(rows.map((r, i) => [r.index_no, ids[i]!]));
}

export async function updateItem(db: Executor, id: number, patch: Partial<Insertable<ItemsTable>>): Promise<void> {
  await db.updateTable('items').set({ ...patch, version: sql`version + 1` }).where('id', '=', id).execute();
}

/**
 * A conditional update (the workflow's races): writes only if the item still has the status and the version
 * it had when it was read. False when someone changed it meanwhile.
 */
export async function updateItemIf(db: Executor, id: number, patch: Partial<Insertable<ItemsTable>>, expect: { status: string; version: number }): Promise<boolean> {
  const r = await db
    .updateTable('items')
    .set({ ...patch, version: sql`version + 1` })
    .where('id', '=', id)
    .where('status', '=', expect.status)
    .where('version', '=', expect.version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The highest serial of the year among the 索引号 'PREFIX/YYYY-NNNNN' (a range on the unique index). */
export async function maxSerial(db: Executor, agencyId: number, prefix: string, year: number): Promise<number> {
  const r = await db
    .selectFrom('items')
    .select((eb) => eb.fn.max('index_no').as('m'))
    .where('agency_id', '=', agencyId)
    .where('index_no', '>=', `${prefix}/${year}-00000`)
    .where('index_no', '<=', `${prefix}/${year}-99999`)
    .executeTakeFirst();
  const m = r?.m ? /-(\d{5})$/.exec(String(r.m)) : null;
  return m ? Number(m[1]) : 0;
}

export async function existingIndexNos(db: Executor, indexNos: string[]): Promise<Set<string>> {
  if (!indexNos.length) return new Set();
  const rows = await db.selectFrom('items').select('index_no').where('index_no', 'in', indexNos).execute();
  return new Set(rows.map((r) => r.index_no));
}

export interface ItemFilter {
  agencyIds?: number[];
  statuses?: ItemStatus[];
  categoryId?: number;
  categoryName?: string;
  year?: number;
  validity?: string;
  late?: boolean;
  /** Not yet published and past due_on (today given). */
  overdueOn?: string;
  titleContains?: string;
  interpretationsOf?: number;
}

function filtered(db: Executor, f: ItemFilter) {
  let q = db
    .selectFrom('items')
    .innerJoin('item_categories', 'item_categories.id', 'items.category_id')
    .innerJoin('agencies', 'agencies.id', 'items.agency_id');
  if (f.agencyIds) q = q.where('items.agency_id', 'in', f.agencyIds.length ? f.agencyIds : [-1]);
  if (f.statuses) q = q.where('items.status', 'in', f.statuses.length ? f.statuses : ['-']);
  if (f.categoryId !== undefined) q = q.where('items.category_id', '=', f.categoryId);
  if (f.categoryName !== undefined) q = q.where('item_categories.name', '=', f.categoryName);
  if (f.year !== undefined) q = q.where('items.published_on', '>=', `${f.year}-01-01`).where('items.published_on', '<=', `${f.year}-12-31`);
  if (f.validity !== undefined) q = q.where('items.validity', '=', f.validity);
  if (f.late !== undefined) q = q.where('items.late', '=', f.late ? 1 : 0);
  if (f.overdueOn !== undefined) q = q.where('items.status', 'in', ['draft', 'in_review', 'approved']).where('items.due_on', '<', f.overdueOn);
  if (f.titleContains) q = q.where('items.title', 'like', `%${f.titleContains.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (f.interpretationsOf !== undefined) q = q.where('items.interprets_item_id', '=', f.interpretationsOf);
  return q;
}

export async function listItems(
  db: Executor,
  f: ItemFilter,
  opts: { limit: number; offset: number; order?: 'published' | 'updated'; count?: boolean },
): Promise<{ rows: ItemListRow[]; total: number }> {
  let q = filtered(db, f).select([
    'items.id', 'items.agency_id', 'agencies.code as agency_code', 'agencies.name as agency_name', 'items.index_no', 'items.title',
    'items.category_id', 'item_categories.name as category_name', 'items.generated_on', 'items.published_on', 'items.due_on', 'items.late',
    'items.doc_number', 'items.validity', 'items.status', 'items.updated_at',
  ]);
  q = opts.order === 'updated' ? q.orderBy('items.updated_at', 'desc').orderBy('items.id', 'desc') : q.orderBy('items.published_on', 'desc').orderBy('items.id', 'desc');
  const rows = await q.limit(opts.limit).offset(opts.offset).execute();
  let total = rows.length + opts.offset;
  if (opts.count !== false) {
    const c = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    total = Number(c?.n ?? 0);
  }
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, agencyId: r.agency_id, agencyCode: r.agency_code, agencyName: r.agency_name, indexNo: r.index_no, title: r.title,
      categoryId: r.category_id, categoryName: r.category_name, generatedOn: r.generated_on, publishedOn: r.published_on, dueOn: r.due_on,
      late: bool(r.late), docNumber: r.doc_number, validity: r.validity, status: r.status as ItemStatus, updatedAt: r.updated_at,
    })),
  };
}

/** Items per status of these agencies, and the late ones (published late; pending past due). */
export async function statusCounts(db: Executor, agencyIds: number[], today: string): Promise<{ byStatus: Record<string, number>; lateByYear: { year: number; late: number; published: number }[]; overdue: number }> {
  const ids = agencyIds.length ? agencyIds : [-1];
  const s = await db.selectFrom('items').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('agency_id', 'in', ids).groupBy('status').execute();
  const year = sql<string>`substr(published_on, 1, 4)`;
  const y = await db
    .selectFrom('items')
    .select([year.as('y'), (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>(sql`case when late = 1 then 1 else 0 end`).as('late')])
    .where('agency_id', 'in', ids)
    .where('status', '=', 'published')
    .where('published_on', 'is not', null)
    .groupBy(year)
    .orderBy(year, 'desc')
    .execute();
  const o = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agency_id', 'in', ids)
    .where('status', 'in', ['draft', 'in_review', 'approved'])
    .where('due_on', '<', today)
    .executeTakeFirst();
  return {
    byStatus: Object.fromEntries(s.map((r) => [r.status, Number(r.n)])),
    lateByYear: y.map((r) => ({ year: Number(r.y), published: Number(r.n), late: Number(r.late ?? 0) })),
    overdue: Number(o?.n ?? 0),
  };
}

export async function publishedYears(db: Executor, agencyId?: number): Promise<number[]> {
  const year = sql<string>`substr(published_on, 1, 4)`;
  let q = db.selectFrom('items').select(year.as('y')).where('status', '=', 'published').where('published_on', 'is not', null);
  if (agencyId !== undefined) q = q.where('agency_id', '=', agencyId);
  const rows = await q.groupBy(year).orderBy(year, 'desc').execute();
  return rows.map((r) => Number(r.y));
}

export async function latestPublished(db: Executor, f: { agencyIds?: number[]; categoryName?: string; categoryId?: number; limit: number }) {
  const r = await listItems(db, { agencyIds: f.agencyIds, categoryName: f.categoryName, categoryId: f.categoryId, statuses: ['published'] }, { limit: f.limit, offset: 0, count: false });
  return r.rows;
}

/** For the sitemap and feeds: published items, newest first, with their last change. */
export async function publishedPage(db: Executor, afterId: number, limit: number) {
  return db
    .selectFrom('items')
    .select(['id', 'updated_at', 'published_on'])
    .where('status', '=', 'published')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function countPublished(db: Executor): Promise<number> {
  const r = await db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function publishedSlice(db: Executor, offset: number, limit: number): Promise<{ id: number; updatedAt: string }[]> {
  const rows = await db.selectFrom('items').select(['id', 'updated_at']).where('status', '=', 'published').orderBy('id').limit(limit).offset(offset).execute();
  return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
}

export async function feedItems(db: Executor, f: { agencyId: number; categoryId?: number; limit: number }) {
  let q = itemColumns(db).where('items.agency_id', '=', f.agencyId).where('items.status', '=', 'published');
  if (f.categoryId !== undefined) q = q.where('items.category_id', '=', f.categoryId);
  const rows = await q.orderBy('items.published_on', 'desc').orderBy('items.id', 'desc').limit(f.limit).execute();
  return rows.map(toItem);
}

// ---------------------------------------------------------------------------------------------
// Screenings and steps

export async function insertScreening(db: Executor, row: Omit<Insertable<ItemScreeningsTable>, 'hits'> & { hits: unknown[] }): Promise<number> {
  const { id } = await db.insertInto('item_screenings').values({ ...row, hits: JSON.stringify(row.hits) }).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function latestScreening(db: Executor, itemId: number): Promise<Screening | undefined> {
  const r = await db.selectFrom('item_screenings').selectAll().where('item_id', '=', itemId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r && toScreening(r);
}

function toScreening(r: Selectable<ItemScreeningsTable>): Screening {
  return {
    id: r.id, itemId: r.item_id, contentHash: r.content_hash, hitCount: r.hit_count, hits: JSON.parse(r.hits) as ScreeningHit[], runBy: r.run_by, runAt: r.run_at,
    overrideReason: r.override_reason, overrideBy: r.override_by, overrideAt: r.override_at,
  };
}

export async function setOverride(db: Executor, screeningId: number, reason: string, by: number, at: string): Promise<void> {
  await db.updateTable('item_screenings').set({ override_reason: reason, override_by: by, override_at: at }).where('id', '=', screeningId).execute();
}

export async function insertStep(db: Executor, row: Insertable<ItemStepsTable>): Promise<void> {
  await db.insertInto('item_steps').values(row).execute();
}

export async function listSteps(db: Executor, itemId: number): Promise<Step[]> {
  const rows = await db.selectFrom('item_steps').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
  return rows.map((r: Selectable<ItemStepsTable>) => ({
    id: r.id, itemId: r.item_id, step: r.step, outcome: r.outcome, opinion: r.opinion, contentHash: r.content_hash, actorId: r.actor_id, actorName: r.actor_name, at: r.at,
  }));
}

// ---------------------------------------------------------------------------------------------
// Attachments

const toAttachment = (r: Omit<Selectable<ItemAttachmentsTable>, 'text'>): Attachment => ({
  id: r.id, itemId: r.item_id, fileName: r.file_name, storedName: r.stored_name, mediaType: r.media_type, size: Number(r.size), sha256: r.sha256, createdAt: r.created_at,
});

export async function insertAttachment(db: Executor, row: Insertable<ItemAttachmentsTable>): Promise<number> {
  const { id } = await db.insertInto('item_attachments').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

const ATTACHMENT_COLUMNS = ['id', 'item_id', 'file_name', 'stored_name', 'media_type', 'size', 'sha256', 'created_by', 'created_at'] as const;

export async function listAttachments(db: Executor, itemId: number): Promise<Attachment[]> {
  return (await db.selectFrom('item_attachments').select(ATTACHMENT_COLUMNS).where('item_id', '=', itemId).orderBy('id').execute()).map(toAttachment);
}

export async function findAttachment(db: Executor, id: number): Promise<Attachment | undefined> {
  const r = await db.selectFrom('item_attachments').select(ATTACHMENT_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r && toAttachment(r);
}

/** Attachments whose text was never read (uploaded before the search read attachments), after `afterId`, by id. */
export async function attachmentsWithoutText(db: Executor, afterId: number, limit: number): Promise<Attachment[]> {
  return (await db.selectFrom('item_attachments').select(ATTACHMENT_COLUMNS).where('text', 'is', null).where('id', '>', afterId).orderBy('id').limit(limit).execute()).map(toAttachment);
}

export async function setAttachmentText(db: Executor, id: number, text: string): Promise<void> {
  await db.updateTable('item_attachments').set({ text }).where('id', '=', id).execute();
}

/** The attachments' text of these items (those that have any), by item, in upload order: what the search indexes with an item. */
export async function attachmentTexts(db: Executor, itemIds: number[]): Promise<Map<number, { name: string; text: string }[]>> {
  const out = new Map<number, { name: string; text: string }[]>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db
      .selectFrom('item_attachments')
      .select(['item_id', 'file_name', 'text'])
      .where('item_id', 'in', itemIds.slice(i, i + 500))
      .where('text', 'is not', null)
      .orderBy('id')
      .execute();
    for (const r of rows) {
      if (!r.text) continue;
      const list = out.get(r.item_id) ?? [];
      list.push({ name: r.file_name, text: r.text });
      out.set(r.item_id, list);
    }
  }
  return out;
}

export async function deleteAttachment(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('item_attachments').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// 错敏词

export interface WordRow {
  id: number;
  agencyId: number | null;
  word: string;
  suggestion: string | null;
  kind: 'wrong_word' | 'sensitive_wording';
  note: string | null;
}

export async function listWords(db: Executor, agencyId: number): Promise<WordRow[]> {
  const rows = await db
    .selectFrom('screening_words')
    .selectAll()
    .where((eb) => eb.or([eb('agency_id', '=', agencyId), eb('agency_id', 'is', null)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, word: r.word, suggestion: r.suggestion, kind: r.kind as WordRow['kind'], note: r.note }));
}

export async function insertWord(db: Executor, row: { agencyId: number | null; word: string; suggestion: string | null; kind: string; note: string | null; at: string }): Promise<number> {
  const { id } = await db
    .insertInto('screening_words')
    .values({ agency_id: row.agencyId, word: row.word, suggestion: row.suggestion, kind: row.kind, note: row.note, created_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function deleteWord(db: Executor, id: number): Promise<WordRow | undefined> {
  const r = await db.selectFrom('screening_words').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  await db.deleteFrom('screening_words').where('id', '=', id).execute();
  return { id: r.id, agencyId: r.agency_id, word: r.word, suggestion: r.suggestion, kind: r.kind as WordRow['kind'], note: r.note };
}
