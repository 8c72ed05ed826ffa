import { readFileSync } from 'node:fs';
import { CalendarNotCoveredError, isIsoDate } from '../../law/calendar.js';
import { loadCalendar, loadCalendarYears } from '../../modules/calendar/calendar.service.js';
import { parse, UsageError } from '../args.js';
import { withCtx } from './context.js';

export async function calendarCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'due') {
    const { values, positionals } = parse(rest, { days: { type: 'string' } }, true);
    const date = positionals[0];
    if (!date || !isIsoDate(date)) throw new UsageError(`日期应为 YYYY-MM-DD：“${date ?? ''}”`);
    const days = values.days === undefined ? 20 : Number(values.days);
    if (!Number.isInteger(days) || days < 0 || days > 366) throw new UsageError(`--days 应为 0 到 366 之间的整数：“${values.days}”`);
    return withCtx(async (ctx) => {
      const cal = await loadCalendar(ctx);
      try {
        console.log(cal.addWorkingDays(date, days));
        return 0;
      } catch (e) {
        if (e instanceof CalendarNotCoveredError) {
          console.error(`错误：节假日安排未覆盖 ${e.year} 年（国务院办公厅尚未发布或尚未载入该年通知），无法可靠计算。可用 gongkai calendar load FILE 载入该年安排。`);
          return 3;
        }
        throw e;
      }
    });
  }
  if (sub === 'load') {
    const { positionals } = parse(rest, {}, true);
    const file = positionals[0];
    if (!file) throw new UsageError('缺少文件参数');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`无法读取 ${file}：${(e as Error).message}`);
    }
    const years = await withCtx((ctx) => loadCalendarYears(ctx, { system: 'cli' }, json));
    console.log(`已载入 ${years.map((y) => y.year).join('、')} 年节假日安排`);
    return 0;
  }
  throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令（due 或 load）');
}
