/**
 * The reports' own rows (working copy, published snapshot, unlocks). The figures of a report come from the read
 * models of the modules that own the records (requests, reviews, registries, disclosure: *.read-model.ts).
 */
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import './reports.tables.js';
import type { ReportsTable, ReportUnlocksTable } from './reports.tables.js';

// ---------------------------------------------------------------------------------------------
// The reports' own rows.

export type ReportRow = Selectable<ReportsTable>;
export type UnlockRow = Selectable<ReportUnlocksTable>;

export async function findReport(db: Executor, agencyId: number, year: number): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('agency_id', '=', agencyId).where('year', '=', year).executeTakeFirst();
}

export async function insertReport(db: Executor, row: Omit<ReportRow, 'id' | 'rollup' | 'revision'> & { rollup: number }): Promise<ReportRow> {
  return db.insertInto('reports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateReport(db: Executor, id: number, patch: Partial<Omit<ReportRow, 'id'>>): Promise<void> {
  await db.updateTable('reports').set(patch).where('id', '=', id).execute();
}

export async function listReports(db: Executor, opts: { agencyIds?: number[]; year?: number; publishedOnly?: boolean }): Promise<ReportRow[]> {
  let q = db.selectFrom('reports').selectAll();
  if (opts.agencyIds) q = q.where('agency_id', 'in', opts.agencyIds.length ? opts.agencyIds : [-1]);
  if (opts.year !== undefined) q = q.where('year', '=', opts.year);
  if (opts.publishedOnly) q = q.where('published', 'is not', null);
  return q.orderBy('year', 'desc').orderBy('agency_id').execute();
}

/** Published reports of a year whose scope covers the agency (its own report, or a roll-up that sums it). */
/**
 * Published reports of `year` owned by one of `ownerIds` (an agency and its ancestors: a report covers only
 * its owner and, in a roll-up, agencies below it), with the owner's name.
 */
export async function publishedCovering(db: Executor, year: number, ownerIds: number[]): Promise<{ agencyId: number; scope: string; ownerName: string }[]> {
  if (!ownerIds.length) return [];
  // Every write checks the year lock: compiled once, for hierarchies up to 8 deep (the list is padded by
  // repeating an id); deeper ones are built each time.
  const [o0, o1 = o0, o2 = o0, o3 = o0, o4 = o0, o5 = o0, o6 = o0, o7 = o0] = ownerIds as [number, ...number[]];
  const rows =
    ownerIds.length <= 8
      ? await publishedCoveringStatement.execute(db, { year, o0, o1, o2, o3, o4, o5, o6, o7 })
      : await publishedCoveringQuery(db, year, ownerIds).execute();
  return rows.map((r) => ({ agencyId: r.agency_id, scope: r.scope, ownerName: r.name }));
}

const publishedCoveringQuery = (db: Executor, year: number, ownerIds: number[]) =>
  db
    .selectFrom('reports')
    .innerJoin('agencies', 'agencies.id', 'reports.agency_id')
    .where('reports.year', '=', year)
    .where('reports.published', 'is not', null)
    .where('reports.agency_id', 'in', ownerIds)
    .select(['reports.agency_id', 'reports.scope', 'agencies.name']);
const publishedCoveringStatement = precompiled<Record<'year' | 'o0' | 'o1' | 'o2' | 'o3' | 'o4' | 'o5' | 'o6' | 'o7', number>>()((db, p) =>
  publishedCoveringQuery(db, p.year, [p.o0, p.o1, p.o2, p.o3, p.o4, p.o5, p.o6, p.o7]),
);

/** The code and materialised path of an agency (for the year lock). */
export async function agencyCodeAndPath(db: Executor, id: number): Promise<{ code: string; path: string } | undefined> {
  return db.selectFrom('agencies').select(['code', 'path']).where('id', '=', id).executeTakeFirst();
}

export async function openUnlock(db: Executor, agencyId: number, year: number): Promise<UnlockRow | undefined> {
  return db
    .selectFrom('report_unlocks')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('year', '=', year)
    .where('relocked_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function insertUnlock(db: Executor, row: Omit<UnlockRow, 'id' | 'relocked_at'>): Promise<UnlockRow> {
  return db.insertInto('report_unlocks').values({ ...row, relocked_at: null }).returningAll().executeTakeFirstOrThrow();
}

export async function relockAll(db: Executor, agencyIds: number[], year: number, at: string): Promise<void> {
  if (!agencyIds.length) return;
  await db
    .updateTable('report_unlocks')
    .set({ relocked_at: at })
    .where('agency_id', 'in', agencyIds)
    .where('year', '=', year)
    .where('relocked_at', 'is', null)
    .execute();
}

export async function listUnlocks(db: Executor, agencyId: number, year: number): Promise<UnlockRow[]> {
  return db.selectFrom('report_unlocks').selectAll().where('agency_id', '=', agencyId).where('year', '=', year).orderBy('id', 'desc').execute();
}
