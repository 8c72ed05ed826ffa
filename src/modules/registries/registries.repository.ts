/** SQL of the registries that feed table 二 (条例第20条第（一）（五）（六）（八）项) and the new-media record. */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import './registries.tables.js';

export const DOCUMENT_KINDS = ['rule', 'normative_document'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DECISION_KINDS = ['licensing', 'penalty', 'enforcement'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export const CHANNELS = ['wechat', 'douyin', 'toutiao', 'weibo', 'app', 'video', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NormativeDocument {
  id: number;
  agencyId: number;
  kind: DocumentKind;
  title: string;
  docNumber: string | null;
  issuedOn: string;
  abolishedOn: string | null;
  itemId: number | null;
}
export interface Decision {
  id: number;
  agencyId: number;
  kind: DecisionKind;
  decidedOn: string;
  count: number;
  docNumber: string | null;
  subject: string | null;
  source: 'entry' | 'imported_total';
}
export interface FeeCollection {
  id: number;
  agencyId: number;
  collectedOn: string;
  amountFen: number;
  item: string | null;
}
export interface NewMediaPost {
  id: number;
  agencyId: number;
  channel: Channel;
  account: string | null;
  publishedOn: string;
  count: number;
  title: string | null;
  itemId: number | null;
}

export async function insertDocument(tx: Executor, d: Omit<NormativeDocument, 'id'>, at: string): Promise<number> {
  const r = await tx
    .insertInto('normative_documents')
    .values({ agency_id: d.agencyId, kind: d.kind, title: d.title, doc_number: d.docNumber, issued_on: d.issuedOn, abolished_on: d.abolishedOn, item_id: d.itemId, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findDocument(db: Executor, id: number): Promise<NormativeDocument | undefined> {
  const r = await db.selectFrom('normative_documents').selectAll().where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, agencyId: r.agency_id, kind: r.kind as DocumentKind, title: r.title, docNumber: r.doc_number, issuedOn: r.issued_on, abolishedOn: r.abolished_on, itemId: r.item_id };
}

export async function setAbolished(tx: Executor, id: number, abolishedOn: string | null, at: string): Promise<void> {
  await tx.updateTable('normative_documents').set({ abolished_on: abolishedOn, updated_at: at }).where('id', '=', id).execute();
}

export async function listDocuments(db: Executor, agencyId: number, limit: number): Promise<NormativeDocument[]> {
  const rows = await db.selectFrom('normative_documents').selectAll().where('agency_id', '=', agencyId).orderBy('issued_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, kind: r.kind as DocumentKind, title: r.title, docNumber: r.doc_number, issuedOn: r.issued_on, abolishedOn: r.abolished_on, itemId: r.item_id }));
}

export async function insertDecision(tx: Executor, d: Omit<Decision, 'id'>, at: string): Promise<number> {
  const r = await tx
    .insertInto('enforcement_decisions')
    .values({ agency_id: d.agencyId, kind: d.kind, decided_on: d.decidedOn, count: d.count, doc_number: d.docNumber, subject: d.subject, source: d.source, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listDecisions(db: Executor, agencyId: number, limit: number): Promise<Decision[]> {
  const rows = await db.selectFrom('enforcement_decisions').selectAll().where('agency_id', '=', agencyId).orderBy('decided_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, kind: r.kind as DecisionKind, decidedOn: r.decided_on, count: r.count, docNumber: r.doc_number, subject: r.subject, source: r.source as Decision['source'] }));
}

export async function insertFee(tx: Executor, f: Omit<FeeCollection, 'id'>, at: string): Promise<number> {
  const r = await tx
    .insertInto('fee_collections')
    .values({ agency_id: f.agencyId, collected_on: f.collectedOn, amount_fen: f.amountFen, item: f.item, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listFees(db: Executor, agencyId: number, limit: number): Promise<FeeCollection[]> {
  const rows = await db.selectFrom('fee_collections').selectAll().where('agency_id', '=', agencyId).orderBy('collected_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, collectedOn: r.collected_on, amountFen: Number(r.amount_fen), item: r.item }));
}

export async function insertNewMedia(tx: Executor, p: Omit<NewMediaPost, 'id'>, at: string): Promise<number> {
  const r = await tx
    .insertInto('new_media_posts')
    .values({ agency_id: p.agencyId, channel: p.channel, account: p.account, published_on: p.publishedOn, count: p.count, title: p.title, item_id: p.itemId, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listNewMedia(db: Executor, agencyId: number, limit: number): Promise<NewMediaPost[]> {
  const rows = await db.selectFrom('new_media_posts').selectAll().where('agency_id', '=', agencyId).orderBy('published_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, channel: r.channel as Channel, account: r.account, publishedOn: r.published_on, count: r.count, title: r.title, itemId: r.item_id }));
}

// ---------------------------------------------------------------------------------------------------------
// Aggregates for table 二 (GROUP BY in the database)

export async function documentCounts(db: Executor, agencyIds: number[], start: string, end: string) {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .selectFrom('normative_documents')
    .where('agency_id', 'in', agencyIds)
    .where('issued_on', '<=', end)
    .select([
      'kind',
      sql<number>`sum(case when issued_on >= ${start} then 1 else 0 end)`.as('issued'),
      sql<number>`sum(case when abolished_on >= ${start} and abolished_on <= ${end} then 1 else 0 end)`.as('abolished'),
      sql<number>`sum(case when abolished_on is null or abolished_on > ${end} then 1 else 0 end)`.as('in_force'),
    ])
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, issued: Number(r.issued ?? 0), abolished: Number(r.abolished ?? 0), inForce: Number(r.in_force ?? 0) }));
}

export async function decisionCounts(db: Executor, agencyIds: number[], start: string, end: string) {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .selectFrom('enforcement_decisions')
    .where('agency_id', 'in', agencyIds)
    .where('decided_on', '>=', start)
    .where('decided_on', '<=', end)
    .select(['kind', (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n ?? 0) }));
}

export async function feeTotalFen(db: Executor, agencyIds: number[], start: string, end: string): Promise<number> {
  if (agencyIds.length === 0) return 0;
  const r = await db
    .selectFrom('fee_collections')
    .where('agency_id', 'in', agencyIds)
    .where('collected_on', '>=', start)
    .where('collected_on', '<=', end)
    .select((eb) => eb.fn.sum<number>('amount_fen').as('fen'))
    .executeTakeFirst();
  return Number(r?.fen ?? 0);
}

export async function channelCounts(db: Executor, agencyIds: number[], start: string, end: string) {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .selectFrom('new_media_posts')
    .where('agency_id', 'in', agencyIds)
    .where('published_on', '>=', start)
    .where('published_on', '<=', end)
    .select(['channel', (eb) => eb.fn.sum<number>('count').as('n')])
    .groupBy('channel')
    .execute();
  return rows.map((r) => ({ channel: r.channel, n: Number(r.n ?? 0) }));
}
