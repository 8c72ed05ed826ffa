import type { Executor } from '../../db/database.js';
import type { YearArrangement } from '../../law/calendar.js';
import './calendar.tables.js';

/** The holiday arrangements an administrator loaded, oldest year first. */
export async function loadedYears(db: Executor): Promise<YearArrangement[]> {
  const rows = await db.selectFrom('calendar_years').select(['data']).orderBy('year').execute();
  return rows.map((r) => JSON.parse(r.data) as YearArrangement);
}

/** Store (or replace) one year's arrangement. */
export async function saveYear(db: Executor, y: YearArrangement, at: string): Promise<void> {
  await db.deleteFrom('calendar_years').where('year', '=', y.year).execute();
  await db.insertInto('calendar_years').values({ year: y.year, notice: y.notice ?? null, data: JSON.stringify(y), loaded_at: at }).execute();
}
