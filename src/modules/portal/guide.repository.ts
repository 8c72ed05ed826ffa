import type { Executor } from '../../db/database.js';
import type { AgencyGuidesTable } from './guide.tables.js';
import './guide.tables.js';

export type GuideText = Pick<AgencyGuidesTable, 'classification' | 'arrangement' | 'access' | 'other' | 'institutions'>;
export interface StoredGuide extends GuideText {
  updatedAt: string;
  updatedBy: string;
}

export async function findGuide(db: Executor, agencyId: number): Promise<StoredGuide | undefined> {
  const r = await db.selectFrom('agency_guides').selectAll().where('agency_id', '=', agencyId).executeTakeFirst();
  return r && { classification: r.classification, arrangement: r.arrangement, access: r.access, other: r.other, institutions: r.institutions, updatedAt: r.updated_at, updatedBy: r.updated_by };
}

export async function saveGuide(tx: Executor, agencyId: number, g: GuideText, at: string, by: string): Promise<void> {
  const existing = await tx.selectFrom('agency_guides').select('agency_id').where('agency_id', '=', agencyId).executeTakeFirst();
  if (existing) await tx.updateTable('agency_guides').set({ ...g, updated_at: at, updated_by: by }).where('agency_id', '=', agencyId).execute();
  else await tx.insertInto('agency_guides').values({ agency_id: agencyId, ...g, updated_at: at, updated_by: by }).execute();
}
