/**
 * The official calendar in use: the bundled notices (chinese-days) plus the years an administrator has
 * loaded as data (a new State Council notice, e.g. 2027). Built once and rebuilt when a year is loaded.
 */
import { AppError, invalid } from '../../errors.js';
import { createCalendar, parseYearArrangements, type Calendar, type YearArrangement } from '../../law/calendar.js';
import { appendAudit } from '../audit-log/audit-log.service.js';
import { assertAdmin } from '../accounts/access.js';
import type { Actor, Ctx } from '../context.js';
import * as repo from './calendar.repository.js';

const cache = new WeakMap<object, Calendar>();

export async function loadCalendar(ctx: Ctx): Promise<Calendar> {
  const hit = cache.get(ctx.db);
  if (hit) return hit;
  const cal = createCalendar(await repo.loadedYears(ctx.db));
  cache.set(ctx.db, cal);
  return cal;
}

/** A notice's arrangements (JSON: a YearArrangement or an array of them), or a validation error naming the dates. */
export function parseNotice(json: unknown): YearArrangement[] {
  const parsed = parseYearArrangements(json);
  if (!parsed.ok) throw invalid(`节假日安排数据不合法：${parsed.errors.join('；')}`, [{ field: 'data', message: parsed.errors.join('；') }], 'calendar.invalid_notice');
  return parsed.value;
}

/** The calendar as it would be with `years` loaded (nothing stored): for previews. */
export async function calendarWith(ctx: Ctx, years: readonly YearArrangement[]): Promise<Calendar> {
  const replaced = new Set(years.map((y) => y.year));
  return createCalendar([...(await repo.loadedYears(ctx.db)).filter((y) => !replaced.has(y.year)), ...years]);
}

/** Load one or more years' arrangements (JSON: a YearArrangement or an array of them). */
export async function loadCalendarYears(ctx: Ctx, actor: Actor | { system: string }, json: unknown): Promise<YearArrangement[]> {
  if ('userId' in actor) assertAdmin(actor);
  const years = parseNotice(json);
  await ctx.db.transaction().execute(async (tx) => {
    const at = ctx.now();
    for (const y of years) {
      await repo.saveYear(tx, y, at.toISOString());
      await appendAudit(tx, { actor: actor as never, action: 'calendar.load_year', entity: 'calendar', entityId: y.year, data: { notice: y.notice ?? null, holidays: y.holidays.length, workdays: y.workdays.length }, at });
    }
  });
  cache.delete(ctx.db);
  return years;
}

export function assertCovered(cal: Calendar, dates: string[]): void {
  for (const d of dates) {
    const y = Number(d.slice(0, 4));
    if (!cal.covers(y)) throw new AppError('calendar_not_covered', `节假日安排未覆盖 ${y} 年（国务院办公厅尚未发布或尚未载入该年通知），无法计算工作日`);
  }
}
