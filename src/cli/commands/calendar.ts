import { readFileSync } from 'node:fs';
import { CalendarNotCoveredError, isIsoDate } from '../../law/calendar.js';
import { provisionalCalendar } from '../../law/calendar-statutory.js';
import { loadCalendar } from '../../modules/calendar/calendar.service.js';
import { loadHolidayNotice } from '../../modules/requests/requests.service.js';
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
          // Exit 3 all the same (the contract): the date printed is provisional, counted on weekends and the
          // statutory holidays of 《全国年节及纪念日放假办法》 only.
          let provisional: string | undefined;
          try {
            provisional = provisionalCalendar(cal).addWorkingDays(date, days);
          } catch (e2) {
            if (!(e2 instanceof CalendarNotCoveredError)) throw e2;
          }
          if (provisional) {
            console.log(provisional);
            console.error(`暂定：节假日安排未覆盖 ${e.year} 年（国务院办公厅尚未发布或尚未载入该年通知），${provisional} 按双休日和《全国年节及纪念日放假办法》规定的法定节假日推算，未计调休。可用 gongkai calendar load FILE 载入该年安排。`);
          } else {
            console.error(`错误：节假日安排未覆盖 ${e.year} 年（国务院办公厅尚未发布或尚未载入该年通知），无法可靠计算。可用 gongkai calendar load FILE 载入该年安排。`);
          }
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
    const effect = await withCtx((ctx) => loadHolidayNotice(ctx, { system: 'cli' }, json));
    console.log(`已载入 ${effect.years.map((y) => y.year).join('、')} 年节假日安排；重新计算了 ${effect.recomputed} 件申请，其中 ${effect.moved.length} 件的答复期限有变化`);
    for (const m of effect.moved) console.log(`  ${m.trackingNo}  ${m.from ?? '无法计算'}${m.wasProvisional ? '（暂定）' : ''} → ${m.to ?? '无法计算'}${m.stillProvisional ? '（暂定）' : ''}`);
    return 0;
  }
  throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令（due 或 load）');
}
