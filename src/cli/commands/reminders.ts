/**
 * `gongkai reminders run [--at ISO]`: the daily reminder run once, now (or as of the given instant), for a
 * cron job or by hand. Safe alongside the server's own schedule and other runs: each reminder goes out once.
 */
import { loadConfig } from '../../config.js';
import { runReminders } from '../../modules/notifications/notifications.service.js';
import { createTransports, setTransports } from '../../modules/notifications/transports.js';
import { parse, UsageError } from '../args.js';
import { withCtx } from './context.js';

export async function remindersCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'run') throw new UsageError(sub ? `未知子命令“${sub}”` : '缺少子命令 run');
  const { values } = parse(rest, { at: { type: 'string' } });
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at 应为时间，如 2025-10-14T09:00:00+08:00：“${values.at}”`);
  const config = loadConfig();
  const s = await withCtx(async (ctx) => {
    setTransports(ctx, createTransports({ ...config.notify, baseUrl: config.baseUrl }));
    return runReminders(ctx, at);
  });
  console.log(JSON.stringify(s));
  console.error(`${s.today}：新提醒 ${s.created} 条，已发送 ${s.sent} 封，发送失败 ${s.failed} 封（将自动重试）。`);
  return 0;
}
