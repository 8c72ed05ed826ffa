/** SQL of 依申请转主动: which requests were turned into which proactive item. */
import type { Executor } from '../../db/database.js';
import './suggestions.tables.js';

export async function convertedRequestIds(db: Executor, agencyId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('request_conversions').select('request_id').where('agency_id', '=', agencyId).execute();
  return new Set(rows.map((r) => r.request_id));
}

export async function insertConversions(db: Executor, c: { agencyId: number; itemId: number; requestIds: number[]; by: number; at: string }): Promise<void> {
  await db
    .insertInto('request_conversions')
    .values(c.requestIds.map((id) => ({ agency_id: c.agencyId, item_id: c.itemId, request_id: id, created_by: c.by, created_at: c.at })))
    .execute();
}

export async function conversionsOf(db: Executor, agencyId: number, limit: number): Promise<{ itemId: number; requests: number; at: string }[]> {
  const rows = await db
    .selectFrom('request_conversions')
    .select((eb) => ['item_id', eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('at')])
    .where('agency_id', '=', agencyId)
    .groupBy('item_id')
    .orderBy('item_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ itemId: r.item_id, requests: Number(r.n), at: String(r.at) }));
}
