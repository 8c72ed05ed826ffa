/** The disclosure module's read model: what the annual report counts of the published items. */
import type { Executor } from '../../db/database.js';
import type { YearRange } from '../../law/report-period.js';
import './disclosure.tables.js';

/** Items published on the portal in the year, per agency . */
export async function itemsPublished(db: Executor, agencyIds: number[], y: YearRange): Promise<{ agencyId: number; n: number }[]> {
  const rows = await db
    .selectFrom('items')
    .where('agency_id', 'in', agencyIds)
    .where('status', '=', 'published')
    .where('published_on', '>=', y.start)
    .where('published_on', '<=', y.end)
    .select(['agency_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('agency_id')
    .execute();
  return rows.map((r) => ({ agencyId: r.agency_id, n: Number(r.n) }));
}
